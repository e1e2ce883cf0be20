"""Querysets compiled once per database connection: the hot lookups of the busiest requests.

The ORM builds and compiles a queryset's SQL again on every call, and for a select_related that
costs more CPU than PostgreSQL spends answering it: the token lookup of every API request took
~1.3 ms of CPU, of which ~0.2 ms was running the query (issue 11). A `CompiledQuery` builds its
queryset once with marker values in place of its arguments, compiles it, finds the markers among
the SQL's parameters and keeps all of it; each call then runs that SQL with its own values and
makes the model instances (with their select_related objects) with Django's own populators and
converters.

Only values change between calls, never the query's shape: a queryset whose shape depends on the
arguments (a list of any length, a role's filter, a None) is no candidate. Each argument is an
int or a str that its lookup passes to the database as it is (an exact lookup on an integer or
text column); compiling refuses a marker it does not find exactly once among the parameters. An
int beyond the 64-bit range matches nothing, as the ORM's exact lookup answers.
"""

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

_INT_RANGE = range(-(2**63), 2**63)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]  # where each argument goes among the parameters
    start: int  # the model's own columns: row[start:end]
    end: int
    init_list: list[str]
    populators: list[Any]  # RelatedPopulator, one per select_related model
    converters: list[tuple[int, tuple[list[Any], Any]]]  # (position, (converters, expression))


class CompiledQuery(Generic[M]):
    """`build(*markers)` returns the queryset; `markers` are argument values no caller sends,
    of each argument's type (int or str)."""

    def __init__(self, build: Callable[..., QuerySet[M]], *markers: int | str) -> None:
        if not all(type(marker) in (int, str) for marker in markers):
            raise ImproperlyConfigured("CompiledQuery arguments are ints or strs.")
        self._build = build
        self._markers = markers
        self._queryset = build(*markers)  # its model, database and lock; compiled per connection
        prefetching = self._queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        if self._queryset._iterable_class is not ModelIterable or prefetching:
            raise ImproperlyConfigured(
                "CompiledQuery takes a queryset of model instances, without prefetching."
            )
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()

    def all(self, *values: int | str) -> list[M]:
        if len(values) != len(self._markers):
            raise TypeError(f"{len(self._markers)} arguments expected, {len(values)} given")
        if any(value is None for value in values):
            return []  # the ORM's `= None` is IS NULL, which no key and no reference here matches
        # Coerced as the field would (a pk given as "12"); an int out of range matches nothing.
        values = tuple(type(marker)(value) for marker, value in zip(self._markers, values, strict=True))
        if any(type(value) is int and value not in _INT_RANGE for value in values):
            return []
        queryset = self._queryset
        alias = queryset.db
        conn = connections[alias]
        if queryset.query.select_for_update and conn.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        compiled = self._compiled.get(conn)
        if compiled is None:
            compiled = self._compiled[conn] = self._compile(alias)
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        with conn.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        model = queryset.model
        found = []
        for fetched in rows:
            row = list(fetched)
            for position, (converters, expression) in compiled.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, conn)
                row[position] = value
            obj = model.from_db(alias, compiled.init_list, row[compiled.start : compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found

    def first(self, *values: int | str) -> M | None:
        rows = self.all(*values)
        return rows[0] if rows else None

    def get(self, *values: int | str) -> M:
        """As QuerySet.get: the one row, else the model's DoesNotExist or MultipleObjectsReturned."""
        rows = self.all(*values)
        model = self._queryset.model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")  # type: ignore[attr-defined]
        if len(rows) > 1:
            raise model.MultipleObjectsReturned(  # type: ignore[attr-defined]
                f"get() returned more than one {model._meta.object_name} -- it returned {len(rows)}!"
            )
        return rows[0]

    def _compile(self, alias: str) -> _Compiled:
        compiler = self._build(*self._markers).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if compiler.annotation_col_map or compiler.has_extra_select:
            raise ImproperlyConfigured("CompiledQuery takes no annotations or extra columns.")
        slots = []
        for marker in self._markers:
            where = [i for i, param in enumerate(params) if type(param) is type(marker) and param == marker]
            if len(where) != 1:
                raise ImproperlyConfigured(f"CompiledQuery marker {marker!r} is {len(where)} times in {sql}")
            slots.append(where[0])
        select, klass_info = compiler.select, compiler.klass_info
        fields = [column[0] for column in select[0 : compiler.col_count]]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            # Django 5.2's signature; the stubs describe a later one with a fetch mode.
            populators=get_related_populators(klass_info, select, alias),  # type: ignore[call-arg]
            converters=list(compiler.get_converters(fields).items()),
        )
