"""Keyword search on the database backend (real PostgreSQL): text, filters, facets, sorting, paging."""

from decimal import Decimal

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories.models import FactoryTier, IndustrialBelt
from search.backends.database import combos
from tests import makers
from tests.search.conftest import index_all, product

URL = "/api/v1/search/products/"


def classic(facets: dict) -> dict:
    """The category / province / belt facets (the range facets: tests/search/test_range_facets.py)."""
    return {name: facets[name] for name in ("category", "province", "industrial_belt")}


def titles(response):
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def catalog(db):
    jingdezhen = IndustrialBelt.objects.get(slug="jingdezhen-ceramics")
    ceramics = makers.FactoryMaker(
        name="景德镇瓷工坊",
        province="江西",
        city="景德镇",
        industrial_belt=jingdezhen,
        categories=["ceramics"],
    )
    beauty = makers.FactoryMaker(name="白云美妆厂", province="广东", city="广州", tier=FactoryTier.SUPER)
    audio = makers.FactoryMaker(name="深圳声学科技", province="广东", city="深圳")
    rows = {
        "mask": product("补水睡眠面膜", factory=beauty, category="facial-masks", price="38.00", moq=200),
        "mask2": product(
            "玻尿酸面膜 10片装", factory=beauty, category="facial-masks", price="55.00", moq=500
        ),
        "cream": product(
            "保湿面霜",
            factory=beauty,
            category="skincare",
            price="88.00",
            moq=100,
            description="适合干皮，补水保湿",
        ),
        "buds": product(
            "TWS蓝牙5.3耳机 降噪",
            factory=audio,
            category="earphones-speakers",
            price="45.00",
            moq=300,
            customizable=True,
        ),
        "old_buds": product(
            "蓝牙5.0耳机 入门款",
            factory=audio,
            category="earphones-speakers",
            price="25.00",
            moq=1000,
            trial_eligible=False,
        ),
        "cups": product(
            "手绘陶瓷马克杯", factory=ceramics, category="cups-mugs", price="18.00", moq=50, customizable=True
        ),
        "teaset": product(
            "功夫茶具套装 Bluetooth-free", factory=ceramics, category="tea-sets", price="120.00", moq=20
        ),
    }
    index_all()
    return rows


def test_chinese_word_inside_a_longer_title(api, catalog):
    # when
    response = api.get(URL, {"q": "面膜"})
    # then
    assert response.status_code == 200
    assert sorted(titles(response)) == ["玻尿酸面膜 10片装", "补水睡眠面膜"]


def test_mixed_chinese_english_numbers(api, catalog):
    # when
    response = api.get(URL, {"q": "蓝牙5.3耳机"})
    # then: the one with all three words, then (fewer than a page: relaxed) the one with two
    assert titles(response) == ["TWS蓝牙5.3耳机 降噪", "蓝牙5.0耳机 入门款"]
    assert response.json()["relaxed"] is True
    strict = api.get(URL, {"q": "蓝牙5.3耳机", "page_size": 1})
    assert (titles(strict), strict.json()["relaxed"]) == (["TWS蓝牙5.3耳机 降噪"], False)


def test_words_split_by_jieba_need_not_be_adjacent(api, catalog):
    # given: 补水 is in the title, 面膜 too, but 补水面膜 never appears as such
    # when
    response = api.get(URL, {"q": "补水面膜"})
    # then: it alone has both words; the relaxed rest (one of the two words) follows
    assert titles(response)[0] == "补水睡眠面膜"
    assert titles(api.get(URL, {"q": "补水面膜", "page_size": 1})) == ["补水睡眠面膜"]


def test_factory_and_category_names_are_searchable(api, catalog):
    assert sorted(titles(api.get(URL, {"q": "景德镇"}))) == ["功夫茶具套装 Bluetooth-free", "手绘陶瓷马克杯"]
    assert titles(api.get(URL, {"q": "茶具"})) == ["功夫茶具套装 Bluetooth-free"]
    # 护肤 is only the category name of the cream
    assert titles(api.get(URL, {"q": "护肤"})) == ["保湿面霜"]


def test_title_ranks_above_description(api, catalog):
    # when: 补水 is in the mask's title and only in the cream's description
    response = api.get(URL, {"q": "补水"})
    # then
    assert titles(response) == ["补水睡眠面膜", "保湿面霜"]


