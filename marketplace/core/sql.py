"""Query helpers that PostgreSQL answers faster than the ORM's default spelling."""

from collections.abc import Iterable
from typing import TypeVar

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

Rows = TypeVar("Rows", bound=QuerySet)


def among(qs: Rows, ids: Iterable[int], field: str = "pk") -> Rows:
    """The rows of `qs` whose `field` (the key, or a foreign key) is one of `ids`, sent to
    PostgreSQL as ONE array parameter. `field__in` prepares each of (say) 1,000 keys through the
    field in Python and psycopg then sends each as its own parameter: ~8 ms a batch of the
    search indexer, a tenth of its time. Other databases get the plain `__in`.
    The array goes as its text form ('{1,2,3}'): psycopg builds a list parameter element by
    element in Python (2.3 ms of CPU for 1,000 keys against 0.5 ms)."""
    ids = list(ids)
    if connection.vendor != "postgresql":
        return qs.filter(**{f"{field}__in": ids})
    model = qs.model
    column = model._meta.pk.column if field == "pk" else model._meta.get_field(field).column
    qn = connection.ops.quote_name
    # Identifiers from the model; the keys are the one parameter.
    sql = f"{qn(model._meta.db_table)}.{qn(column)} = ANY(%s::bigint[])"
    array = "{" + ",".join(map(str, map(int, ids))) + "}"  # int(): only numbers reach the text
    return qs.filter(RawSQL(sql, (array,), output_field=BooleanField()))  # noqa: S611
