"""The embedded Tantivy backend (SEARCH_BACKEND=tantivy) on the crafted catalog: the same answers
as the database backend (hits, counts, facets, page order) through the API, and the index's own
rules: one writer, readers that follow every commit and a rebuild's swap, writes during a rebuild
kept, outages answered 503 with the rows left dirty.
"""

import math
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from factories.models import Factory, Product, ProductStatus
from search import documents, fit
from search.backends import SearchParams, SearchUnavailable, get_backend, reset_backends
from search.backends.database import DatabaseBackend
from search.backends.tantivy import TantivyBackend, store
from search.backends.tantivy.schema import LAYOUT, SAMPLE_SLOTS, sample_slot
from search.indexing import index_dirty, index_rows, iter_documents, rebuild
from search.models import ProductDocument, ProductFilter, ProductText
from search.selectors import buyer_needs
from tests import makers
from tests.search.conftest import index_all, product
from tests.search.scenarios import (
    COMPOUNDS,
    FACET_PARAMS,
    FILTERS,
    QUERIES,
    RANGE_FACET_PARAMS,
    SORTS,
    URL,
    compound_catalog_rows,
    crafted_catalog,
    search,
    search_database,
    titles,
)
from tests.waiting import wait_until


@pytest.fixture
def tantivy(settings, tmp_path):
    settings.SEARCH_BACKEND = "tantivy"
    settings.SEARCH_TANTIVY_PATH = tmp_path / "tantivy"
    reset_backends()
    backend = get_backend()
    assert isinstance(backend, TantivyBackend)
    return backend


def index_database_too() -> None:
    """The same rows into the database backend's tables, for the comparisons."""
    database = DatabaseBackend()
    for kind, model in (("factory", Factory), ("product", Product)):
        index_rows(kind, list(model.objects.values_list("pk", flat=True)), database)


@pytest.fixture
def catalog(tantivy, db):
    rows = crafted_catalog()
    index_all()  # the dirty rows → Tantivy (and the document rows matching reads)
    index_database_too()
    return rows


# ---- the same answers as the database backend -------------------------------------------------


@pytest.mark.parametrize(("q", "expected"), QUERIES)
def test_queries_find_what_the_database_backend_finds(api, catalog, q, expected):
    # when
    body = search(api, q=q)
    # then: the same rows in the same order, count and relaxation
    ids = [row["id"] for row in body["results"]]
    assert set(ids[: len(expected)]) == {catalog[name].pk for name in expected}
    database = DatabaseBackend().search_products(SearchParams(q=q))
    assert ids == database.ids
    assert (body["count"], body["relaxed"]) == (database.count, database.relaxed)


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_filters(api, catalog, params, expected):
    body = search(api, **params)
    assert {row["id"] for row in body["results"]} == {catalog[name].pk for name in expected}
    assert body["count"] == len(expected)


@pytest.mark.parametrize("params", FACET_PARAMS + RANGE_FACET_PARAMS)
def test_facets_equal_the_database_backends(api, catalog, params):
    facets = search(api, **params)["facets"]
    assert facets == search_database(params).facets
    assert any(facets.values())  # something was compared


@pytest.mark.parametrize(("sort", "expected"), SORTS)
def test_sorting(api, catalog, sort, expected):
    assert titles(search(api, sort=sort, page_size=3)) == expected


# Filters and pages the comparison below adds; the short pages make queries.top skip the rank
# classes that cannot reach them.
EXTRAS = (
    {},
    {"province": "广东"},
    {"customizable": True},
    {"offset": 2, "limit": 3},
    {"limit": 1},
    {"offset": 1, "limit": 1},
)


