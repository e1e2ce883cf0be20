"""The Elasticsearch backend through a fake node: exact mappings, query JSON, bulk actions, alias swap,
and realistic responses turned into the same results as the database backend."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from search import fit
from search.backends import SearchParams, SearchUnavailable
from search.backends.database import DatabaseBackend
from search.backends.elastic import mappings
from search.indexing import index_rows, rebuild
from search.range_facets import RANGE_FACETS, buckets
from search.selectors import buyer_needs
from tests import makers
from tests.search.conftest import index_all, product
from tests.search.fake_es import FakeCluster, FakeElasticsearchBackend, FakeNode, response
from tests.search.records import NO_RECORD

PRODUCT_MAPPING = {
    "settings": {
        "number_of_shards": 1,
        "number_of_replicas": 1,
        "refresh_interval": "1s",
        "analysis": {
            "analyzer": {
                # indexed with unigrams too, searched without: one character finds it inside words
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
            },
            "filter": {"cjk_bigram_unigrams": {"type": "cjk_bigram", "output_unigrams": True}},
        },
    },
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "body": {"analyzer": "cjk_text", "search_analyzer": "cjk_query", "type": "text"},
            "category_name": {"index": False, "type": "keyword"},
            "category_name_en": {"index": False, "type": "keyword"},
            "category_slug": {"type": "keyword"},
            "created_at": {"type": "date"},
            "customizable": {"type": "boolean"},
            "factory_name": {"type": "keyword"},
            "factory_pk": {"type": "long"},
            "factory_price": {"scaling_factor": 100, "type": "scaled_float"},
            "id": {"type": "long"},
            "industrial_belt": {"type": "keyword"},
            "moq": {"type": "integer"},
            "names": {"analyzer": "cjk_text", "search_analyzer": "cjk_query", "type": "text"},
            "parent_category_slug": {"type": "keyword"},
            "province": {"type": "keyword"},
            "quality": {"type": "float"},
            "record": {"enabled": False, "type": "object"},
            "tier": {"type": "keyword"},
            "title": {
                "analyzer": "cjk_text",
                "search_analyzer": "cjk_query",
                "fields": {"keyword": {"ignore_above": 256, "type": "keyword"}},
                "type": "text",
            },
            "trial_eligible": {"type": "boolean"},
            "verified": {"type": "boolean"},
        },
    },
}


@pytest.fixture
def cluster():
    FakeNode.cluster = FakeCluster()
    return FakeNode.cluster


@pytest.fixture
def es(cluster):
    return FakeElasticsearchBackend()


@pytest.fixture
def mask(db):
    factory = makers.FactoryMaker(name="白云美妆厂", province="广东", tier="super")
    return product("补水睡眠面膜", factory=factory, category="facial-masks", price="38.00", moq=200)


def last_search(cluster):
    return cluster.calls("POST", r"/t-\w+/_search")[-1][2]


def test_first_write_creates_the_index_with_the_exact_mapping_and_alias(es, cluster, mask):
    # when
    index_rows("product", [mask.pk], es)
    # then
    _, path, body = cluster.calls("PUT", r"/t-products-\d+")[0]
    assert body == PRODUCT_MAPPING
    assert cluster.calls("POST", "/_aliases")[0][2] == {
        "actions": [{"add": {"index": path.strip("/"), "alias": "t-products"}}]
    }


def test_ik_analysis_when_the_plugin_is_installed():
    body = mappings.index_body("product", ik=True)
    assert "analysis" not in body["settings"]
    assert body["mappings"]["properties"]["title"] == {
        "analyzer": "ik_max_word",
        "search_analyzer": "ik_smart",
        "fields": {"keyword": {"ignore_above": 256, "type": "keyword"}},
        "type": "text",
    }


def test_every_document_field_is_mapped(es, cluster, mask):
    # given: strict mappings refuse unknown fields, so documents.py and mappings.py must agree
    makers.BuyerMaker()
    index_all_into(es)
    # then
    for kind in mappings.KINDS:
        (index,) = cluster.resolve(es.alias(kind))
        mapped = set(cluster.indices[index]["body"]["mappings"]["properties"])
        for source in cluster.indices[index]["docs"].values():
            assert set(source) <= mapped


def index_all_into(es):
    from buyers.models import BuyerProfile
    from factories.models import Factory, Product

    index_rows("factory", list(Factory.objects.values_list("pk", flat=True)), es)
    index_rows("product", list(Product.objects.values_list("pk", flat=True)), es)
    index_rows("buyer", list(BuyerProfile.objects.values_list("pk", flat=True)), es)


def test_bulk_actions_index_public_rows_and_delete_hidden_ones(es, cluster, mask):
    # given
    hidden = product("待审核面膜", category="facial-masks", status="pending_review")
    # when
    index_rows("product", [mask.pk, hidden.pk], es)
    # then
    lines = cluster.calls("PUT", "/_bulk")[0][2]
    assert lines[0] == {"index": {"_id": mask.pk, "_index": "t-products"}}
    assert lines[1] | {"created_at": "…"} == {
        "id": mask.pk,
        "title": "补水睡眠面膜",
        "names": "面膜 Facial masks 白云美妆厂 美妆个护 Beauty & Personal Care",
        "body": "",
        "province": "广东",
        "created_at": "…",
        "factory_pk": mask.factory_id,
        "category_slug": "facial-masks",
        "parent_category_slug": "beauty",
        "category_name": "面膜",
        "category_name_en": "Facial masks",
        "factory_price": 38.0,
        "moq": 200,
        "customizable": False,
        "trial_eligible": True,
        "factory_name": "白云美妆厂",
        "industrial_belt": "",
        "tier": "super",
        "verified": True,
        # no trials yet: the record's figures are zero and its score is the prior's (outcomes.py)
        "record": NO_RECORD,
        "quality": 0.6086,
    }
    assert lines[2] == {"delete": {"_id": hidden.pk, "_index": "t-products"}}
    # the factories' price range / MOQ follow their products (partial updates)
    updates = cluster.calls("PUT", "/_bulk")[1][2]
    assert dict(zip([u["update"]["_id"] for u in updates[::2]], updates[1::2], strict=True)) == {
        mask.factory_id: {"doc": {"price_min": 38.0, "price_max": 38.0, "moq_min": 200, "product_count": 1}},
        hidden.factory_id: {
            "doc": {"price_min": None, "price_max": None, "moq_min": None, "product_count": 0}
        },
    }


@pytest.mark.parametrize(
    ("params", "facet", "clause"),
    [
        (
            {"price_min": Decimal("10"), "price_max": Decimal("60")},
            "price",
            {"range": {"factory_price": {"gte": 10.0, "lte": 60.0}}},
        ),
        ({"moq_max": 300}, "moq", {"range": {"moq": {"lte": 300}}}),
        ({"customizable": True}, "customizable", {"term": {"customizable": True}}),
        ({"trial_eligible": False}, "trial_eligible", {"term": {"trial_eligible": False}}),
        ({"verified_only": True}, "verified_only", {"term": {"verified": True}}),
    ],
)
def test_product_filters_are_facets(es, cluster, db, params, facet, clause):
    """Each filter narrows the hits (post_filter) and every facet's counts but its own."""
    # when
    es.search_products(SearchParams(**params))
    # then
    body = last_search(cluster)
    assert (body["query"], body["post_filter"]) == ({"bool": {}}, {"bool": {"filter": [clause]}})
    for name, agg in body["aggs"].items():
        assert agg["filter"] == ({"bool": {}} if name == facet else {"bool": {"filter": [clause]}}), name


