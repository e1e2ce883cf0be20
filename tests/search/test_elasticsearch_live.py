"""The engine backend against a real node: `make test-search-node` starts one (OpenSearch, see
devtools/search-node/) and runs this module with SEARCH_BACKEND=opensearch OPENSEARCH_URL=…;
SEARCH_BACKEND=elasticsearch ELASTICSEARCH_URL=… runs it against an Elasticsearch cluster instead.
Every test gets its own index prefix, deleted afterwards, so a shared node is fine.

The searches go through the API (the view, the backend, the engine, the row loading) and are held
to the same answers as the database backend on the same catalog.
"""

import json
import os
import urllib.error
import urllib.request
import uuid
from decimal import Decimal

import pytest
from django.test import Client

from factories.models import ProductStatus
from search import fit
from search.backends import SearchParams, SearchUnavailable, get_backend, reset_backends
from search.backends.database import DatabaseBackend
from search.backends.elastic import ElasticsearchBackend, OpenSearchBackend, mappings
from search.indexing import MODELS, index_dirty, index_rows, iter_documents
from search.selectors import buyer_needs, factory_offer
from tests import makers
from tests.search.conftest import index_all, product
from tests.search.records import SOLD_OUT, Outcome, mask_streamer, record_market, trial_history
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

URLS = {"opensearch": "OPENSEARCH_URL", "elasticsearch": "ELASTICSEARCH_URL"}
BACKENDS = {"opensearch": OpenSearchBackend, "elasticsearch": ElasticsearchBackend}


def _engine() -> str | None:
    """SEARCH_BACKEND when it names an engine whose URL is set, else whichever URL is set."""
    chosen = os.environ.get("SEARCH_BACKEND", "")
    if chosen in URLS and os.environ.get(URLS[chosen]):
        return chosen
    return next((name for name, var in URLS.items() if os.environ.get(var)), None)


ENGINE = _engine()
pytestmark = pytest.mark.skipif(
    ENGINE is None,
    reason="no search node: `make test-search-node` starts one and runs this module "
    "(or set OPENSEARCH_URL / ELASTICSEARCH_URL to a running node)",
)


def engine_url() -> str:
    return os.environ[URLS[ENGINE]].rstrip("/")


def http(method: str, path: str, body=None, *, raw: bytes | None = None) -> dict:
    """A raw request to the node, engine-neutral, for looking at what the backend created."""
    data = json.dumps(body).encode() if body is not None else raw
    request = urllib.request.Request(  # noqa: S310 - the URL is the test node from the environment
        engine_url() + path, data=data, method=method, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read() or b"null")


@pytest.fixture(scope="module")
def module_prefix():
    """The indices of this module's tests: created by the first test's writes, emptied after each
    test (creating three indices per test cost ~2 s each time), deleted at the end."""
    prefix = f"yt-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    http("DELETE", f"/{prefix}-*")


def _engine_backend(settings, prefix: str):
    settings.SEARCH_BACKEND = ENGINE
    setattr(settings, URLS[ENGINE], engine_url())
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    reset_backends()
    backend = get_backend()
    assert isinstance(backend, BACKENDS[ENGINE])
    return backend


@pytest.fixture
def live(settings, module_prefix):
    """The configured engine as the project's search backend, on the module's indices."""
    yield _engine_backend(settings, module_prefix)
    # The next test starts from empty indices (ids are never reused: sequences do not roll back).
    empty(module_prefix)


def empty(prefix: str) -> None:
    """Delete every document under the prefix (the node has no delete-by-query module)."""
    hits = http("POST", f"/{prefix}-*/_search", {"size": 10_000, "_source": False})["hits"]["hits"]
    if hits:
        lines = "".join(json.dumps({"delete": {"_index": h["_index"], "_id": h["_id"]}}) + "\n" for h in hits)
        http("POST", "/_bulk?refresh=true", raw=lines.encode())


