"""Counts capped, work bounded by the page (issue 16, point 2), through the search API.

A catalog of 48 products holding 保温杯 (in the title as typed, in the title apart, or only in the
description) with qualities that tie in places, and a cap of 12 (settings.SEARCH_COUNT_CAP):
past the cap the count is a lower bound and says so, the facets come from the first rows found,
and on PostgreSQL the page is walked off a sort index (search/backends/database/capped.py) —
which must give exactly the page that ranking every hit gives. Runs on PostgreSQL and in the
SQLite pass.
"""

from decimal import Decimal

import pytest
from django.db import connection

from search.backends.database import capped
from search.models import ProductDocument, ProductText
from tests import makers
from tests.search.conftest import index_all, product

URL = "/api/v1/search/products/"
CAP = 12


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    # The walk reads 256 rows first: more than this catalog, which it would then read whole.
    # Batches of 4 make it stop early, on its rule, as it does on a large catalog.
    monkeypatch.setattr(capped, "FIRST_BATCH", 4)


@pytest.fixture
def catalog(db):
    factories = [makers.FactoryMaker(province=p) for p in ("浙江", "广东", "福建")]
    titles = ["便携保温杯", "保温 便携杯", "玻璃瓶"]  # title tier 3, 2, 1 (the word in the description)
    rows = []
    for i in range(48):
        rows.append(
            product(
                f"{titles[i % 3]} {i}号",
                factory=factories[i % 3],
                category=("storage", "locks")[i % 2],
                price=f"{10 + (i * 7) % 50}.00",
                moq=(50, 100, 500)[i % 3],
                description="保温杯" if i % 3 == 2 else "",
                customizable=i % 4 == 0,
            )
        )
    others = [product(f"台灯 {i}", category="locks") for i in range(6)]  # never found by 保温杯
    index_all()
    # The best tier has the lowest qualities, so the walk down the quality index meets the top
    # of the ranking last; scores tie across tiers (3 × (1 + 0.0) = 2 × (1 + 0.5)).
    for i, row in enumerate(rows):
        quality = (0.3, 0.5, 1.0, 0.0, 0.6, 0.9)[i % 6]
        ProductDocument.objects.filter(pk=row.pk).update(quality=quality)
        if connection.vendor == "postgresql":
            ProductText.objects.filter(pk=row.pk).update(quality=quality)
    return rows, others


def sampled() -> bool:
    """PostgreSQL counts the facets over the first rows past the cap; SQLite (`make run`'s small
    catalogs) counts them all and says they are exact."""
    return connection.vendor == "postgresql"


def search(api, **params):
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(body) -> list[int]:
    return [row["id"] for row in body["results"]]


QUERIES = [
    {"q": "保温杯"},
    {"q": "保温杯", "province": "浙江"},
    {"q": "保温杯", "category": "storage", "price_max": "40"},
    {"q": "保温杯", "customizable": "false", "moq_max": "100"},
    {},
    {"province": "广东"},
]
SORTS = ["relevance", "price", "-price", "newest"]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_pages_past_the_cap_are_the_pages_of_the_full_ranking(api, catalog, settings, query):
    """Every sort, several filters, the first pages: the capped search's ids are the full one's."""
    for sort in SORTS:
        for page in (1, 2):
            params = {**query, "sort": sort, "page": page, "page_size": 5}
            settings.SEARCH_COUNT_CAP = 1000
            full = search(api, **params)
            settings.SEARCH_COUNT_CAP = CAP
            capped = search(api, **params)
            assert ids(capped) == ids(full), (sort, page)
            assert full["count_exact"] is True and full["facets_exact"] is True


