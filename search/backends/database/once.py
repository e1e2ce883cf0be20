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

from django.db import connection
from django.db.models import Model, QuerySet

from ..base import SearchParams
from . import ranges
from .common import GroupedRow, Labels, SqlParams


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
) -> tuple[list[GroupedRow], Labels, list[int], int]:
    """`matched`: the text hits (ProductText), before any other filter; the counts per facet
    combination (ranges.grouped_sql) and `page_qs` (built on the bare model) run over the first
    `cap` + 1 of them. Returns the grouped rows and their labels (see combos.tally_grouped), the
    page's ids and how many hits were read (more than `cap`: the rest were not; None: no cap)."""
    model = matched.model
    table = connection.ops.quote_name(model._meta.db_table)
    p_sql, p_params = _over(page_qs, table)
    # Everything but the tsvector (~0.6 KB a row), which nothing after the match reads, unless
    # the page's order does: a relaxed match ranks the rows with every word first (reader._text).
    keep_vector = '"search_vector"' in p_sql
    columns = [f.attname for f in model._meta.concrete_fields if keep_vector or f.attname != "search_vector"]
    rows = matched.values_list(*columns)
    m_sql, m_params = (rows if cap is None else rows[: cap + 1]).query.sql_with_params()
    g_sql, g_params, labels = ranges.grouped_sql(
        model._default_manager.all(), params, over=lambda qs: _over(qs, table)
    )
    counts = ", ".join(f"g.{alias}" for alias in labels)
    sql = (
        f"WITH m AS MATERIALIZED ({m_sql}) "  # noqa: S608 - every value is a parameter
        # The grouped rows come back as one bigint[][] (facet_id, n, r0, …), cheaper than JSON.
        f"SELECT (SELECT array_agg(ARRAY[g.facet_id, g.n, {counts}]) FROM ({g_sql}) AS g), ARRAY({p_sql}),"
        " (SELECT count(*) FROM m)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*m_params, *g_params, *p_params))
        rows, ids, read = cursor.fetchone()
    return [tuple(row) for row in rows or []], labels, list(ids), read