def test_pinyin_finds_nothing_and_english_typo_finds_by_trigram(api, catalog):
    assert api.get(URL, {"q": "mianmo"}).json()["count"] == 0
    assert titles(api.get(URL, {"q": "bluetooth"})) == ["功夫茶具套装 Bluetooth-free"]
    assert titles(api.get(URL, {"q": "bluetoth"})) == ["功夫茶具套装 Bluetooth-free"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "facial-masks"}, {"补水睡眠面膜", "玻尿酸面膜 10片装"}),
        ({"category": "beauty"}, {"补水睡眠面膜", "玻尿酸面膜 10片装", "保湿面霜"}),
        ({"province": "江西"}, {"手绘陶瓷马克杯", "功夫茶具套装 Bluetooth-free"}),
        ({"industrial_belt": "jingdezhen-ceramics"}, {"手绘陶瓷马克杯", "功夫茶具套装 Bluetooth-free"}),
        ({"price_min": "40", "price_max": "60"}, {"玻尿酸面膜 10片装", "TWS蓝牙5.3耳机 降噪"}),
        ({"moq_max": "50"}, {"手绘陶瓷马克杯", "功夫茶具套装 Bluetooth-free"}),
        ({"customizable": "true"}, {"TWS蓝牙5.3耳机 降噪", "手绘陶瓷马克杯"}),
        ({"trial_eligible": "false"}, {"蓝牙5.0耳机 入门款"}),
        ({"q": "耳机", "trial_eligible": "true"}, {"TWS蓝牙5.3耳机 降噪"}),
    ],
)
def test_filters(api, catalog, params, expected):
    # when
    response = api.get(URL, params)
    # then
    assert response.status_code == 200
    assert set(titles(response)) == expected
    assert response.json()["count"] == len(expected)


def test_facets_respect_the_other_filters_but_not_their_own(api, catalog):
    # when
    body = api.get(URL, {"province": "广东", "category": "facial-masks"}).json()
    # then
    assert body["count"] == 2
    assert classic(body["facets"]) == {
        # all of 广东's categories (the category filter itself is left out of its own facet)
        "category": [
            {"key": "earphones-speakers", "count": 2},
            {"key": "facial-masks", "count": 2},
            {"key": "skincare", "count": 1},
        ],
        # the provinces of facial masks
        "province": [{"key": "广东", "count": 2}],
        "industrial_belt": [],
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["手绘陶瓷马克杯", "蓝牙5.0耳机 入门款", "补水睡眠面膜"]),
        ("-price", ["功夫茶具套装 Bluetooth-free", "保湿面霜", "玻尿酸面膜 10片装"]),
        ("newest", ["功夫茶具套装 Bluetooth-free", "手绘陶瓷马克杯", "蓝牙5.0耳机 入门款"]),
    ],
)
def test_sorting(api, catalog, sort, expected):
    assert titles(api.get(URL, {"sort": sort, "page_size": 3})) == expected


def test_relevance_without_query_puts_super_factories_first(api, catalog):
    # when
    first_three = titles(api.get(URL, {"page_size": 3}))
    # then: the three beauty products come from the only super factory; newest first among equals
    assert first_three == ["保湿面霜", "玻尿酸面膜 10片装", "补水睡眠面膜"]


def test_pagination_is_stable_and_complete(api, catalog):
    # when
    pages = [api.get(URL, {"page": n, "page_size": 3}).json() for n in (1, 2, 3)]
    # then
    seen = [row["id"] for page in pages for row in page["results"]]
    assert len(seen) == len(set(seen)) == 7
    assert pages[0]["previous"] is None
    assert pages[0]["next"] == "http://testserver/api/v1/search/products/?page=2&page_size=3"
    assert pages[2]["next"] is None
    assert pages[1]["previous"] == "http://testserver/api/v1/search/products/?page_size=3"


def test_query_count_does_not_grow_with_page_size(api, catalog):
    # given: the facet combinations read once (a process keeps them: search/backends/database/combos.py)
    assert api.get(URL, {"q": "耳机"}).status_code == 200

    def count(size):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL, {"q": "耳机", "page_size": size}).status_code == 200
        return len(ctx.captured_queries)

    # then
    assert count(1) == count(100)


def test_hidden_products_are_not_found(api, catalog):
    # given: a product pending review and one of an unverified factory
    makers.ProductMaker(title="待审核面膜", category=makers.category("facial-masks"), status="pending_review")
    pending_factory = makers.FactoryMaker(verification_status="pending")
    makers.ProductMaker(
        title="未认证工厂面膜", factory=pending_factory, category=makers.category("facial-masks")
    )
    index_all()
    # when
    response = api.get(URL, {"q": "面膜"})
    # then
    assert sorted(titles(response)) == ["玻尿酸面膜 10片装", "补水睡眠面膜"]


