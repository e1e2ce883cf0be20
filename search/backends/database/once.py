"""Products on PostgreSQL: facet counts and the page in ONE statement over one matching set.

A broad word (大容量 hits a tenth of the catalogue) costs most in finding its rows: the text
index, then a visit to each hit's row. Run as two queries (counts, then the page) that work was
done twice. Here the matching rows are found once, in a MATERIALIZED CTE; the counts per facet
combination and the page (an ORM-built query pointed at the CTE) come back as arrays, in one
round trip.

The matching set holds at most `cap` + 1 rows (settings.SEARCH_COUNT_CAP): up to the cap
everything is exact; past it the counts describe the first rows found, and the caller takes the
page from a sort index instead (capped.py), so no statement visits every hit of a broad word.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from ..base import SearchParams
from . import ranges
from .common import GroupedRow, Labels, SqlParams


@dataclass(frozen=True)
class Probe:
    """What a capped read also counts among the rows it read (for Sample): with a rank, the rows
    passing the range filters (`plain`) at its best tier (`best`; None without a rank: the rows
    passing every filter are the caller's count already), per facet combination (the caller
    keeps those passing the category / province / belt filters: combos.tally; as a join here
    the planner looked each row's combination up, 5 ms for 5,001 rows)."""

    plain: Q
    best: Q | None
    most: int  # count `best` only when the hits are estimated at most this many


@dataclass(frozen=True)
class Sample:
    """What a capped read says about the hits it did not read. The text index hands the hits over
    in table order (a bitmap scan), so the first cap + 1 cover the first `fraction` of the
    table's pages and are a sample of all of them: a hit count seen there, divided by
    `fraction`, estimates the same count over every hit. The estimates only choose the cheaper
    path (reader._counted_page); a wrong one costs time, never a different page."""

    read: int
    fraction: float  # of the table's pages (planner statistics) the read rows lie in, (0, 1]
    catalogue: float  # rows in the table (planner statistics; <= 0: never analyzed)
    # (facet combination, rows) of Probe.best; None: no rank, or not counted (Probe.most)
    best: list[tuple[int, int]] | None

    def total(self, seen: int) -> float:
        return seen / self.fraction

    def walk_yield(self, budget: int, passing: int, top: int) -> float | None:
        """How many best-tier hits (any hit without a rank) passing every filter a walk of
        `budget` rows down a sort index of the rows passing the filters can expect (capped.walk
        needs a page of them to stop), or None when the table was never analyzed. `passing`: the
        rows read that pass every filter, `top`: those at the best tier (`passing` without a
        rank). The filtered rows are estimated as the catalogue times the share of the rows read
        passing the filters (the words and filters taken as independent)."""
        if self.catalogue <= 0:
            return None
        if not passing:
            return 0.0
        filtered = self.catalogue * passing / self.read
        return budget * self.total(top) / filtered


def _over(qs: QuerySet[Model, object], table: str) -> tuple[str, SqlParams]:
    sql, params = qs.query.sql_with_params()
    source = f"FROM {table}"
    # The CTE takes the table's name, so every "table"."column" in the query still resolves.
    if sql.count(source) != 1:  # pragma: no cover - a query shape this module was not built for
        raise ValueError(f"expected one {source} in {sql}")
    return sql.replace(source, f"FROM m AS {table}", 1), params


def counts_and_page(
    matched: QuerySet[Model],  # ProductText rows
    params: SearchParams,
    page_qs: QuerySet[Model, object],
    cap: int | None,
    probe: Probe | None = None,
) -> tuple[list[GroupedRow], Labels, list[int], int, Sample | None]:
    """`matched`: the text hits (ProductText), before any other filter; the counts per facet
    combination (ranges.grouped_sql) and `page_qs` (built on the bare model) run over the first
    `cap` + 1 of them. Returns the grouped rows and their labels (see combos.tally_grouped), the
    page's ids, how many hits were read (more than `cap`: the rest were not; None: no cap) and,
    with a `probe`, what the rows read say about the rest (Sample; None without a probe)."""
    model = matched.model
    table = connection.ops.quote_name(model._meta.db_table)
    p_sql, p_params = _over(page_qs, table)
    # Everything but the tsvector (~0.6 KB a row), which nothing after the match reads, unless
    # the page's order does: a relaxed match ranks the rows with every word first (reader._text).
    keep_vector = '"search_vector"' in p_sql
    columns = [f.attname for f in model._meta.concrete_fields if keep_vector or f.attname != "search_vector"]
    if probe is not None:  # where each row lies in the table (Sample.fraction)
        tid = RawSQL("ctid", ())  # (a page number per row: ~4 ms more for 5,001 rows)
        rows = matched.annotate(probe_tid=tid).values_list(*columns, "probe_tid")
    else:
        rows = matched.values_list(*columns)
    m_sql, m_params = (rows if cap is None else rows[: cap + 1]).query.sql_with_params()
    g_sql, g_params, labels = ranges.grouped_sql(
        model._default_manager.all(), params, over=lambda qs: _over(qs, table)
    )
    counts = ", ".join(f"g.{alias}" for alias in labels)
    with_s, extra, e_params = ("", "", ())
    if probe is not None and cap is not None:
        with_s, extra, e_params = _probe_sql(model, probe, table, cap)
    sql = (
        f"WITH m AS MATERIALIZED ({m_sql}){with_s} "  # noqa: S608 - every value is a parameter
        # The grouped rows come back as one bigint[][] (facet_id, n, r0, …), cheaper than JSON.
        f"SELECT (SELECT array_agg(ARRAY[g.facet_id, g.n, {counts}]) FROM ({g_sql}) AS g), ARRAY({p_sql}),"
        f" {'(SELECT n FROM s)' if with_s else '(SELECT count(*) FROM m)'}{extra}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*m_params, *g_params, *p_params, *e_params))
        rows, ids, read, *probed = cursor.fetchone()
    sample = _sample(read, *probed) if probed else None
    return [tuple(row) for row in rows or []], labels, list(ids), read, sample


def _probe_sql(model: type[Model], probe: Probe, table: str, cap: int) -> tuple[str, str, SqlParams]:
    """A Sample in SQL: a second CTE `s` (the rows read, the page of the last of them, the
    table's pages and rows as the planner last counted them), its select items, and their
    parameters. With a rank, the best-tier count over the rows read, only when it can matter:
    past the cap and the hits estimated at most `probe.most` (uncorrelated subqueries under a
    CASE run only when reached: a broad word spares the scan)."""
    # One scan of the rows read counts them and finds the last page read (ctid's largest: one
    # conversion to a page number, not one a row).
    read = "SELECT count(*) AS n, (max(probe_tid)::text::point)[0] AS block FROM m"
    cte = ", s AS MATERIALIZED (SELECT c.n, c.block, relpages::float8 AS pages, reltuples::float8 AS tuples"
    cte += f" FROM ({read}) AS c, pg_class WHERE oid = '{table}'::regclass)"
    sql = ", (SELECT ARRAY[block, pages, tuples] FROM s)"
    if probe.best is None:
        return cte, sql + ", NULL", ()
    best = model._default_manager.filter(probe.plain & probe.best).values("facet_id")
    q_sql, q_params = _over(best, table)
    grouped = f"SELECT facet_id, count(*) AS n FROM ({q_sql}) AS b GROUP BY facet_id"  # noqa: S608 - parameters
    pairs = f"(SELECT COALESCE(array_agg(ARRAY[g.facet_id, g.n]), '{{}}') FROM ({grouped}) AS g)"  # noqa: S608
    # past the cap, and the hits estimated n × pages / (block + 1) at most probe.most
    wanted = f"s.n > {int(cap)} AND s.n * s.pages <= {int(probe.most)} * (s.block + 1)"
    return cte, f"{sql}, (SELECT CASE WHEN {wanted} THEN {pairs} END FROM s)", q_params  # noqa: S608


def _sample(read: int, stats: list[float | None], best: list[list[int]] | None) -> Sample:
    block, pages, rows = stats
    pages, rows = pages or 0.0, rows or 0.0
    # Never analyzed (relpages 0) or grown since: at most the whole table was read.
    fraction = min(1.0, ((block or 0) + 1) / pages) if pages > 0 else 1.0
    return Sample(read, fraction, rows, None if best is None else [(pk, n) for pk, n in best])