def test_the_count_is_exact_up_to_the_cap_and_a_flagged_lower_bound_past_it(api, catalog, settings):
    settings.SEARCH_COUNT_CAP = CAP
    # 48 hits: counted to the cap, said to be a lower bound
    body = search(api, q="保温杯", page_size=5)
    assert (body["count"], body["count_exact"], body["facets_exact"]) == (CAP, False, not sampled())
    # 8 hits (浙江 + storage + ≤ ¥40 of the 48): under the cap, exact
    body = search(api, q="保温杯", province="浙江", category="storage", price_max="40", page_size=5)
    settings.SEARCH_COUNT_CAP = 1000
    full = search(api, q="保温杯", province="浙江", category="storage", price_max="40", page_size=5)
    assert full["count"] < CAP
    assert (body["count"], body["count_exact"]) == (full["count"], True)
    # on PostgreSQL a page the first rows found cannot fill is ranked from every hit: exact again
    settings.SEARCH_COUNT_CAP = CAP
    body = search(api, q="保温杯", page_size=20)
    expected = (48, True, True) if sampled() else (CAP, False, True)
    assert (body["count"], body["count_exact"], body["facets_exact"]) == expected
    # nothing found: exact zero
    body = search(api, q="不存在的词")
    assert (body["count"], body["count_exact"], body["facets_exact"]) == (0, True, True)


def test_under_the_cap_everything_is_exact_and_ranked_as_before(api, catalog, settings):
    settings.SEARCH_COUNT_CAP = 48  # exactly the hits: not past it
    at_cap = search(api, q="保温杯", page_size=48)
    settings.SEARCH_COUNT_CAP = 10_000
    far = search(api, q="保温杯", page_size=48)
    assert (at_cap["count"], at_cap["count_exact"], at_cap["facets_exact"]) == (48, True, True)
    assert ids(at_cap) == ids(far) and at_cap["facets"] == far["facets"]


def test_capped_facets_are_lower_bounds_of_the_exact_ones(api, catalog, settings):
    settings.SEARCH_COUNT_CAP = 1000
    exact = search(api, q="保温杯")["facets"]
    settings.SEARCH_COUNT_CAP = CAP
    sampled = search(api, q="保温杯", page_size=5)["facets"]
    for name, values in sampled.items():
        truth = {v["key"]: v["count"] for v in exact[name]}
        assert bool(values) == bool(truth), name
        for value in values:
            assert 0 < value["count"] <= truth[value["key"]], (name, value)


def test_a_search_without_words_counts_every_filter_up_to_the_cap(api, catalog, settings):
    """54 products are more than the cap: the facets are a sample, but a filter leaving fewer
    than the cap is counted exactly."""
    settings.SEARCH_COUNT_CAP = CAP
    everything = search(api, page_size=5)
    assert (everything["count"], everything["count_exact"], everything["facets_exact"]) == (
        CAP,
        False,
        not sampled(),
    )
    narrow = search(api, province="福建", category="locks", moq_max="500", price_min="20")
    settings.SEARCH_COUNT_CAP = 1000
    truth = search(api, province="福建", category="locks", moq_max="500", price_min="20")
    assert 0 < truth["count"] < CAP
    assert (narrow["count"], narrow["count_exact"], ids(narrow)) == (truth["count"], True, ids(truth))


def test_pages_past_the_cap_are_refused_with_the_json_error(api, catalog, settings):
    settings.SEARCH_COUNT_CAP = CAP
    assert api.get(URL, {"q": "保温杯", "page": 3, "page_size": 5}).status_code == 200  # offset 10 < 12
    response = api.get(URL, {"q": "保温杯", "page": 4, "page_size": 4})  # offset 12: past it
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["page"]
    # the last page before the cap has no next link when the count is capped there
    body = search(api, q="保温杯", page=3, page_size=4)
    assert (len(body["results"]), body["next"]) == (4, None)


def test_prices_in_the_catalog_make_the_sorts_differ(catalog):
    # guards the sort comparison above against a catalog where every order is the same
    rows, _ = catalog
    assert len({row.factory_price for row in rows}) > 20 and Decimal("10.00") in {
        r.factory_price for r in rows
    }