def test_bad_parameters_are_400(api, catalog):
    response = api.get(URL, {"sort": "cheapest", "page_size": 500})
    assert response.status_code == 400
    assert response.json() == {
        "sort": ['"cheapest" is not a valid choice.'],
        "page_size": ["Ensure this value is less than or equal to 100."],
    }


FACTORY_URL = "/api/v1/search/factories/"


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_factory_search_text_filters_and_facets(api, catalog):
    # when / then
    assert names(api.get(FACTORY_URL, {"q": "景德镇"})) == ["景德镇瓷工坊"]
    assert names(api.get(FACTORY_URL, {"q": "声学"})) == ["深圳声学科技"]
    assert sorted(names(api.get(FACTORY_URL, {"province": "广东"}))) == ["深圳声学科技", "白云美妆厂"]
    # prices of the factory's products overlap ¥100–200: only the tea set's factory
    assert names(api.get(FACTORY_URL, {"price_min": "100", "price_max": "200"})) == ["景德镇瓷工坊"]
    assert names(api.get(FACTORY_URL, {"moq_max": "60"})) == ["景德镇瓷工坊"]
    assert sorted(names(api.get(FACTORY_URL, {"category": "ceramics"}))) == ["景德镇瓷工坊"]
    body = api.get(FACTORY_URL, {"province": "广东"}).json()
    assert body["facets"]["province"] == [{"key": "广东", "count": 2}, {"key": "江西", "count": 1}]
    assert body["facets"]["category"] == [{"key": "home", "count": 2}]


def test_factory_search_sort_by_price(api, catalog):
    assert names(api.get(FACTORY_URL, {"sort": "price"})) == ["景德镇瓷工坊", "深圳声学科技", "白云美妆厂"]
    assert names(api.get(FACTORY_URL, {"sort": "-price"})) == ["景德镇瓷工坊", "白云美妆厂", "深圳声学科技"]


def test_decimal_filters_accept_two_places(api, catalog):
    response = api.get(URL, {"price_max": str(Decimal("18.00"))})
    assert titles(response) == ["手绘陶瓷马克杯"]


def test_facets_without_a_query_for_a_top_level_category_and_a_belt(api, catalog):
    # when: no query, so the counts come per facet combination (search/backends/database/combos.py)
    beauty = api.get(URL, {"category": "beauty", "price_max": "60"}).json()
    belt = api.get(URL, {"industrial_belt": "jingdezhen-ceramics", "price_max": "60"}).json()
    # then: a top-level category takes in its children; each facet ignores only its own filter
    assert (beauty["count"], sorted(titles_of(beauty))) == (2, ["玻尿酸面膜 10片装", "补水睡眠面膜"])
    assert classic(beauty["facets"]) == {
        "category": [
            {"key": "earphones-speakers", "count": 2},
            {"key": "facial-masks", "count": 2},
            {"key": "cups-mugs", "count": 1},
        ],
        "province": [{"key": "广东", "count": 2}],
        "industrial_belt": [],
    }
    assert (belt["count"], titles_of(belt)) == (1, ["手绘陶瓷马克杯"])
    assert classic(belt["facets"]) == {
        "category": [{"key": "cups-mugs", "count": 1}],
        "province": [{"key": "江西", "count": 1}],
        "industrial_belt": [{"key": "jingdezhen-ceramics", "count": 1}],
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="facet combinations exist on PostgreSQL only")
def test_cached_facet_combinations_are_forgotten_when_the_tables_are_flushed(api, catalog):
    # given: a search without a query has read the combinations
    assert api.get(URL, {"price_max": "60"}).status_code == 200
    assert combos._known
    # when: what `manage.py flush` sends after emptying the tables (ids may start again at 1)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    # then
    assert combos._known == {}


def titles_of(body):
    return [row["title"] for row in body["results"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("杯", ["手绘陶瓷马克杯"]),  # the last character of a run
        ("瓷", ["手绘陶瓷马克杯"]),  # inside a run: the start of the bigram 瓷马
        ("手", ["手绘陶瓷马克杯"]),  # the first character
        ("鞋", []),
    ],
)
def test_one_character_queries_find_it_anywhere_in_a_word(api, catalog, q, expected):
    assert titles(api.get(URL, {"q": q, "category": "cups-mugs"})) == expected


def test_a_query_without_words_on_an_empty_index_finds_nothing(api, db):
    # when: punctuation only, so no index terms, and nothing indexed (no typo search to fall back on)
    response = api.get(URL, {"q": "!!!"})
    # then
    assert response.status_code == 200
    assert (response.json()["count"], response.json()["results"]) == (0, [])