def test_range_facet_aggregations(es, cluster, db):
    # when
    es.search_products(SearchParams())
    # then: one `filters` aggregation per range facet, its values as search/range_facets.py says
    aggs = last_search(cluster)["aggs"]

    def values(name):
        return aggs[name]["aggs"][name]["filters"]["filters"]

    assert values("price") == {
        "0-20": {"range": {"factory_price": {"lte": 19.99}}},
        "20-50": {"range": {"factory_price": {"gte": 20.0, "lte": 49.99}}},
        "50-100": {"range": {"factory_price": {"gte": 50.0, "lte": 99.99}}},
        "100-200": {"range": {"factory_price": {"gte": 100.0, "lte": 199.99}}},
        "200-": {"range": {"factory_price": {"gte": 200.0}}},
    }
    assert values("moq") == {str(n): {"range": {"moq": {"lte": n}}} for n in (50, 100, 500, 1000, 5000)}
    assert values("customizable") == {
        "true": {"term": {"customizable": True}},
        "false": {"term": {"customizable": False}},
    }
    assert values("trial_eligible") == {
        "true": {"term": {"trial_eligible": True}},
        "false": {"term": {"trial_eligible": False}},
    }
    assert values("verified_only") == {"true": {"term": {"verified": True}}}


def test_text_query_facets_and_post_filter(es, cluster, db):
    # when
    es.search_products(
        SearchParams(q="补水面膜", category="facial-masks", province="广东", limit=5, offset=10)
    )
    # then
    category = {
        "bool": {
            "should": [
                {"term": {"category_slug": "facial-masks"}},
                {"term": {"parent_category_slug": "facial-masks"}},
            ]
        }
    }
    province = {"term": {"province": "广东"}}

    def facet(name, field, others):
        return {
            "filter": {"bool": {"filter": others} if others else {}},
            "aggs": {
                name: {"terms": {"field": field, "order": [{"_count": "desc"}, {"_key": "asc"}], "size": 50}}
            },
        }

    # the strict search first; it found fewer than a page (the fake node answers no hits), so the
    # relaxed one followed: the same body with the text query asking for most words
    strict, relaxed = (call[2] for call in cluster.calls("POST", r"/t-\w+/_search"))
    body = strict
    for name in RANGE_FACETS:
        assert body["aggs"][name]["filter"] == {"bool": {"filter": [category, province]}}
    words = [
        {"multi_match": {"query": w, "fields": ["title^3", "names^2", "body"], "operator": "and"}}
        for w in ("补水", "面膜")
    ]
    assert relaxed["query"]["function_score"]["query"]["bool"]["must"] == [
        {
            "bool": {
                "should": [
                    {"bool": {"must": [words[0]]}},
                    {"bool": {"must": [words[1]]}},
                    {"constant_score": {"filter": {"bool": {"must": words}}, "boost": 1000.0}},
                ],
                "minimum_should_match": 1,
            }
        }
    ]
    assert {k: v for k, v in relaxed.items() if k != "query"} == {
        k: v for k, v in strict.items() if k != "query"
    }
    assert body == {
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "must": [
                            {
                                "bool": {
                                    "must": [
                                        {
                                            "multi_match": {
                                                "query": "补水",
                                                "fields": ["title^3", "names^2", "body"],
                                                "operator": "and",
                                            }
                                        },
                                        {
                                            "multi_match": {
                                                "query": "面膜",
                                                "fields": ["title^3", "names^2", "body"],
                                                "operator": "and",
                                            }
                                        },
                                    ]
                                }
                            }
                        ]
                    }
                },
                "functions": [{"weight": 1}, {"field_value_factor": {"field": "quality", "missing": 0}}],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        },
        "post_filter": {"bool": {"filter": [category, province]}},
        "aggs": {
            "category": facet("category", "category_slug", [province]),
            "province": facet("province", "province", [category]),
            "industrial_belt": facet("industrial_belt", "industrial_belt", [category, province]),
            # the range facets (test_range_facet_aggregations) see both filters
            **{name: body["aggs"][name] for name in RANGE_FACETS},
        },
        "sort": ["_score", {"quality": "desc"}, {"id": "asc"}],
        "from": 10,
        "size": 5,
        "track_total_hits": settings.SEARCH_COUNT_CAP,
        "_source": False,
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", [{"factory_price": "asc"}, {"id": "asc"}]),
        ("-price", [{"factory_price": "desc"}, {"id": "asc"}]),
        ("newest", [{"created_at": "desc"}, {"id": "desc"}]),
        ("relevance", [{"quality": "desc"}, {"created_at": "desc"}, {"id": "asc"}]),
    ],
)
def test_sorts(es, cluster, db, sort, expected):
    es.search_products(SearchParams(sort=sort))
    assert last_search(cluster)["sort"] == expected