def test_the_same_order_as_the_database_backend_for_every_query_and_sort(tantivy, catalog):
    # when: every query × sort × filter of the crafted catalog on both backends
    database, differ, compared = DatabaseBackend(), [], 0
    for q in (
        "",
        "面膜",
        "补水",
        "保湿",
        "耳机",
        "蓝牙",
        "tws",
        "杯",
        "瓷",
        "茶具",
        "白云",
        "景德镇",
        "补水 耳机",
    ):
        for sort in ("relevance", "price", "-price", "newest"):
            for extra in EXTRAS:
                params = SearchParams(q=q, sort=sort, **extra)
                ours, theirs = tantivy.search_products(params), database.search_products(params)
                compared += 1
                if (ours.ids, ours.count, ours.relaxed, ours.facets) != (
                    theirs.ids,
                    theirs.count,
                    theirs.relaxed,
                    theirs.facets,
                ):
                    differ.append((q, sort, extra))
    # then: no difference at all (unlike the engine backend, whose text score orders rows that
    # the database ranks the same: the ranking here is the database's, tier × (1 + quality))
    assert (compared, differ) == (312, [])


def test_a_lower_title_tier_with_a_better_record_still_reaches_a_short_page(tantivy, db):
    """A title holding the word as typed (tier 3) from a factory with the worst record ranks
    3 × (1 + 0) = 3, one holding only its parts (tier 2) from the best 2 × (1 + 1) = 4: the
    tier-2 class must still be read for a page of one (queries.top skips only classes whose best
    possible rank is below the page's last)."""
    # given: the same documents in both backends, their qualities set to the extremes
    whole = product("收纳盒 加厚", factory=makers.FactoryMaker(name="甲厂"))
    parts = product("收纳 木盒", factory=makers.FactoryMaker(name="乙厂"))
    docs = [documents.product_document(p) for p in documents.products_with_relations([whole.pk, parts.pk])]
    for doc in docs:
        doc["quality"] = 0.0 if doc["id"] == whole.pk else 1.0
    for backend in (tantivy, DatabaseBackend()):
        backend.index("product", docs, [])
    params = SearchParams(q="收纳盒", limit=1)
    # when
    ours, theirs = tantivy.search_products(params), DatabaseBackend().search_products(params)
    # then
    assert theirs.ids == [parts.pk]
    assert (ours.ids, ours.count) == (theirs.ids, theirs.count) == ([parts.pk], 2)


@pytest.fixture
def compound_catalog(tantivy, db):
    """tests/search/test_compound_words.py's titles, in this backend and the database backend."""
    rows = compound_catalog_rows()
    index_all()
    index_database_too()
    return rows


@pytest.mark.parametrize(("q", "whole_first"), COMPOUNDS)
def test_compound_words_find_what_the_database_finds(api, compound_catalog, q, whole_first):
    body = search(api, q=q)
    expected = DatabaseBackend().search_products(SearchParams(q=q))
    assert [row["id"] for row in body["results"]] == expected.ids
    assert (body["count"], body["relaxed"]) == (expected.count, expected.relaxed)
    assert expected.ids  # something was found


@pytest.mark.parametrize("q", ["大容量", "容量", "量杯", "保温杯", "大容量保温杯"])
def test_a_title_holds_a_word_only_where_its_characters_touch(tantivy, db, q):
    """The title tier of a CJK word is read off the title's character pairs: a pair never spans a
    space or a latin word, so 大容 量杯 does not hold 容量 (as the database's LIKE says)."""
    # given: the first's title does not hold 容量 or 大容量 (its description does), the others' do
    product("大容 量杯 保温", description="大容量 容量500ml 保温杯")
    product("大容量保温杯")
    product("容器 5L量杯 大号保温杯")
    index_all()
    index_database_too()
    # when
    params = SearchParams(q=q)
    page = tantivy.search_products(params)
    # then
    assert page.ids == DatabaseBackend().search_products(params).ids
    assert page.ids  # something was found


def sampled(products, hits: int, cap: int) -> list:
    """The products a facet aggregation over `hits` hits reads when the cap is `cap`."""
    slots = math.ceil(SAMPLE_SLOTS * (cap + 1) / hits)
    return [item for item in products if sample_slot(item.pk) < slots]