@pytest.mark.parametrize("sort", SORTS)
def test_a_broad_word_inside_a_small_facet_is_counted_and_ranked_exactly(api, catalog, settings, sort):
    """48 hits, 8 of them in 浙江 and storage: the text index finds those 8 by the facet lexemes
    the rows carry, so the count and page are exact; only the facets (which count the other
    provinces and categories too) come from the first hits."""
    query = {"q": "保温杯", "province": "浙江", "category": "storage", "sort": sort, "page_size": 5}
    settings.SEARCH_COUNT_CAP = 1000
    full = search(api, **query)
    settings.SEARCH_COUNT_CAP = CAP
    body = search(api, **query)
    assert full["count"] == 8
    assert (body["count"], body["count_exact"], body["facets_exact"]) == (8, True, not sampled())
    assert ids(body) == ids(full)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the text rows exist on PostgreSQL only")
def test_text_rows_carry_their_facet_lexemes_as_the_migration_computes_them(catalog):
    import importlib

    from search.backends.database.common import facet_lexemes

    migration = importlib.import_module("search.migrations.0014_facet_lexemes")
    rows, _ = catalog
    doc = ProductDocument.objects.filter(pk=rows[0].pk).values().get()
    text = ProductText.objects.get(pk=rows[0].pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {migration.LEXEMES}, t.search_vector::text FROM search_producttext AS t "  # noqa: S608
            "JOIN search_facetcombo AS c ON c.id = t.facet_id WHERE t.document_id = %s",
            [text.pk],
        )
        in_sql, vector = cursor.fetchone()
    # the writer's lexemes (category, its parent, province; no belt here) are the migration's
    assert in_sql == facet_lexemes(doc) and len(in_sql) == 3
    assert all(f"'{lexeme}'" in vector for lexeme in in_sql)


def test_a_relaxed_search_past_the_cap_walks_after_the_rows_with_every_word(
    api, catalog, settings, monkeypatch
):
    """Two products hold both words (fewer than a page: the search relaxes to either word, 56
    hits, past the cap). They lead the page, known from the strict search; the rest is walked
    with the bound of a strict search, and every page is the full ranking's."""
    # given: the two rank lowest on quality, so only the strict-first rule puts them on top
    both = [product(f"保温杯 台灯 二合一 {i}", category="locks") for i in range(2)]
    index_all()
    ProductDocument.objects.filter(pk__in=[p.pk for p in both]).update(quality=0.0)
    if connection.vendor == "postgresql":
        ProductText.objects.filter(pk__in=[p.pk for p in both]).update(quality=0.0)
    # A walk may read 48 of the 62 documents: it must settle on its bound, not by reaching the end.
    monkeypatch.setattr(capped, "WALK_BUDGET", 48)
    settled = []
    real_walk = capped.walk
    monkeypatch.setattr(capped, "walk", lambda *a, **kw: settled.append(real_walk(*a, **kw)) or settled[-1])
    counted = set()
    for sort in SORTS:
        for page in (1, 2):
            params = {"q": "保温杯 台灯", "sort": sort, "page": page, "page_size": 5}
            settings.SEARCH_COUNT_CAP = 1000
            full = search(api, **params)
            settings.SEARCH_COUNT_CAP = CAP
            settled.clear()
            body = search(api, **params)
            # then
            assert (full["relaxed"], body["relaxed"], full["count"]) == (True, True, 56)
            # the relaxed answer's count says what it is (the strict search's two rows were exact;
            # their flags are not the relaxed answer's): the cap as a lower bound, or, where every
            # hit had to be ranked (the walk did not settle), the exact 56
            assert full["count_exact"] is True
            assert (body["count"], body["count_exact"]) in [(CAP, False), (56, True)], (sort, page)
            counted.add((body["count"], body["count_exact"]))
            assert ids(body) == ids(full), (sort, page)
            if sort == "relevance" and page == 1:
                assert ids(body)[:2] == sorted(p.pk for p in both)
                if connection.vendor == "postgresql":  # the walk settled: no second full ranking
                    assert settled and settled[-1] is not None
    assert (CAP, False) in counted  # the capped answer was met, not only the fully ranked one