def test_factory_search_filters_on_price_range_and_expanded_category(es, cluster, db):
    # when
    es.search_factories(
        SearchParams(category="ceramics", price_min=Decimal("20"), trial_eligible=True, sort="price")
    )
    # then
    body = last_search(cluster)
    assert body["query"] == {
        "bool": {"filter": [{"range": {"price_max": {"gte": 20.0}}}, {"term": {"accepts_trials": True}}]}
    }
    assert body["post_filter"] == {
        "bool": {
            "filter": [
                {
                    "terms": {
                        "category_slugs": ["ceramics", "tableware", "tea-sets", "cups-mugs", "vases-decor"]
                    }
                }
            ]
        }
    }
    assert body["sort"] == [{"price_min": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]


def test_latin_query_without_hits_retries_with_fuzziness(es, cluster, db):
    # when
    es.search_products(SearchParams(q="bluetoth"))
    # then
    bodies = [r[2] for r in cluster.calls("POST", r"/t-products/_search")]
    assert len(bodies) == 2
    assert bodies[1]["query"]["function_score"]["query"]["bool"]["must"] == [
        {"match": {"title": {"query": "bluetoth", "fuzziness": "AUTO", "operator": "and"}}}
    ]


def test_match_query_uses_the_fit_rules(es, cluster, db):
    # given
    needs = fit.BuyerNeeds(
        categories=frozenset({"facial-masks"}),
        price_min=Decimal("30"),
        price_max=Decimal("60"),
        units_per_session=500,
        needs_customization=True,
        province="广东",
    )
    # when
    es.match("product", fit.PRODUCT_FOR_BUYER, needs, 20)
    # then
    assert last_search(cluster) == {
        "query": {
            "function_score": {
                "query": {"match_all": {}},
                "functions": [
                    {"filter": {"terms": {"category_slug": ["facial-masks"]}}, "weight": 10.0},
                    {"filter": {"range": {"factory_price": {"gte": 30.0, "lte": 60.0}}}, "weight": 10.0},
                    {"filter": {"range": {"moq": {"lte": 500}}}, "weight": 10.0},
                    {"filter": {"term": {"customizable": True}}, "weight": 10.0},
                    {"field_value_factor": {"field": "quality", "missing": 0}},
                    {"filter": {"term": {"province": "广东"}}, "weight": 0.05},
                ],
                "score_mode": "sum",
                "boost_mode": "replace",
            }
        },
        "sort": ["_score", {"id": "asc"}],
        "size": 20,
    }


def test_a_realistic_search_response_gives_the_database_backends_results(es, cluster, mask):
    # given: the same catalog in both backends
    other = product("玻尿酸面膜", category="facial-masks", price="55.00")
    index_all()
    params = SearchParams(q="面膜")
    expected = DatabaseBackend().search_products(params)
    # the range facets' counts as the database counted them (the engine would count the same)
    counted = {name: {f["key"]: f["count"] for f in expected.facets[name]} for name in RANGE_FACETS}
    assert counted["price"] == {"20-50": 1, "50-100": 1}
    hits = [
        {"_index": "t-products-1", "_id": str(pk), "_score": 2.5 - i, "sort": [2.5 - i]}
        for i, pk in enumerate(expected.ids)
    ]
    cluster.search_responses.append(
        response(
            hits,
            aggregations={
                "category": {
                    "doc_count": 2,
                    "category": {
                        "doc_count_error_upper_bound": 0,
                        "sum_other_doc_count": 0,
                        "buckets": [{"key": "facial-masks", "doc_count": 2}],
                    },
                },
                "province": {
                    "doc_count": 2,
                    "province": {
                        "doc_count_error_upper_bound": 0,
                        "sum_other_doc_count": 0,
                        "buckets": [{"key": "广东", "doc_count": 1}, {"key": "浙江", "doc_count": 1}],
                    },
                },
                "industrial_belt": {
                    "doc_count": 2,
                    "industrial_belt": {
                        "doc_count_error_upper_bound": 0,
                        "sum_other_doc_count": 0,
                        # products of factories outside any belt are indexed with "": no facet value
                        "buckets": [{"key": "", "doc_count": 2}],
                    },
                },
                # a `filters` aggregation answers with every value, zero counts too
                **{
                    name: {
                        "doc_count": 2,
                        name: {
                            "buckets": {key: {"doc_count": counted[name].get(key, 0)} for key, _ in values}
                        },
                    }
                    for name, values in buckets().items()
                },
            },
        )
    )
    # when
    page = es.search_products(params)
    # then
    assert page == expected
    assert sorted(page.ids) == sorted([mask.pk, other.pk])


def test_a_realistic_match_response_gives_the_same_scores_and_reasons(es, cluster, mask):
    # given
    product("清洁面膜", category="facial-masks", price="95.00", moq=100)
    product("收纳盒", category="storage", price="40.00")
    buyer = makers.BuyerMaker(
        categories=["beauty"], price_min=Decimal("30"), price_max=Decimal("60"), province="广东"
    )
    index_all()
    index_all_into(es)
    needs = buyer_needs(buyer)
    with translation.override("en"):
        expected = DatabaseBackend().match("product", fit.PRODUCT_FOR_BUYER, needs, 10)
    stored = cluster.docs("t-products")
    cluster.search_responses.append(
        response(
            [
                {"_index": "t-products-1", "_id": str(m.id), "_score": 30.0 - i, "_source": stored[str(m.id)]}
                for i, m in enumerate(expected)
            ]
        )
    )
    # when
    with translation.override("en"):
        got = es.match("product", fit.PRODUCT_FOR_BUYER, needs, 10)
    # then
    assert got == expected
    assert got[0].reasons[:2] == [
        "In a category you sell: Facial masks",
        "Price ¥38 is within your price band ¥30–60",
    ]


def test_rebuild_fills_a_new_index_and_swaps_the_alias_atomically(es, cluster, mask, settings):
    # given: an existing index behind the alias
    index_rows("product", [mask.pk], es)
    (old,) = cluster.resolve("t-products")
    settings.SEARCH_BACKEND = "tests.search.fake_es.FakeElasticsearchBackend"
    cluster.requests.clear()
    # when
    result = rebuild("product")
    # then
    new = result["index"]
    assert result["indexed"] == 1 and result["replaced"] == [old]
    assert [(m, p) for m, p, _ in cluster.requests] == [
        ("PUT", f"/{new}"),
        ("POST", "/_aliases"),
        ("PUT", "/_bulk"),
        ("POST", f"/{new}/_refresh"),
        ("HEAD", "/_alias/t-products"),
        ("GET", "/_alias/t-products"),
        ("POST", "/_aliases"),
        ("DELETE", f"/{old}"),
    ]
    assert cluster.requests[1][2] == {"actions": [{"add": {"index": new, "alias": "t-products-next"}}]}
    assert cluster.requests[6][2] == {
        "actions": [
            {"remove": {"index": old, "alias": "t-products"}},
            {"add": {"index": new, "alias": "t-products"}},
            {"remove": {"index": new, "alias": "t-products-next"}},
        ]
    }
    assert set(cluster.docs("t-products")) == {str(mask.pk)}


def test_writes_during_a_rebuild_go_to_both_indices(es, cluster, mask):
    # given: a rebuild in progress (the -next alias exists)
    index_rows("product", [mask.pk], es)
    new = es._new_index("product")
    es.client.indices.update_aliases(actions=[{"add": {"index": new, "alias": "t-products-next"}}])
    cluster.requests.clear()
    # when
    index_rows("product", [mask.pk], es)
    # then
    lines = cluster.calls("PUT", "/_bulk")[0][2]
    assert [next(iter(line.values()))["_index"] for line in lines[::2]] == ["t-products", "t-products-next"]


def test_cluster_down_raises_unavailable_and_search_api_answers_503(es, cluster, mask, api, settings):
    # given
    cluster.down = True
    settings.SEARCH_BACKEND = "tests.search.fake_es.FakeElasticsearchBackend"
    # then
    with pytest.raises(SearchUnavailable):
        index_rows("product", [mask.pk], es)
    response_ = api.get("/api/v1/search/products/", {"q": "面膜"})
    assert response_.status_code == 503
    assert response_.json() == {"detail": "Search is temporarily unavailable; try again in a minute."}
    buyer = makers.BuyerMaker()
    assert api.as_user(buyer.user).get("/api/v1/matches/products/").status_code == 503
