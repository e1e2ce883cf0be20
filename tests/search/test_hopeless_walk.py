"""Past the count cap, a walk the rows read say cannot settle is not tried (issue 11).

capped.walk stops once it has found a page of hits at the rank's best tier. The capped read
(once.counts_and_page) counts those among the rows it read and where in the table it stopped
(once.Sample); when a walk of WALK_BUDGET rows can expect fewer than a page of them, the search
ranks every hit straight away, as it does after a failed walk, without the walk's round trips
(竹纤维 at 1M products: 2,805 of its 16,148 hits hold the word in the title, ~11 expected in the
4,096 rows a walk reads, 21 needed). The page is the full ranking's either way. PostgreSQL only:
SQLite has no capped read.
"""

import pytest
from django.db import connection

from search.backends.database import capped, once, reader
from tests.search.test_count_cap import CAP, catalog, ids, search  # noqa: F401 - a fixture

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the capped read and the walk are PostgreSQL's"
)


@pytest.fixture
def walks(monkeypatch, catalog):  # noqa: F811 - the fixture imported above
    """The walks tried, after the catalog's rows are counted by ANALYZE (the estimate reads the
    planner's row and page counts, and does not guess for a table never analyzed)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_producttext")
    tried: list[str] = []
    real = capped.walk

    def walk(*args, **kwargs):
        tried.append("walk")
        return real(*args, **kwargs)

    monkeypatch.setattr(capped, "walk", walk)
    monkeypatch.setattr(capped, "FIRST_BATCH", 4)
    return tried


@pytest.mark.parametrize("sort", ["relevance", "price"])
def test_a_walk_that_cannot_find_a_page_is_not_tried(api, walks, settings, monkeypatch, sort):
    settings.SEARCH_COUNT_CAP = 1000
    full = search(api, q="保温杯", sort=sort, page_size=5)
    # A walk of 8 rows of the 54 products can expect under one best-tier hit: a page needs 6.
    monkeypatch.setattr(capped, "WALK_BUDGET", 8)
    settings.SEARCH_COUNT_CAP = CAP
    body = search(api, q="保温杯", sort=sort, page_size=5)
    assert walks == []
    assert ids(body) == ids(full)
    # ranked from every hit: the count is exact, as after a walk that failed
    assert (body["count"], body["count_exact"], body["facets_exact"]) == (48, True, True)


@pytest.mark.parametrize("sort", ["relevance", "price"])
def test_a_walk_that_can_find_a_page_is_tried(api, walks, settings, sort):
    """With the budget it has, the same walk is expected to settle (a third of the hits hold the
    word in the title): it runs, and gives the full ranking's page."""
    settings.SEARCH_COUNT_CAP = 1000
    full = search(api, q="保温杯", sort=sort, page_size=5)
    settings.SEARCH_COUNT_CAP = CAP
    body = search(api, q="保温杯", sort=sort, page_size=5)
    assert walks == ["walk"]
    assert ids(body) == ids(full)
    assert (body["count"], body["count_exact"]) == (CAP, False)


def test_the_sample_estimates_from_the_share_of_the_table_read():
    # 5,001 rows read in the first 31% of the pages, 870 at the best tier, no filter: ~2,806
    # best-tier hits in a catalogue of 1M, ~11.5 of them in a walk of 4,096 rows.
    sample = once.Sample(read=5001, fraction=0.31, catalogue=1_000_000, best=[])
    assert sample.walk_yield(4096, passing=5001, top=870) == pytest.approx(4096 * 870 / 0.31 / 1_000_000)
    # filters passed by a fifth of the rows read: the walk reads a fifth of the catalogue
    assert sample.walk_yield(4096, passing=1000, top=174) == pytest.approx(
        4096 * (174 / 0.31) / (1_000_000 * 1000 / 5001)
    )
    # nothing passes the filters: nothing to expect; never analyzed: no estimate
    assert sample.walk_yield(4096, passing=0, top=0) == 0.0
    assert once.Sample(5001, 0.31, -1, []).walk_yield(4096, passing=5001, top=870) is None


def test_a_walk_is_still_tried_when_the_hits_are_estimated_too_many_to_rank(
    api, walks, settings, monkeypatch
):
    """Ranking every hit is bounded: past RANK_ALL_LIMIT caps of estimated hits the walk is tried
    even when it is not expected to settle (here: a limit of none)."""
    monkeypatch.setattr(reader, "RANK_ALL_LIMIT", 0)
    monkeypatch.setattr(capped, "WALK_BUDGET", 8)
    settings.SEARCH_COUNT_CAP = CAP
    body = search(api, q="保温杯", page_size=5)
    assert walks == ["walk"]
    # the walk of 8 rows did not settle: every hit was ranked after it
    assert (body["count"], body["count_exact"]) == (48, True)
