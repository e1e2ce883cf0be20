"""Query helpers that PostgreSQL answers faster than the ORM's default spelling."""

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db import connection, connections, router
from django.db.models import BooleanField, Model, QuerySet
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


def insert_unless_exists(obj: Model, conflict_fields: Sequence[str]) -> bool:
    """INSERT `obj` unless a row with the same `conflict_fields` (a unique constraint's) exists:
    True with `obj` saved (its key set), False with `obj` left unsaved.

    One statement, INSERT … ON CONFLICT DO NOTHING RETURNING, where get_or_create spends a SELECT,
    a savepoint, the INSERT and its release (and the caller a savepoint around them, for the
    IntegrityError of a race): a notification's row was six round trips of a trial's create and
    cancel (issue 11). A concurrent INSERT of the same key waits on the unique index and then finds
    the row, as get_or_create's retry did. Model save signals are not sent (none is connected to
    the models that use this; a test of marketplace.notifications holds that)."""
    meta = obj._meta
    using = router.db_for_write(type(obj), instance=obj)
    conn = connections[using]
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection=conn) for field in fields]
    qn = conn.ops.quote_name
    columns = ", ".join(qn(_column(field)) for field in fields)
    conflict = ", ".join(qn(_column(meta.get_field(name))) for name in conflict_fields)
    # Identifiers from the model, quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {qn(_column(meta.pk))}"
    )
    with conn.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding, obj._state.db = False, using
    return True


def _column(field: object) -> str:
    column = getattr(field, "column", None)  # a concrete field's; a reverse relation has none
    if not column:
        raise ValueError(f"{field} is no column of its table")
    return str(column)
