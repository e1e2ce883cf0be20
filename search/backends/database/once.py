"""Products on PostgreSQL: facet counts and the page in ONE statement over one matching set.

A broad word (大容量 hits a tenth of the catalogue) costs most in finding its rows: the text
index, then a visit to each hit's row. Run as two queries (counts, then the page) that work was
done twice. Here the matching rows are found once, in a MATERIALIZED CTE named like the table, and
the two ORM-built queries read it instead of the table: counts come back as JSON, page ids as an
array, in one round trip.
"""

from django.db import connection


def _over(qs, table: str) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    source = f"FROM {table}"
    # The CTE takes the table's name, so every "table"."column" in the query still resolves.
    if sql.count(source) != 1:  # pragma: no cover - a query shape this module was not built for
        raise ValueError(f"expected one {source} in {sql}")
    return sql.replace(source, f"FROM m AS {table}", 1), params


def _grouping_sets(sql: str, n: int) -> str:
    """GROUP BY the n facet columns → one set per column plus the grand total: ~90 rows back
    instead of one per (category, province, belt) combination (~1,500 for a broad word)."""
    plain = "GROUP BY " + ", ".join(str(i) for i in range(1, n + 1))
    if sql.count(plain) != 1:  # pragma: no cover - a query shape this module was not built for
        raise ValueError(f"expected one {plain} in {sql}")
    sets = ", ".join(f"({i})" for i in range(1, n + 1))
    return sql.replace(plain, f"GROUP BY GROUPING SETS ({sets}, ())", 1)


def counts_and_page(matched, facets_qs, page_qs, n_columns: int) -> tuple[list[dict], list[int]]:
    """`matched`: the filtered rows; `facets_qs` / `page_qs`: built on the bare model (no filters
    that `matched` already holds), to be run over the matching set. `facets_qs` groups by its
    first `n_columns` columns; the rows come back per grouping set: the facet columns are never
    NULL in the table, so NULL in a row means "not grouped by this column" (all NULL: the total)."""
    model = matched.model
    table = connection.ops.quote_name(model._meta.db_table)
    # Everything but the tsvector (~1 KB a row), which nothing after the match reads.
    columns = [f.attname for f in model._meta.concrete_fields if f.attname != "search_vector"]
    m_sql, m_params = matched.values_list(*columns).query.sql_with_params()
    f_sql, f_params = _over(facets_qs, table)
    f_sql = _grouping_sets(f_sql, n_columns)
    p_sql, p_params = _over(page_qs, table)
    sql = (
        f"WITH m AS MATERIALIZED ({m_sql}) "  # noqa: S608 - every value is a parameter
        f"SELECT (SELECT COALESCE(json_agg(f), '[]') FROM ({f_sql}) AS f), ARRAY({p_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*m_params, *f_params, *p_params))
        rows, ids = cursor.fetchone()
    return rows, list(ids)