def test_counts_past_the_cap_are_a_flagged_lower_bound(api, catalog, settings):
    # given: seven products, counted up to three
    settings.SEARCH_COUNT_CAP = 3
    # when
    everything = search(api, sort="price")
    masks = search(api, q="面膜")
    past = api.get(URL, {"page": 2, "page_size": 3})
    # then: the count says "3+", the facets count a sample of about four (flagged), the page is whole
    assert (everything["count"], everything["count_exact"], everything["facets_exact"]) == (3, False, False)
    provinces = Counter(item.factory.province for item in sampled(catalog.values(), 7, 3))
    assert {row["key"]: row["count"] for row in everything["facets"]["province"]} == provinces
    assert titles(everything)[:3] == ["手绘陶瓷马克杯", "蓝牙5.0耳机 入门款", "补水睡眠面膜"]
    assert (masks["count"], masks["count_exact"], masks["facets_exact"]) == (2, True, True)
    assert past.status_code == 400


def test_facets_past_the_cap_count_a_fair_sample_of_each_facets_own_hits(api, tantivy, db, settings):
    # given: 60 products, 48 of them 保温杯, 40 of those in 浙江; a cap of 10
    settings.SEARCH_COUNT_CAP = 10
    zhejiang, fujian = makers.FactoryMaker(province="浙江"), makers.FactoryMaker(province="福建")
    cups = [product(f"保温杯 {i}号", factory=zhejiang if i < 40 else fujian) for i in range(48)]
    others = [product(f"玻璃瓶 {i}号", factory=fujian) for i in range(12)]
    index_all()
    # when: the word, and the word in 浙江
    body = search(api, q="保温杯")
    inside = search(api, q="保温杯", province="浙江")
    everything = search(api)
    # then: each aggregation read about cap + 1 of its own hits, the same rows every time
    expected = sampled(cups, 48, 10)
    assert 5 <= len(expected) <= 20  # a sample, not all 48 (ids spread over the slots)
    assert body["facets"]["province"] == [
        {"key": key, "count": n}
        for key, n in sorted(Counter(c.factory.province for c in expected).items(), key=lambda kv: -kv[1])
    ]
    assert (body["count"], body["facets_exact"]) == (10, False)
    # the province facet of a 浙江 search counts the word's hits in every province (its own
    # filter left out): the same 48-hit sample; the others count the 40 in 浙江
    assert inside["facets"]["province"] == body["facets"]["province"]
    in_zhejiang = sampled(cups[:40], 40, 10)
    assert (
        inside["facets"]["customizable"] == search(api, q="保温杯", province="浙江")["facets"]["customizable"]
    )
    assert sum(row["count"] for row in inside["facets"]["category"]) == len(in_zhejiang)
    # without words: a sample of all 60
    assert sum(row["count"] for row in everything["facets"]["category"]) == len(
        sampled(cups + others, 60, 10)
    )
    # and under the cap, exact: every 福建 cup
    small = search(api, q="保温杯", province="福建")
    assert (small["count"], small["count_exact"]) == (8, True)
    assert small["facets"]["category"] == [{"key": "storage", "count": 8}]


def test_an_index_built_with_older_fields_is_rebuilt_on_deploy_and_refused_until_then(api, tantivy, catalog):
    # given: the live folder renamed as an index of an older layout (other fields)
    root = tantivy.store.root
    live = tantivy.store.current_name()
    (root / live).rename(root / "products-20260101000000000000")
    (root / "CURRENT").write_text("products-20260101000000000000")
    Product.objects.filter(pk=catalog["cups"].pk).update(title="手绘陶瓷咖啡杯", search_index_dirty=True)
    # when / then: not searched (503), not written (the edit stays dirty), said in the status
    assert api.get(URL, {"q": "杯"}).status_code == 503
    with pytest.raises(SearchUnavailable):
        index_dirty("product")
    assert Product.objects.get(pk=catalog["cups"].pk).search_index_dirty is True
    assert tantivy.status()["product"]["needs_rebuild"] is True
    # when: the deploy step
    call_command("search_index", "rebuild", "--kind", "product", "--if-needed")
    # then: a new index of this layout holds every product and the edit; the old folder is gone
    rebuilt = tantivy.store.current_name()
    assert rebuilt.startswith(f"products-{LAYOUT}-")
    assert not (root / "products-20260101000000000000").exists()
    assert titles(search(api, q="咖啡杯")) == ["手绘陶瓷咖啡杯"]
    assert search(api)["count"] == 7
    assert Product.objects.get(pk=catalog["cups"].pk).search_index_dirty is False
    # and a second deploy leaves it alone
    call_command("search_index", "rebuild", "--kind", "product", "--if-needed")
    assert tantivy.store.current_name() == rebuilt