@pytest.fixture
def empty_live(settings):
    """The engine backend under a prefix nothing has used yet."""
    prefix = f"yt-test-{uuid.uuid4().hex[:8]}"
    yield _engine_backend(settings, prefix)
    http("DELETE", f"/{prefix}-*")


def refresh(backend) -> None:
    http("POST", f"/{backend.prefix}-*/_refresh")


def index_database_too() -> None:
    """The same rows into the database backend's tables, for the comparisons."""
    from buyers.models import BuyerProfile
    from factories.models import Factory, Product

    database = DatabaseBackend()
    for kind, model in (("factory", Factory), ("product", Product), ("buyer", BuyerProfile)):
        index_rows(kind, list(model.objects.values_list("pk", flat=True)), database)


@pytest.fixture
def compound_catalog(live, db):
    """tests/search/test_compound_words.py's titles, in this backend and the database backend."""
    rows = compound_catalog_rows()
    index_all()
    index_database_too()
    refresh(live)
    return rows


@pytest.fixture
def catalog(live, db):
    rows = crafted_catalog()
    index_all()  # the dirty rows → the engine (SEARCH_BACKEND is the engine here)
    refresh(live)
    index_database_too()
    return rows


# ---- mapping and analysis, as the node holds them ----------------------------------------------


def test_the_index_holds_the_mapping_and_analysis_the_backend_asked_for(live, catalog):
    # when
    (index,) = http("GET", f"/_alias/{live.alias('product')}")
    held = http("GET", f"/{index}")[index]
    # then
    expected = mappings.index_body("product", ik=False)
    assert held["mappings"]["dynamic"] == "strict"
    assert held["mappings"]["properties"] == expected["mappings"]["properties"]
    analysis = held["settings"]["index"]["analysis"]
    assert analysis["analyzer"] == {
        "cjk_text": {
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "cjk_bigram_unigrams"],
            "type": "custom",
        },
        "cjk_query": {
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "cjk_bigram"],
            "type": "custom",
        },
    }
    assert analysis["filter"] == {"cjk_bigram_unigrams": {"type": "cjk_bigram", "output_unigrams": "true"}}


def analyze(index: str, analyzer: str, text: str) -> list[str]:
    body = http("POST", f"/{index}/_analyze", {"analyzer": analyzer, "text": text})
    return [t["token"] for t in body["tokens"]]


def test_text_is_indexed_as_bigrams_and_unigrams_and_searched_as_bigrams(live, catalog):
    (index,) = http("GET", f"/_alias/{live.alias('product')}")
    assert analyze(index, "cjk_text", "面膜 ＴＷＳ") == ["面", "面膜", "膜", "tws"]
    assert analyze(index, "cjk_query", "补水睡眠面膜") == ["补水", "水睡", "睡眠", "眠面", "面膜"]
    assert analyze(index, "cjk_query", "ＴＷＳ蓝牙５．３") == ["tws", "蓝牙", "5.3"]
    assert analyze(index, "cjk_query", "杯") == ["杯"]


# ---- Chinese (and latin) queries ---------------------------------------------------------------


@pytest.mark.parametrize(("q", "expected"), QUERIES)
def test_chinese_queries_find_what_the_database_backend_finds(api, catalog, q, expected):
    # when
    body = search(api, q=q)
    # then: the rows with every word first; a query of several words that found fewer than a
    # page goes on with the rows holding most of them (relaxed), on both backends alike
    ids = [row["id"] for row in body["results"]]
    assert set(ids[: len(expected)]) == {catalog[name].pk for name in expected}
    assert body["relaxed"] is (body["count"] > len(expected))
    database = DatabaseBackend().search_products(SearchParams(q=q))
    assert sorted(database.ids) == sorted(ids)
    assert (database.count, database.relaxed) == (body["count"], body["relaxed"])


def test_title_matches_rank_above_description_matches(api, catalog):
    assert titles(search(api, q="补水")) == ["补水睡眠面膜", "保湿面霜"]


