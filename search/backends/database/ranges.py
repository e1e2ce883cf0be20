"""The range and yes/no facets (search/range_facets.py) on the database index: one statement of
conditional counts over the rows that match the text and the category / province / belt filters,
each value counting only the rows that pass the other range filters too."""

from django.db.models import Count, Q

from ...range_facets import FIELDS, buckets, filters_of, listed
from ..base import SearchParams

LOOKUPS = {"gte": "gte", "lte": "lte", "eq": "exact"}


def as_q(field: str, condition: dict) -> Q:
    return Q(**{f"{field}__{LOOKUPS[op]}": value for op, value in condition.items()})


def plain_q(params: SearchParams) -> Q:
    """Every range filter of the search, as the rows' WHERE clause."""
    q = Q()
    for name, condition in filters_of(params).items():
        q &= as_q(FIELDS[name], condition)
    return q


def range_facets(rows, params: SearchParams) -> dict[str, list[dict]]:
    """`rows`: the matching rows before any range filter (a queryset over an index table)."""
    own = {name: as_q(FIELDS[name], condition) for name, condition in filters_of(params).items()}
    annotations, labels = {}, {}
    for name, values in buckets().items():
        others = Q()
        for other, q in own.items():
            if other != name:
                others &= q
        for key, condition in values:
            alias = f"n{len(labels)}"  # keys like "20-50" are no SQL aliases
            labels[alias] = (name, key)
            annotations[alias] = Count("pk", filter=others & as_q(FIELDS[name], condition))
    counts: dict[str, dict[str, int]] = {name: {} for name in buckets()}
    for alias, n in rows.aggregate(**annotations).items():
        name, key = labels[alias]
        counts[name][key] = n
    return listed(counts)
