"""The range and yes/no facets (search/range_facets.py) on the database index.

Each value counts the matching rows that pass every *other* filter. On PostgreSQL these counts
ride along in the scan that already groups the hits by facet combination (combos.py, once.py),
so they cost no second pass over the matching rows: an inner query gives each row a flag per
active range filter, and the outer GROUP BY counts with conditions on those flags and on the
small-integer price range / MOQ step columns the writer stored. Computing the ranges per row
(CASE over numerics) instead cost ~50 ms against ~35 ms over 100k rows.
"""

from __future__ import annotations  # django-stubs generics (ExpressionWrapper[…]) exist only for mypy

from collections.abc import Callable

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Model, Q, QuerySet

from ...range_facets import FIELDS, MOQ_CEILINGS, PRICE_RANGES, Condition, buckets, filters_of, listed
from ...shapes import FacetBucket
from ..base import SearchParams
from .common import GroupedRow, Labels, SqlParams, all_of

LOOKUPS = {"gte": "gte", "lte": "lte", "eq": "exact"}
YES_NO = ("customizable", "trial_eligible")


def as_q(field: str, condition: Condition) -> Q:
    return Q(**{f"{field}__{LOOKUPS[op]}": value for op, value in condition.items()})


def plain_q(params: SearchParams) -> Q:
    """Every range filter of the search, as the rows' WHERE clause."""
    return all_of(as_q(FIELDS[name], condition) for name, condition in filters_of(params).items())


def _flags(params: SearchParams) -> dict[str, ExpressionWrapper[Q]]:
    """Per row: ok_<facet>, whether it passes that facet's filter (only filtered facets have one).
    The price range and MOQ step are columns the writer filled (range_facets.price_range_index)."""
    return {
        f"ok_{name}": ExpressionWrapper(as_q(FIELDS[name], condition), output_field=BooleanField())
        for name, condition in filters_of(params).items()
        if condition  # an unfiltered facet has no flag: nothing to test
    }


def _value_conditions() -> list[tuple[str, str, str]]:
    """(facet, value, SQL over the inner query's columns) for every value of every range facet."""
    out = [("price", r.key, f"price_range = {i}") for i, r in enumerate(PRICE_RANGES)]
    out += [("moq", str(ceiling), f"moq_step <= {i}") for i, ceiling in enumerate(MOQ_CEILINGS)]
    for name in YES_NO:
        out += [(name, "true", name), (name, "false", f"NOT {name}")]
    out.append(("verified_only", "true", "verified"))
    return out


def grouped_sql(
    rows_qs: QuerySet[Model],
    params: SearchParams,
    over: Callable[[QuerySet[Model, object]], tuple[str, SqlParams]] | None = None,
    limit: int | None = None,
) -> tuple[str, SqlParams, Labels]:
    """SQL counting `rows_qs` (ProductText / ProductFilter rows) per facet combination: `n`, the
    rows passing every range filter (what the search counts), and one column per range facet
    value. `over(qs)` may rewrite the inner query's SQL (once.py points it at its matching set);
    `limit`: count only the first that many rows (capped searches). Returns (sql, params,
    column → (facet, value))."""
    flags = _flags(params)
    inner = rows_qs.annotate(**flags).values(
        "facet_id", "customizable", "trial_eligible", "verified", "price_range", "moq_step", *flags
    )
    inner_sql, inner_params = over(inner) if over else inner.query.sql_with_params()
    names = [name for name, condition in filters_of(params).items() if condition]

    def others(facet: str) -> str:
        return " AND ".join([f"ok_{name}" for name in names if name != facet] or ["TRUE"])

    every = " AND ".join(f"ok_{name}" for name in names) or "TRUE"
    columns = [f"count(*) FILTER (WHERE {every}) AS n"]
    labels: Labels = {}
    for i, (facet, key, condition) in enumerate(_value_conditions()):
        labels[f"r{i}"] = (facet, key)
        columns.append(f"count(*) FILTER (WHERE {others(facet)} AND {condition}) AS r{i}")
    # OFFSET 0 (or the LIMIT) keeps the inner query a subquery: pulled up, its flags would be
    # computed again in every count.
    bound = f" LIMIT {int(limit)}" if limit is not None else " OFFSET 0"
    sql = f"SELECT facet_id, {', '.join(columns)} FROM ({inner_sql}{bound}) AS x GROUP BY facet_id"  # noqa: S608
    return sql, inner_params, labels


def grouped_rows(
    rows_qs: QuerySet[Model], params: SearchParams, limit: int | None = None
) -> tuple[list[GroupedRow], Labels, int]:
    """The rows of grouped_sql as tuples: (facet_id, n, r0, r1, …), in `labels`' order, and how
    many rows were counted (`limit` of them: there may be more)."""
    sql, sql_params, labels = grouped_sql(rows_qs, params, limit=limit)
    sql = sql.replace("SELECT facet_id, ", "SELECT count(*), facet_id, ", 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    return [row[1:] for row in rows], labels, sum(row[0] for row in rows)


def summed(rows: list[GroupedRow], labels: Labels) -> dict[str, list[FacetBucket]]:
    """The range facets from grouped rows (those of the combinations passing the other facets).
    Summed a column at a time: ~1,600 rows × 16 counts on every search without a keyword."""
    columns = list(zip(*rows, strict=True))[2:] if rows else [()] * len(labels)
    counts: dict[str, dict[str, int]] = {name: {} for name in buckets()}
    for (name, key), column in zip(labels.values(), columns, strict=True):
        counts[name][key] = sum(column)
    return listed(counts)


def range_facets(rows: QuerySet[Model], params: SearchParams) -> dict[str, list[FacetBucket]]:
    """One aggregate over `rows` (the matching rows before any range filter, the facet filters
    applied): the path of small tables (SQLite), where a second statement costs nothing."""
    own = {name: as_q(FIELDS[name], condition) for name, condition in filters_of(params).items()}
    counts: dict[str, Count] = {}
    labels: dict[str, tuple[str, str]] = {}
    for name, values in buckets().items():
        others = all_of(q for other, q in own.items() if other != name)
        for key, condition in values:
            alias = f"r{len(labels)}"
            labels[alias] = (name, key)
            counts[alias] = Count("pk", filter=others & as_q(FIELDS[name], condition))
    totals = rows.aggregate(**counts)
    # In grouped_rows' shape: (facet_id, n, r0, r1, …); the first two are not read here (zeros).
    return summed([(0, 0, *(totals[alias] for alias in labels))], labels)
