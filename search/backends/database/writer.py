"""Writing the database index: upserts (one statement per batch), factory stats, rebuild, status."""

from __future__ import annotations  # django-stubs generics (Field[…]) exist only for mypy

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Never, TypeVar

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from ...models import FactoryDocument, ProductDocument, ProductFilter, ProductText
from ...range_facets import moq_step, price_range_index
from ...shapes import Document, EngineJson, ProductStats
from ...text import normalize
from .combos import ComboKey
from .common import CATEGORY_MODELS, DOC_MODELS, FACET_KEY, PK_NAME, VECTOR, _postgres, facet_lexemes

Row = TypeVar("Row", bound=Model)


def _column(field: Field[Never, object] | None) -> str:
    """A concrete field's quoted column (django-stubs allow None: only non-concrete fields have none)."""
    if field is None or field.column is None:
        raise ValueError(f"{field} has no column")
    return connection.ops.quote_name(field.column)


def _json_value(value: object) -> str:
    """What json.dumps cannot write itself, as PostgreSQL reads it back exactly."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot index a {type(value).__name__}")


class DatabaseWriter:
    # The tables only the database's product search reads (ProductText, ProductFilter); a
    # backend that searches products elsewhere (tantivy) keeps the document rows alone.
    writes_product_search_tables = True

    # ---- indexing -------------------------------------------------------------------------
    def index(self, kind: str, docs: list[Document], delete_ids: list[int]) -> None:
        model = DOC_MODELS[kind]
        if delete_ids:
            model._default_manager.filter(pk__in=delete_ids).delete()
        if not docs:
            return
        if _postgres():
            self._upsert_postgres(model, docs)
        else:
            self._upsert_sqlite(model, docs, PK_NAME[kind])
        if kind in CATEGORY_MODELS:
            cat_model = CATEGORY_MODELS[kind]
            cat_model._default_manager.filter(document_id__in=[d["id"] for d in docs]).delete()
            cat_model._default_manager.bulk_create(
                [
                    cat_model(document_id=d["id"], slug=slug, own=slug in d["categories"])
                    for d in docs
                    for slug in d["category_slugs"]
                ]
            )

    @staticmethod
    def _upsert_sqlite(model: type[Row], docs: list[Document], unique_field: str) -> None:
        rows = [model(**DatabaseWriter._row_values(model, doc)) for doc in docs]
        update = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        model._default_manager.bulk_create(
            rows, update_conflicts=True, unique_fields=[unique_field], update_fields=update
        )

    @staticmethod
    def _row_values(model: type[Model], doc: Document) -> Document:
        """SQLite: the field values of a model row whose `terms` column is searched with LIKE."""
        names = {f.name for f in model._meta.concrete_fields}
        values = {k: v for k, v in doc.items() if k in names and k != "id"}
        terms = " ".join(t for t in (doc["terms_a"], doc["terms_b"], doc["terms_c"]) if t)
        return {"pk": doc["id"], **values, "terms": f" {terms} "}

    def _upsert_postgres(self, model: type[Model], docs: list[Document]) -> None:
        if model is not ProductDocument:
            DatabaseWriter._upsert_rows(model, docs, vector=VECTOR)
            return
        DatabaseWriter._upsert_rows(model, docs)
        if not self.writes_product_search_tables:
            return
        # The two copies shaped for searching (search/models.py), written from the same dicts
        # (no join against the rows just written: its plan went bad while a fresh table grew).
        combos = DatabaseWriter._facet_combos(docs)
        rows = [
            {
                **d,
                "title_folded": normalize(d["title"]),
                "facet": combos[tuple(d[k] for k in FACET_KEY)],
                "price_range": price_range_index(d["factory_price"]),
                "moq_step": moq_step(d["moq"]),
            }
            for d in docs
        ]
        # Products rank by where the words matched (ProductText.title_folded), never by ts_rank:
        # without positions and weights each row is ~40% narrower, and a broad word reads its rows faster.
        # The facet values ride along as lexemes (common.facet_lexeme) for searches past the cap.
        DatabaseWriter._upsert_rows(
            ProductText,
            rows,
            vector=f"strip({VECTOR}) || array_to_tsvector(ARRAY(SELECT json_array_elements_text(tf)))",
            lexemes=[facet_lexemes(d) for d in docs],
        )
        DatabaseWriter._upsert_rows(ProductFilter, rows)

    @staticmethod
    def _facet_combos(docs: list[Document]) -> dict[ComboKey, int]:
        """The FacetCombo id of every (category, parent, province, belt) in `docs`, adding new ones
        (in key order, so two indexers adding the same combinations cannot deadlock)."""
        keys = sorted({tuple(d[k] for k in FACET_KEY) for d in docs})
        columns = ", ".join(FACET_KEY)
        arrays = [list(values) for values in zip(*keys, strict=True)]
        unnest = "unnest(%s::text[], %s::text[], %s::text[], %s::text[])"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO search_facetcombo ({columns}) SELECT * FROM {unnest} "  # noqa: S608 - constants
                "ORDER BY 1, 2, 3, 4 ON CONFLICT DO NOTHING",
                arrays,
            )
            cursor.execute(
                f"SELECT {columns}, id FROM search_facetcombo WHERE ({columns}) IN (SELECT * FROM {unnest})",  # noqa: S608
                arrays,
            )
            return {tuple(row[:4]): row[4] for row in cursor.fetchall()}

    @staticmethod
    def _upsert_rows(
        model: type[Model],
        docs: list[Document],
        *,
        vector: str | None = None,
        lexemes: Sequence[object] | None = None,
    ) -> None:
        """One INSERT … SELECT FROM json_to_recordset(the batch as ONE JSON text) per batch, the
        tsvector (the SQL expression `vector` over ta / tb / tc, and tf: `lexemes`, a JSON list of
        extra lexemes per row) computed in the same statement.
        Python's C json encoder writes the batch; sent as one array per column instead, psycopg
        quoted it value by value in Python, ~15% of indexing time."""
        fields = [f for f in model._meta.concrete_fields if f.name != "search_vector"]
        qn = connection.ops.quote_name
        columns = [_column(f) for f in fields]
        pk = _column(model._meta.pk)
        now = timezone.now()

        def column(f: Field[Never, object]) -> list[object]:
            # Straight from the document dicts (no model instances: they cost more than the SQL).
            if f.primary_key:
                return [d["id"] for d in docs]
            if f.name in ("terms", "terms_a", "terms_b", "terms_c"):
                return [""] * len(docs)  # the tsvector is all PostgreSQL needs: narrower rows
            if f.name == "indexed_at":
                return [now] * len(docs)
            default = f.get_default()
            return [d.get(f.name, default) for d in docs]

        arrays: list[Sequence[object]] = [column(f) for f in fields]
        types = [f.db_type(connection) for f in fields]
        aliases = [f"c{i}" for i in range(len(fields))]
        if vector is not None:
            arrays += [
                [d["terms_a"] for d in docs],
                [d["terms_b"] for d in docs],
                [d["terms_c"] for d in docs],
            ]
            types += ["text", "text", "text"]
            aliases += ["ta", "tb", "tc"]
        if lexemes is not None:
            arrays.append(lexemes)
            types.append("json")
            aliases.append("tf")
        rows = [dict(zip(aliases, row, strict=True)) for row in zip(*arrays, strict=True)]
        definition = ", ".join(f"{alias} {type_}" for alias, type_ in zip(aliases, types, strict=True))
        vector_column = ", search_vector" if vector else ""
        vector_value = f", {vector}" if vector else ""
        vector_update = ", search_vector = EXCLUDED.search_vector" if vector else ""
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != pk)
        # Identifiers and types come from the model; the batch is the one parameter.
        sql = (
            f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(columns)}{vector_column}) "  # noqa: S608
            f"SELECT {', '.join(aliases[: len(fields)])}{vector_value} "
            f"FROM json_to_recordset(%s::json) AS u ({definition}) "
            f"ON CONFLICT ({pk}) DO UPDATE SET {updates}{vector_update}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [json.dumps(rows, default=_json_value)])

    def update_factory_stats(self, stats: dict[int, ProductStats]) -> None:
        fields = ["price_min", "price_max", "moq_min", "product_count"]
        if not stats:
            return
        if not _postgres():
            rows = [FactoryDocument(pk=fid, **{f: s.get(f) for f in fields}) for fid, s in stats.items()]
            FactoryDocument.objects.bulk_update(rows, fields)
            return
        # One array per column (not a parameter per value: quoting thousands of them cost more
        # than the update itself).
        ids = list(stats)
        columns: list[Any] = [ids, *([stats[fid].get(f) for fid in ids] for f in fields)]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_factorydocument AS d SET price_min = v.price_min, price_max = v.price_max, "
                "moq_min = v.moq_min, product_count = v.product_count "
                "FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::integer[], %s::integer[]) "
                "AS v (id, price_min, price_max, moq_min, product_count) WHERE d.factory_id = v.id "
                # Most product edits leave their factory's range as it was: write only what moved
                # (a row version less per factory and batch, ~10% of a bulk reindex).
                "AND (d.price_min, d.price_max, d.moq_min, d.product_count) "
                "IS DISTINCT FROM (v.price_min, v.price_max, v.moq_min, v.product_count)",
                columns,
            )

    def rebuild(self, kind: str, docs_iter: Iterable[list[Document]], total: int) -> EngineJson:
        # The table is updated in place (upserts); rows no longer public are removed at the end,
        # so search never sees an empty index during a rebuild.
        started = timezone.now()
        indexed = 0
        for docs in docs_iter:
            self.index(kind, docs, [])
            indexed += len(docs)
        return {"indexed": indexed, "removed": self.remove_rows_written_before(kind, started)}

    @staticmethod
    def remove_rows_written_before(kind: str, started: datetime) -> int:
        """After a rebuild that began at `started`: remove the document rows it did not write
        (every upsert stamps `indexed_at`), i.e. those no longer public. Found by the stamp, not
        by excluding every id written: that was one parameter per document, a million at 1M.
        A row the dirty-row indexer wrote meanwhile carries a later stamp and stays."""
        model = DOC_MODELS[kind]
        _, per_model = model._default_manager.filter(indexed_at__lt=started).delete()
        return per_model.get(model._meta.label, 0)

    def status(self) -> EngineJson:
        return {kind: {"documents": model._default_manager.count()} for kind, model in DOC_MODELS.items()}
