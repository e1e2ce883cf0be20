"""Facets and pages when a query is given: on PostgreSQL one statement counts and pages the text
hits (search/backends/database/once.py); these pin its answers to the two-query semantics."""

from tests.search.test_search_database import URL, catalog, classic, titles  # noqa: F401 - catalog is a fixture


def test_facets_with_a_query_respect_the_other_filters_but_not_their_own(api, catalog):  # noqa: F811
    # when: 补水 is in the mask's title and in the cream's description
    response = api.get(URL, {"q": "补水", "province": "广东", "category": "facial-masks", "sort": "price"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert titles(response) == ["补水睡眠面膜"]
    assert classic(body["facets"]) == {
        "category": [{"key": "facial-masks", "count": 1}, {"key": "skincare", "count": 1}],
        "province": [{"key": "广东", "count": 1}],
        "industrial_belt": [],
    }


def test_pages_with_a_query_follow_relevance_then_id(api, catalog):  # noqa: F811
    # when
    first = api.get(URL, {"q": "面膜", "page_size": 1})
    second = api.get(URL, {"q": "面膜", "page_size": 1, "page": 2})
    # then: both titles hold the word, same factory (same quality): the older row first
    assert titles(first) == ["补水睡眠面膜"]
    assert titles(second) == ["玻尿酸面膜 10片装"]
    assert first.json()["count"] == second.json()["count"] == 2
    assert first.json()["facets"]["category"] == [{"key": "facial-masks", "count": 2}]


def test_a_query_with_no_hit_has_empty_facets(api, catalog):  # noqa: F811
    # when
    body = api.get(URL, {"q": "不存在的词", "province": "广东"}).json()
    # then
    assert body == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
        "facets": {
            "category": [],
            "province": [],
            "industrial_belt": [],
            "price": [],
            "moq": [],
            "customizable": [],
            "trial_eligible": [],
            "verified_only": [],
        },
        "relaxed": False,
        "count_exact": True,
        "facets_exact": True,
    }
