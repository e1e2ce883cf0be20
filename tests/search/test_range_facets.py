"""The price / MOQ / yes-no facets (search/range_facets.py) on the database backend: exact counts,
each value counting what passes every other filter, and a click on a value finding exactly what
it counted. The engine sends the same conditions (tests/search/test_elasticsearch.py) and gives
the same counts on a real node (tests/search/test_elasticsearch_live.py)."""

import pytest

from search.range_facets import PRICE_RANGES
from tests.search.test_search_database import URL, catalog  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

RANGES = ("price", "moq", "customizable", "trial_eligible", "verified_only")


def ranged(body) -> dict:
    return {name: {f["key"]: f["count"] for f in body["facets"][name]} for name in RANGES}


def test_counts_without_filters(api, catalog):  # noqa: F811
    assert ranged(api.get(URL).json()) == {
        "price": {"0-20": 1, "20-50": 3, "50-100": 2, "100-200": 1},  # no product at ¥200+: not listed
        "moq": {"50": 2, "100": 3, "500": 6, "1000": 7, "5000": 7},  # ceilings: they nest
        "customizable": {"true": 2, "false": 5},
        "trial_eligible": {"true": 6, "false": 1},
        "verified_only": {"true": 7},
    }


def test_each_facet_leaves_out_its_own_filter_only(api, catalog):  # noqa: F811
    # when: ¥20–49.99 and customizable (TWS earphones, ¥45)
    body = api.get(URL, {"price_min": "20", "price_max": "49.99", "customizable": "true"}).json()
    # then
    assert body["count"] == 1
    assert ranged(body) == {
        "price": {"0-20": 1, "20-50": 1},  # customizable ones at any price
        "moq": {"500": 1, "1000": 1, "5000": 1},
        "customizable": {"true": 1, "false": 2},  # ¥20–49.99 ones either way
        "trial_eligible": {"true": 1},
        "verified_only": {"true": 1},
    }


def test_with_a_query_the_counts_are_over_its_hits(api, catalog):  # noqa: F811
    body = api.get(URL, {"q": "面膜", "moq_max": "300"}).json()
    assert body["count"] == 1
    assert ranged(body)["moq"] == {"500": 2, "1000": 2, "5000": 2}
    assert ranged(body)["price"] == {"20-50": 1}


@pytest.mark.parametrize("bucket", PRICE_RANGES, ids=lambda r: r.key)
def test_clicking_a_price_range_finds_what_it_counted(api, catalog, bucket):  # noqa: F811
    counted = ranged(api.get(URL).json())["price"].get(bucket.key, 0)
    params = {k: str(v) for k, v in (("price_min", bucket.low), ("price_max", bucket.high)) if v is not None}
    assert api.get(URL, params).json()["count"] == counted


@pytest.mark.parametrize("ceiling", ["50", "100", "500", "1000", "5000"])
def test_clicking_a_moq_ceiling_finds_what_it_counted(api, catalog, ceiling):  # noqa: F811
    counted = ranged(api.get(URL).json())["moq"][ceiling]
    assert api.get(URL, {"moq_max": ceiling}).json()["count"] == counted


def test_a_price_on_a_range_boundary_counts_once(api, catalog):  # noqa: F811
    from tests.search.conftest import index_all, product

    product("边界价商品", price="49.99")
    product("整五十", price="50.00")
    index_all()
    counts = ranged(api.get(URL).json())["price"]
    assert (counts["20-50"], counts["50-100"]) == (4, 3)
    assert api.get(URL, {"price_min": "20", "price_max": "49.99"}).json()["count"] == 4


@pytest.mark.parametrize(
    ("price", "index"),
    [
        ("0.01", 0),
        ("19.99", 0),
        ("20.00", 1),
        ("49.99", 1),
        ("50.00", 2),
        ("199.99", 3),
        ("200.00", 4),
        ("9999999.99", 4),
    ],
)
def test_the_price_range_stored_on_index_rows(price, index):
    from decimal import Decimal

    from search.range_facets import price_range_index

    assert price_range_index(Decimal(price)) == index
    bucket = PRICE_RANGES[index]
    assert (bucket.low is None or bucket.low <= Decimal(price)) and (
        bucket.high is None or Decimal(price) <= bucket.high
    )


@pytest.mark.parametrize(
    ("moq", "step"), [(1, 0), (50, 0), (51, 1), (100, 1), (500, 2), (5000, 4), (5001, 5)]
)
def test_the_moq_step_stored_on_index_rows(moq, step):
    from search.range_facets import moq_step

    assert moq_step(moq) == step