def test_matching_reads_the_document_rows_it_keeps(tantivy, catalog):
    # given: the products indexed again by this backend alone
    for model in (ProductDocument, ProductText, ProductFilter):
        model.objects.all().delete()
    index_rows("product", list(Product.objects.values_list("pk", flat=True)), tantivy)
    # then: the product documents are in the database (matching reads them), the tables only the
    # database's product search reads are not written
    assert ProductDocument.objects.count() == 7
    assert (ProductText.objects.count(), ProductFilter.objects.count()) == (0, 0)
    buyer = makers.BuyerMaker(categories=["beauty"], price_min=Decimal("30"), price_max=Decimal("60"))
    needs = buyer_needs(buyer)
    # then: matching answers as the database backend's
    expected = DatabaseBackend().match("product", fit.PRODUCT_FOR_BUYER, needs, 10)
    assert [m.id for m in expected][:2] == [catalog["mask"].pk, catalog["mask2"].pk]
    assert tantivy.match("product", fit.PRODUCT_FOR_BUYER, needs, 10) == expected


# ---- the index: writers, readers, rebuild -------------------------------------------------------


def test_an_edit_and_a_delisting_reach_the_index_through_the_dirty_flag(api, catalog):
    # given
    cups, old = catalog["cups"], catalog["old_buds"]
    # when: the factory edits one product and delists another (services mark them dirty)
    Product.objects.filter(pk=cups.pk).update(title="手绘陶瓷咖啡杯", search_index_dirty=True)
    Product.objects.filter(pk=old.pk).update(status=ProductStatus.DELISTED, search_index_dirty=True)
    assert index_dirty("product") == 2
    # then
    assert titles(search(api, q="咖啡杯")) == ["手绘陶瓷咖啡杯"]
    assert search(api, q="马克杯")["count"] == 0
    assert search(api, q="入门款")["count"] == 0
    assert search(api)["count"] == 6
    assert get_backend().status()["product"]["documents"] == 6


def test_a_reader_in_another_process_follows_commits_and_the_rebuild_swap(settings, tantivy, catalog):
    # given: a second backend on the same folder, as another web process holds it, that has read
    other = TantivyBackend(settings.SEARCH_TANTIVY_PATH)
    assert other.search_products(SearchParams(q="杯")).count == 1
    # when: the writer commits a new product
    late = product("骨瓷茶杯 礼盒", category="cups-mugs")
    index_dirty("product")
    # then: the other reader sees it at its next search
    assert set(other.search_products(SearchParams(q="杯")).ids) == {catalog["cups"].pk, late.pk}
    # when: a rebuild replaces the index folder
    before = tantivy.store.current_name()
    result = rebuild("product")
    # then: the other reader follows the swap; the old folder is gone
    assert result["index"] != before and result["replaced"] == [before]
    assert not (tantivy.store.root / before).exists()
    assert other.search_products(SearchParams()).count == 8
    assert other.store.current_name() == result["index"]