# ---- filters, facets, sorting ------------------------------------------------------------------


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_filters(api, catalog, params, expected):
    # when
    body = search(api, **params)
    # then
    assert {row["id"] for row in body["results"]} == {catalog[name].pk for name in expected}
    assert body["count"] == len(expected)


@pytest.mark.parametrize("params", FACET_PARAMS)
def test_facets_equal_the_database_backends(api, catalog, params):
    assert search(api, **params)["facets"] == search_database(params).facets


@pytest.mark.parametrize("params", RANGE_FACET_PARAMS)
def test_range_facets_equal_the_database_backends(api, catalog, params):
    """The price / MOQ / yes-no facets, each leaving out its own filter, as the node counts them."""
    facets = search(api, **params)["facets"]
    assert facets == search_database(params).facets
    assert facets["moq"] and facets["price"] and facets["verified_only"]  # something was compared


def test_facets_respect_the_other_filters_but_not_their_own(api, catalog):
    # when
    body = search(api, province="广东", category="facial-masks")
    # then
    assert body["count"] == 2
    assert {k: body["facets"][k] for k in ("category", "province", "industrial_belt")} == {
        "category": [
            {"key": "earphones-speakers", "count": 2},
            {"key": "facial-masks", "count": 2},
            {"key": "skincare", "count": 1},
        ],
        "province": [{"key": "广东", "count": 2}],
        "industrial_belt": [],
    }


@pytest.mark.parametrize(("sort", "expected"), SORTS)
def test_sorting(api, catalog, sort, expected):
    assert titles(search(api, sort=sort, page_size=3)) == expected


def test_the_same_order_as_the_database_backend_for_every_query_and_sort(live, catalog):
    # when: every query × sort of the crafted catalog on both backends, products and factories
    database, differ = DatabaseBackend(), []
    for q in ("", "面膜", "补水", "保湿", "耳机", "蓝牙", "tws", "杯", "瓷", "茶具", "白云", "景德镇"):
        for sort in ("relevance", "price", "-price", "newest"):
            params = SearchParams(q=q, sort=sort)
            if live.search_products(params).ids != database.search_products(params).ids:
                differ.append(("product", q, sort))
            if live.search_factories(params).ids != database.search_factories(params).ids:
                differ.append(("factory", q, sort))
    # then: one known difference. Within one text tier (here: a word only in the factory's name,
    # so in no title) the database orders by quality then id, the engine by its text score, which
    # favours shorter fields. The engine's query is a contract of tests/search/test_elasticsearch.py;
    # scoring the database's tiers exactly would change it.
    assert differ == [("product", "白云", "relevance"), ("product", "景德镇", "relevance")]


