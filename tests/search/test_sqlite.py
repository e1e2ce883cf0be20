"""The embedded demo (`make run`) uses SQLite: the database backend must still search and match there.

Run with DATABASE_URL=sqlite:///… ; on PostgreSQL these are skipped (the other modules cover it).
"""

from decimal import Decimal

import pytest
from django.db import connection

from tests import makers
from tests.search.conftest import index_all, product

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite-only path (LIKE over terms); run with a sqlite DATABASE_URL"
)
URL = "/api/v1/search/products/"


@pytest.fixture
def catalog(db):
    beauty = makers.FactoryMaker(name="白云美妆厂", province="广东", tier="super")
    product("补水睡眠面膜", factory=beauty, category="facial-masks", price="38.00", moq=200)
    product("玻尿酸面膜 10片装", factory=beauty, category="facial-masks", price="95.00")
    product("TWS蓝牙5.3耳机 降噪", category="earphones-speakers", price="45.00")
    index_all()


@pytest.mark.parametrize(
    ("q", "titles"),
    [
        ("面膜", {"补水睡眠面膜", "玻尿酸面膜 10片装"}),
        ("蓝牙5.3耳机", {"TWS蓝牙5.3耳机 降噪"}),
        ("补水面膜", {"补水睡眠面膜"}),  # every word (page_size 1: a full page, not relaxed)
        ("白云美妆", {"补水睡眠面膜", "玻尿酸面膜 10片装"}),
        ("mianmo", set()),
        ("膜", {"补水睡眠面膜", "玻尿酸面膜 10片装"}),  # one character: a prefix of the index terms
        ("睡", {"补水睡眠面膜"}),
        ("鞋", set()),
    ],
)
def test_text_search(api, catalog, q, titles):
    body = api.get(URL, {"q": q, "page_size": max(1, len(titles))}).json()
    assert {row["title"] for row in body["results"]} == titles
    assert body["count"] == len(titles)
    assert body["relaxed"] is False


def test_fewer_than_a_page_with_every_word_relaxes_to_most_words(api, catalog):
    body = api.get(URL, {"q": "补水面膜"}).json()
    assert [row["title"] for row in body["results"]] == ["补水睡眠面膜", "玻尿酸面膜 10片装"]
    assert (body["count"], body["relaxed"]) == (2, True)


def test_facets_and_matching(api, catalog):
    body = api.get(URL, {"q": "面膜", "price_max": "60"}).json()
    assert body["facets"]["category"] == [{"key": "facial-masks", "count": 1}]
    buyer = makers.BuyerMaker(
        categories=["beauty"], price_min=Decimal("30"), price_max=Decimal("60"), province="广东"
    )
    matches = api.as_user(buyer.user).get("/api/v1/matches/products/").json()
    assert [m["product"]["title"] for m in matches] == [
        "补水睡眠面膜",
        "玻尿酸面膜 10片装",
        "TWS蓝牙5.3耳机 降噪",
    ]
    assert matches[0]["reasons"][1] == "Price ¥38 is within your price band ¥30–60"