def test_a_rebuild_keeps_the_writes_made_during_it(api, tantivy, catalog, monkeypatch):
    """Writes wait for the rebuild (one writer): their rows stay dirty and are indexed into the
    new index once it is live: nothing lost, nothing stale, nothing twice."""
    monkeypatch.setattr(store, "WRITE_WAIT", 0.2)
    late: dict = {}

    def docs_with_writes_in_between():
        for n, docs in enumerate(iter_documents("product", batch=3)):
            if n == 1:
                # This batch was read already; meanwhile a new product is listed, cups renamed
                # and old_buds delisted, and the indexer runs: it cannot write yet.
                late["new"] = product("紫砂茶具 礼盒", category="tea-sets", price="99.00")
                Product.objects.filter(pk=catalog["cups"].pk).update(
                    title="手绘陶瓷咖啡杯", search_index_dirty=True
                )
                Product.objects.filter(pk=catalog["old_buds"].pk).update(
                    status=ProductStatus.DELISTED, search_index_dirty=True
                )
                with pytest.raises(SearchUnavailable):
                    index_dirty("product")
                late["dirty"] = Product.objects.filter(search_index_dirty=True).count()
            yield docs

    # when
    result = tantivy.rebuild("product", docs_with_writes_in_between(), 7)
    # then: the rebuild wrote what it read (old_buds and cups' old title among it), the rows
    # edited meanwhile stayed dirty
    assert result["indexed"] == 7 and late["dirty"] == 3
    assert search(api, q="入门款")["count"] == 1
    # when: the indexer runs again (the task's retry, or the sweep)
    assert index_dirty("product") == 3
    # then: caught up, each product once
    expected = {r.pk for name, r in catalog.items() if name != "old_buds"} | {late["new"].pk}
    body = search(api, page_size=50)
    assert sorted(row["id"] for row in body["results"]) == sorted(expected)
    assert body["count"] == 7
    assert titles(search(api, q="咖啡杯")) == ["手绘陶瓷咖啡杯"]
    assert search(api, q="马克杯")["count"] == search(api, q="入门款")["count"] == 0
    assert ProductDocument.objects.count() == 7


def test_an_index_that_cannot_be_opened_is_an_outage_and_writes_stay_dirty(api, tantivy, catalog):
    # given: the live folder lost (a wiped disk)
    (tantivy.store.root / "CURRENT").write_text(f"products-{LAYOUT}-missing")
    Product.objects.filter(pk=catalog["cups"].pk).update(title="手绘陶瓷咖啡杯", search_index_dirty=True)
    # when / then: searches answer 503 in the JSON error shape, readiness says so
    response = api.get(URL, {"q": "杯"})
    assert response.status_code == 503
    assert response.json() == {"detail": "Search is temporarily unavailable; try again in a minute."}
    ready = Client().get("/readyz")
    assert (ready.status_code, ready.json()["search"]) == (503, "unavailable")
    # and the indexer keeps the edit dirty
    with pytest.raises(SearchUnavailable):
        index_dirty("product")
    assert Product.objects.get(pk=catalog["cups"].pk).search_index_dirty is True
    # when: a rebuild makes a new index
    rebuild("product")
    index_dirty("product")
    # then: found again, ready again
    assert titles(search(api, q="咖啡杯")) == ["手绘陶瓷咖啡杯"]
    assert Client().get("/readyz").status_code == 200


def test_before_the_first_write_a_search_finds_nothing(api, tantivy, db):
    body = search(api, q="面膜")
    assert (body["count"], body["results"], body["facets"]["category"]) == (0, [], [])
    assert Client().get("/readyz").status_code == 200


@pytest.mark.async_worker
@pytest.mark.django_db(transaction=True)
def test_an_api_edit_reaches_the_index_through_a_real_worker(api, tantivy, live_celery_worker):
    # given: a listed product, indexed
    item = product("折叠收纳箱", moq=500)
    index_all()
    api.as_user(item.factory.owner)
    assert search(api, q="收纳箱", moq_max=100)["count"] == 0
    # when: its factory edits it through the API (marked dirty; on commit the worker indexes it)
    response = api.patch(f"/api/v1/products/{item.pk}/", {"moq": 60}, format="json")
    # then
    assert response.status_code == 200
    # The worker commits the index before its transaction clears the flag: wait for both.
    wait_until(
        lambda: (
            titles(search(api, q="收纳箱", moq_max=100)) == ["折叠收纳箱"]
            and not Product.objects.filter(pk=item.pk, search_index_dirty=True).exists()
        ),
        timeout=15,
        message="not indexed, or still marked dirty,",
    )