def test_pages_are_stable_and_complete(api, catalog):
    pages = [titles(search(api, sort="price", page=n, page_size=3)) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert len({t for p in pages for t in p}) == 7


def test_factory_search_agrees_with_the_database_backend(live, catalog):
    for params in (
        SearchParams(q="白云"),
        SearchParams(category="beauty"),
        SearchParams(province="广东", sort="price"),
        SearchParams(price_min=Decimal("100")),
    ):
        got = live.search_factories(params)
        assert got == DatabaseBackend().search_factories(params), params


# ---- matching -----------------------------------------------------------------------------------


def test_matching_gives_the_same_scores_and_reasons(live, catalog):
    buyer = makers.BuyerMaker(categories=["beauty"], price_min=Decimal("30"), price_max=Decimal("60"))
    index_rows("buyer", [buyer.pk], live)
    index_database_too()
    refresh(live)
    needs = buyer_needs(buyer)
    expected = DatabaseBackend().match("product", fit.PRODUCT_FOR_BUYER, needs, 10)
    assert [m.id for m in expected][:2] == [catalog["mask"].pk, catalog["mask2"].pk]
    assert live.match("product", fit.PRODUCT_FOR_BUYER, needs, 10) == expected


def test_matching_both_ways_gives_the_same_scores_and_reasons(live, catalog):
    # given: streamers of different fit for the beauty factory
    near = makers.BuyerMaker(
        categories=["beauty"], price_min=Decimal("30"), price_max=Decimal("60"), province="广东"
    )
    far = makers.BuyerMaker(categories=["ceramics"], price_min=Decimal("200"), price_max=Decimal("400"))
    index_rows("buyer", [near.pk, far.pk], live)
    index_database_too()
    refresh(live)
    needs, offer = buyer_needs(near), factory_offer(catalog["mask"].factory)
    database = DatabaseBackend()
    # then: factories for a streamer, streamers for a factory
    factories = database.match("factory", fit.FACTORY_FOR_BUYER, needs, 10)
    assert factories[0].id == catalog["mask"].factory_id
    assert live.match("factory", fit.FACTORY_FOR_BUYER, needs, 10) == factories
    buyers = database.match("buyer", fit.BUYER_FOR_FACTORY, offer, 10)
    assert [m.id for m in buyers] == [near.pk, far.pk]
    assert buyers[0].reasons != buyers[1].reasons
    assert live.match("buyer", fit.BUYER_FOR_FACTORY, offer, 10) == buyers


# ---- rebuild with the alias swap ----------------------------------------------------------------


def test_rebuild_swaps_the_alias_and_keeps_writes_made_during_it(live, catalog):
    """Writes go on while the new index fills: nothing lost, nothing stale, nothing twice."""
    # given: the index the first writes created
    (before,) = http("GET", f"/_alias/{live.alias('product')}")
    late = {}

    def docs_with_writes_in_between():
        # batches of three by id: [mask, mask2, cream], [buds, old_buds, cups], [teaset]
        for n, docs in enumerate(iter_documents("product", batch=3)):
            if n == 1:
                # This batch was read already; before the rebuild sends it, the indexer writes a
                # new product, a new title for cups and the delisting of old_buds.
                late["new"] = product("紫砂茶具 礼盒", category="tea-sets", price="99.00")
                catalog["cups"].title = "手绘陶瓷咖啡杯"
                catalog["cups"].save(update_fields=["title"])
                catalog["old_buds"].status = ProductStatus.DELISTED
                catalog["old_buds"].save(update_fields=["status"])
                index_rows("product", [late["new"].pk, catalog["cups"].pk, catalog["old_buds"].pk], live)
            yield docs

    # when
    result = live.rebuild("product", docs_with_writes_in_between(), 7)
    refresh(live)
    # then: one new index behind the alias, the old one and the -next alias gone
    (after,) = http("GET", f"/_alias/{live.alias('product')}")
    assert after == result["index"] != before
    assert result["replaced"] == [before]
    ours = {i: a for i, a in http("GET", "/_alias").items() if i.startswith(f"{live.prefix}-products-")}
    assert ours == {after: {"aliases": {live.alias("product"): {}}}}
    # the rebuild's older copies of cups and old_buds lost to the writes made meanwhile
    assert result["indexed"] == 5
    hits = http("POST", f"/{live.alias('product')}/_search", {"size": 20, "_source": ["title"]})["hits"][
        "hits"
    ]
    expected = {r.pk for name, r in catalog.items() if name != "old_buds"} | {late["new"].pk}
    assert sorted(int(h["_id"]) for h in hits) == sorted(expected)
    assert {h["_source"]["title"] for h in hits} >= {"紫砂茶具 礼盒", "手绘陶瓷咖啡杯"}
    assert "手绘陶瓷马克杯" not in {h["_source"]["title"] for h in hits}
    # and the API finds them by their new text
    assert {row["title"] for row in search(Client(), q="咖啡杯")["results"]} == {"手绘陶瓷咖啡杯"}
    assert search(Client(), q="入门款")["count"] == 0


def test_a_first_write_on_an_empty_node_creates_index_and_alias(empty_live, db):
    # given
    with pytest.raises(urllib.error.HTTPError):
        http("GET", f"/_alias/{empty_live.alias('buyer')}")
    # when
    empty_live.index("buyer", [], [])
    # then
    (index,) = http("GET", f"/_alias/{empty_live.alias('buyer')}")
    assert index.startswith(f"{empty_live.alias('buyer')}-")
    assert empty_live.status()["buyer"] == {
        "alias": empty_live.alias("buyer"),
        "index": [index],
        "documents": 0,
    }


# ---- the node down --------------------------------------------------------------------------------


def test_a_node_that_does_not_answer_is_search_unavailable_and_the_api_says_503(api, db, settings):
    # given: the backend pointed at a port nobody listens on
    settings.SEARCH_BACKEND = ENGINE
    setattr(settings, URLS[ENGINE], "http://127.0.0.1:9")
    reset_backends()
    backend = get_backend()
    # then
    with pytest.raises(SearchUnavailable):
        backend.search_products(SearchParams(q="面膜"))
    with pytest.raises(SearchUnavailable):
        backend.index("product", [], [1])
    response = api.get(URL, {"q": "面膜"})
    assert response.status_code == 503
    assert response.json() == {"detail": "Search is temporarily unavailable; try again in a minute."}
    # and readiness names the engine as what is down
    ready = api.get("/readyz")
    assert (ready.status_code, ready.json()["search"], ready.json()["database"]) == (503, "unavailable", "ok")


def test_readiness_reports_the_engine_that_answers(api, live, db):
    response = api.get("/readyz")
    assert (response.status_code, response.json()["search"]) == (200, "ok")


def test_writes_while_the_node_is_down_stay_dirty_and_are_found_once_it_is_back(api, live, catalog, settings):
    # given: the node unreachable while a product is edited
    setattr(settings, URLS[ENGINE], "http://127.0.0.1:9")
    reset_backends()
    cups = catalog["cups"]
    cups.title = "手绘陶瓷咖啡杯"
    cups.save(update_fields=["title"])
    type(cups).objects.filter(pk=cups.pk).update(search_index_dirty=True)  # what mark_dirty does
    # when: the indexer runs during the outage
    with pytest.raises(SearchUnavailable):
        index_dirty("product")
    # then: the write is kept, the row still dirty, the API says 503
    cups.refresh_from_db()
    assert (cups.title, cups.search_index_dirty) == ("手绘陶瓷咖啡杯", True)
    assert api.get(URL, {"q": "咖啡杯"}).status_code == 503
    # when: the node is back and the sweep runs
    setattr(settings, URLS[ENGINE], engine_url())
    reset_backends()
    assert index_dirty("product") == 1
    refresh(live)
    # then: caught up
    cups.refresh_from_db()
    assert cups.search_index_dirty is False
    assert titles(search(api, q="咖啡杯")) == ["手绘陶瓷咖啡杯"]
    assert search(api, q="马克杯")["count"] == 0


@pytest.mark.async_worker
@pytest.mark.django_db(transaction=True)
def test_an_api_edit_reaches_the_node_through_the_dirty_flag_and_a_real_worker(api, live, live_celery_worker):
    # given: a listed product, indexed
    item = product("折叠收纳箱", moq=500)
    index_all()
    refresh(live)
    api.as_user(item.factory.owner)
    assert search(api, q="收纳箱")["count"] == 1
    assert search(api, q="收纳箱", moq_max=100)["count"] == 0
    # when: its factory edits it through the API (the service marks it dirty; on commit the
    # index task goes to Redis and the worker writes it to the node)
    response = api.patch(f"/api/v1/products/{item.pk}/", {"moq": 60}, format="json")
    # then: found with the new value once the node refreshes (1 s), and no longer dirty
    assert response.status_code == 200
    wait_until(lambda: titles(search(api, q="收纳箱", moq_max=100)) == ["折叠收纳箱"], timeout=15.0)
    item.refresh_from_db()
    assert item.search_index_dirty is False
    assert http("GET", f"/{live.alias('product')}/_doc/{item.pk}")["_source"]["moq"] == 60


def test_every_kind_gets_its_own_alias(live, catalog):
    assert sorted(live.status()) == sorted(MODELS)
    assert {kind: live.status()[kind]["documents"] for kind in MODELS} == {
        "product": 7,
        "factory": 3,
        "buyer": 0,
    }


def test_both_backends_rank_trial_records_the_same_way(live, db):
    # given: tests/search/records.py's market (records made through the trials services) and
    # streamers with good, late and no records, in both backends
    market = record_market()
    reliable, late = mask_streamer(), mask_streamer()
    supplier = makers.FactoryMaker(categories=["tea"])
    trial_history(supplier, reliable, [SOLD_OUT, SOLD_OUT])
    trial_history(supplier, late, [Outcome(25, 10, 2, late=True)] * 2)
    fresh = mask_streamer()
    for kind, model in MODELS.items():
        index_rows(kind, list(model.objects.values_list("pk", flat=True)), live)
    index_database_too()
    refresh(live)
    database = DatabaseBackend()
    # then: products, factories and streamers: the same order, scores, reasons and record figures
    needs = buyer_needs(fresh)
    products = database.match("product", fit.PRODUCT_FOR_BUYER, needs, 4)
    order = ["good", "new", "super bad", "bad"]
    assert [m.id for m in products] == [market[name].pk for name in order]
    assert live.match("product", fit.PRODUCT_FOR_BUYER, needs, 4) == products
    assert products[3].record["units_returned"] == 30 and products[3].record["score"] == 0.4075
    factories = database.match("factory", fit.FACTORY_FOR_BUYER, needs, 4)
    assert [m.id for m in factories] == [market[name].factory_id for name in order]
    assert live.match("factory", fit.FACTORY_FOR_BUYER, needs, 4) == factories
    offer = factory_offer(market["new"].factory)
    buyers = database.match("buyer", fit.BUYER_FOR_FACTORY, offer, 3)
    assert [m.id for m in buyers] == [reliable.pk, fresh.pk, late.pk]
    assert live.match("buyer", fit.BUYER_FOR_FACTORY, offer, 3) == buyers


@pytest.mark.parametrize(("q", "whole_first"), COMPOUNDS)
def test_compound_words_find_what_the_database_finds(live, api, compound_catalog, q, whole_first):
    # when
    body = search(api, q=q)
    expected = DatabaseBackend().search_products(SearchParams(q=q))
    # then: the same hits and count, relaxed alike; the title holding the word as typed first
    assert {row["id"] for row in body["results"]} == set(expected.ids)
    assert (body["count"], body["relaxed"]) == (expected.count, expected.relaxed)
    if whole_first:
        assert body["results"][0]["id"] == expected.ids[0]


def test_counts_past_the_cap_are_a_flagged_lower_bound(api, catalog, settings):
    # given: seven products, counted exactly up to three (settings.SEARCH_COUNT_CAP)
    settings.SEARCH_COUNT_CAP = 3
    # when
    everything = search(api, sort="price")
    masks = search(api, q="面膜")
    past = api.get(URL, {"page": 2, "page_size": 3})
    # then: the engine stops counting at the cap (track_total_hits) and says so; its aggregations
    # still see every hit, and the page is whole
    assert (everything["count"], everything["count_exact"], everything["facets_exact"]) == (3, False, True)
    assert everything["facets"]["province"] == [{"key": "广东", "count": 5}, {"key": "江西", "count": 2}]
    assert titles(everything)[:3] == ["手绘陶瓷马克杯", "蓝牙5.0耳机 入门款", "补水睡眠面膜"]
    assert (masks["count"], masks["count_exact"]) == (2, True)
    assert past.status_code == 400
    assert list(past.json()) == ["page"]
