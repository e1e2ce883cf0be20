"""The database backend: search/models.py tables, full-text search on PostgreSQL, LIKE on SQLite.

Ranking semantics shared with Elasticsearch: relevance = text rank × (1 + quality); without a
query, quality then newest. Ties always end on the id, so pages are stable. Facets count with
every filter applied except their own (choosing 面膜 still shows the other categories' counts).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .. import fit
from ..documents import category_expansion
from ..models import (
    BuyerDocument,
    BuyerDocumentCategory,
    FactoryDocument,
    FactoryDocumentCategory,
    ProductDocument,
)
from ..text import is_latin, query_terms, query_words, tsquery
from .base import Backend, Match, SearchPage, SearchParams

DOC_MODELS = {"product": ProductDocument, "factory": FactoryDocument, "buyer": BuyerDocument}
CATEGORY_MODELS = {"factory": FactoryDocumentCategory, "buyer": BuyerDocumentCategory}
PK_NAME = {"product": "product", "factory": "factory", "buyer": "buyer"}
FACET_LIMIT = 50
VECTOR = (
    "setweight(to_tsvector('simple', ta), 'A') || setweight(to_tsvector('simple', tb), 'B')"
    " || setweight(to_tsvector('simple', tc), 'C')"
)
TEXT_COLUMNS = {"terms", "terms_a", "terms_b", "terms_c", "search_vector", "indexed_at"}


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _value_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in TEXT_COLUMNS]


def _as_doc(kind: str, row: dict) -> dict:
    row["id"] = row.pop(f"{PK_NAME[kind]}_id")
    return row


class DatabaseBackend(Backend):
    name = "database"

    # ---- indexing -------------------------------------------------------------------------
    def index(self, kind: str, docs: list[dict], delete_ids: list[int]) -> None:
        model = DOC_MODELS[kind]
        if delete_ids:
            model.objects.filter(pk__in=delete_ids).delete()
        if not docs:
            return
        if _postgres():
            self._upsert_postgres(model, docs)
        else:
            rows = [self._row(model, doc) for doc in docs]
            update = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            model.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=[PK_NAME[kind]], update_fields=update
            )
        if kind in CATEGORY_MODELS:
            cat_model = CATEGORY_MODELS[kind]
            cat_model.objects.filter(document_id__in=[d["id"] for d in docs]).delete()
            cat_model.objects.bulk_create(
                [
                    cat_model(document_id=d["id"], slug=slug, own=slug in d["categories"])
                    for d in docs
                    for slug in d["category_slugs"]
                ]
            )

    @staticmethod
    def _row(model, doc: dict):
        """SQLite: a model row whose `terms` column is searched with LIKE."""
        names = {f.name for f in model._meta.concrete_fields}
        values = {k: v for k, v in doc.items() if k in names and k != "id"}
        terms = " ".join(t for t in (doc["terms_a"], doc["terms_b"], doc["terms_c"]) if t)
        return model(pk=doc["id"], **{**values, "terms": f" {terms} "})

    @staticmethod
    def _upsert_postgres(model, docs) -> None:
        if model is ProductDocument:
            DatabaseBackend._upsert_rows(model, docs, with_vector=False)
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_producttext (document_id, search_vector) "  # noqa: S608 - VECTOR is a constant
                    f"SELECT id, {VECTOR} FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
                    "AS u (id, ta, tb, tc) "
                    "ON CONFLICT (document_id) DO UPDATE SET search_vector = EXCLUDED.search_vector",
                    [
                        [d["id"] for d in docs],
                        *([d[k] for d in docs] for k in ("terms_a", "terms_b", "terms_c")),
                    ],
                )
        else:
            DatabaseBackend._upsert_rows(model, docs, with_vector=True)

    @staticmethod
    def _upsert_rows(model, docs, *, with_vector: bool) -> None:
        """One INSERT … SELECT FROM unnest(arrays) per batch: a parameter per column, not per value,
        and the weighted tsvector computed in the same statement."""
        fields = [f for f in model._meta.concrete_fields if f.name != "search_vector"]
        qn = connection.ops.quote_name
        columns = [qn(f.column) for f in fields]
        pk = qn(model._meta.pk.column)
        now = timezone.now()

        def column(f) -> list:
            # Straight from the document dicts (no model instances: they cost more than the SQL).
            if f.primary_key:
                return [d["id"] for d in docs]
            if f.name in ("terms", "terms_a", "terms_b", "terms_c"):
                return [""] * len(docs)  # the tsvector is all PostgreSQL needs: narrower rows
            if f.name == "indexed_at":
                return [now] * len(docs)
            default = f.get_default()
            return [d.get(f.name, default) for d in docs]

        arrays = [column(f) for f in fields]
        arrays += [[d["terms_a"] for d in docs], [d["terms_b"] for d in docs], [d["terms_c"] for d in docs]]
        types = [f.db_type(connection) for f in fields] + ["text", "text", "text"]
        aliases = [f"c{i}" for i in range(len(fields))] + ["ta", "tb", "tc"]
        if not with_vector:
            arrays, types, aliases = arrays[:-3], types[:-3], aliases[:-3]
        unnest = ", ".join(f"%s::{t}[]" for t in types)
        vector_column = ", search_vector" if with_vector else ""
        vector_value = f", {VECTOR}" if with_vector else ""
        vector_update = ", search_vector = EXCLUDED.search_vector" if with_vector else ""
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != pk)
        # Identifiers come from the model; every value is a parameter.
        sql = (
            f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(columns)}{vector_column}) "  # noqa: S608
            f"SELECT {', '.join(aliases[: len(fields)])}{vector_value} "
            f"FROM unnest({unnest}) AS u ({', '.join(aliases)}) "
            f"ON CONFLICT ({pk}) DO UPDATE SET {updates}{vector_update}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, arrays)

    def update_factory_stats(self, stats: dict[int, dict]) -> None:
        fields = ["price_min", "price_max", "moq_min", "product_count"]
        if not stats:
            return
        if not _postgres():
            rows = [FactoryDocument(pk=fid, **{f: s.get(f) for f in fields}) for fid, s in stats.items()]
            FactoryDocument.objects.bulk_update(rows, fields)
            return
        values = ", ".join(["(%s::bigint, %s::numeric, %s::numeric, %s::integer, %s::integer)"] * len(stats))
        params = [v for fid, s in stats.items() for v in (fid, *(s.get(f) for f in fields))]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_factorydocument AS d SET price_min = v.price_min, price_max = v.price_max, "  # noqa: S608
                "moq_min = v.moq_min, product_count = v.product_count "
                f"FROM (VALUES {values}) AS v (id, price_min, price_max, moq_min, product_count) "
                "WHERE d.factory_id = v.id",
                params,
            )

    def rebuild(self, kind: str, docs_iter, total: int) -> dict:
        # The table is updated in place (upserts); rows no longer public are removed at the end,
        # so search never sees an empty index during a rebuild.
        seen: list[int] = []
        for docs in docs_iter:
            self.index(kind, docs, [])
            seen.extend(d["id"] for d in docs)
        stale = DOC_MODELS[kind].objects.exclude(pk__in=seen)
        removed = stale.count()
        stale.delete()
        return {"indexed": len(seen), "removed": removed}

    def status(self) -> dict:
        return {kind: {"documents": model.objects.count()} for kind, model in DOC_MODELS.items()}

    # ---- keyword search --------------------------------------------------------------------
    def _text(self, qs, q: str, *, with_rank: bool):
        """Filter by the query; returns (queryset, rank expression or None).

        Products are ranked by where the words matched (all in the title: 3, elsewhere: 1), not by
        ts_rank: ts_rank reads every matching row's tsvector, which for a common word (a tenth of
        100k products) costs more than the whole rest of the request. Factories (few) use ts_rank.
        """
        if not query_terms(q):
            return qs, None
        if not _postgres():
            for term in query_terms(q):
                qs = qs.filter(terms__contains=f" {term} ")
            return qs, self._title_tier(q) if with_rank else None
        query = SearchQuery(tsquery(q), search_type="raw", config="simple")
        if qs.model is ProductDocument:
            # ARRAY(subquery) runs once, first: the planner otherwise scans and sorts every row
            # that passes the cheap filters and checks the text match last.
            hit = RawSQL(
                "search_productdocument.product_id = ANY(ARRAY(SELECT document_id FROM search_producttext "
                "WHERE search_vector @@ to_tsquery('simple', %s)))",
                [tsquery(q)],
                output_field=BooleanField(),
            )
            return qs.alias(text_hit=hit).filter(text_hit=True), self._title_tier(q) if with_rank else None
        return qs.filter(search_vector=query), SearchRank(F("search_vector"), query) if with_rank else None

    @staticmethod
    def _title_tier(q: str):
        in_title = Q()
        for word in query_words(q):
            in_title &= Q(title__icontains=word)
        return Case(When(in_title, then=Value(3.0)), default=Value(1.0), output_field=FloatField())

    def _typo(self, qs, q: str):
        """No exact hit for a latin word: try trigram similarity on the title (bluetoth → bluetooth)."""
        if not (_postgres() and is_latin(q)):
            return qs.none(), None
        return qs.filter(title__trigram_word_similar=q), TrigramWordSimilarity(q, "title")

    def _grouped(self, matched, facet_filters: dict[str, Q], columns: dict[str, str]):
        """Count and the column facets in ONE scan: group by every facet column at once, each
        facet counting only the rows that pass the *other* facet filters (FILTER clauses)."""

        def both(names):
            cond = Q()
            for name in names:
                cond &= facet_filters[name]
            return cond

        annotations = {
            "n_all": Count("pk", filter=both(facet_filters)) if any(facet_filters.values()) else Count("pk")
        }
        for name in columns:
            others = both(n for n in facet_filters if n != name)
            annotations[f"n_{name}"] = Count("pk", filter=others) if others else Count("pk")
        rows = list(matched.values(*columns.values()).annotate(**annotations).order_by())
        count = sum(r["n_all"] for r in rows)
        facets = {}
        for name, column in columns.items():
            totals: dict[str, int] = {}
            for r in rows:
                if r[column] and r[f"n_{name}"]:
                    totals[r[column]] = totals.get(r[column], 0) + r[f"n_{name}"]
            ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT]
            facets[name] = [{"key": key, "count": n} for key, n in ordered]
        return count, facets

    def _run(
        self,
        model,
        params: SearchParams,
        plain: Q,
        facet_filters: dict[str, Q],
        order_for,
        columns,
        extra=None,
    ):
        base = model.objects.filter(plain)
        matched, rank = self._text(base, params.q, with_rank=params.sort == "relevance")
        count, facets = self._grouped(matched, facet_filters, columns)
        if count == 0 and params.q:
            typo, typo_rank = self._typo(base, params.q)
            typo_count, typo_facets = self._grouped(typo, facet_filters, columns)
            if typo_count:
                matched, count, facets = typo, typo_count, typo_facets
                rank = typo_rank if params.sort == "relevance" else None
        everything = Q()
        for cond in facet_filters.values():
            everything &= cond
        page = matched.filter(everything)
        if rank is not None:
            page = page.annotate(relevance=rank * (Value(1.0) + F("quality")))
        ids = list(
            page.order_by(*order_for(params.sort, rank is not None)).values_list("pk", flat=True)[
                params.offset : params.offset + params.limit
            ]
        )
        for name, fn in (extra or {}).items():
            others = Q()
            for other, cond in facet_filters.items():
                if other != name:
                    others &= cond
            facets[name] = fn(matched.filter(others))
        return SearchPage(
            ids=ids,
            count=count,
            facets={name: facets[name] for name in ("category", "province", "industrial_belt")},
        )

    def search_products(self, params: SearchParams) -> SearchPage:
        plain = Q()
        if params.price_min is not None:
            plain &= Q(factory_price__gte=params.price_min)
        if params.price_max is not None:
            plain &= Q(factory_price__lte=params.price_max)
        if params.moq_max is not None:
            plain &= Q(moq__lte=params.moq_max)
        if params.customizable is not None:
            plain &= Q(customizable=params.customizable)
        if params.trial_eligible is not None:
            plain &= Q(trial_eligible=params.trial_eligible)
        if params.verified_only:
            plain &= Q(verified=True)
        facet_filters = {}
        if params.category:
            facet_filters["category"] = Q(category_slug=params.category) | Q(
                parent_category_slug=params.category
            )
        if params.province:
            facet_filters["province"] = Q(province=params.province)
        if params.industrial_belt:
            facet_filters["industrial_belt"] = Q(industrial_belt=params.industrial_belt)
        for name in ("category", "province", "industrial_belt"):
            facet_filters.setdefault(name, Q())

        def order_for(sort, has_rank):
            if sort == "price":
                return ["factory_price", "pk"]
            if sort == "-price":
                return ["-factory_price", "pk"]
            if sort == "newest":
                return ["-created_at", "-pk"]
            return ["-relevance", "-quality", "pk"] if has_rank else ["-quality", "-created_at", "pk"]

        columns = {"category": "category_slug", "province": "province", "industrial_belt": "industrial_belt"}
        return self._run(ProductDocument, params, plain, facet_filters, order_for, columns)

    def search_factories(self, params: SearchParams) -> SearchPage:
        plain = Q()
        if params.price_min is not None:
            plain &= Q(price_max__gte=params.price_min)
        if params.price_max is not None:
            plain &= Q(price_min__lte=params.price_max)
        if params.moq_max is not None:
            plain &= Q(moq_min__lte=params.moq_max)
        if params.customizable is not None:
            plain &= Q(customizable=params.customizable)
        if params.trial_eligible is not None:
            plain &= Q(accepts_trials=params.trial_eligible)
        if params.verified_only:
            plain &= Q(verified=True)
        facet_filters = {"category": Q(), "province": Q(), "industrial_belt": Q()}
        if params.category:
            slugs = category_expansion().get(params.category, [params.category])
            facet_filters["category"] = Q(
                Exists(FactoryDocumentCategory.objects.filter(document=OuterRef("pk"), slug__in=slugs))
            )
        if params.province:
            facet_filters["province"] = Q(province=params.province)
        if params.industrial_belt:
            facet_filters["industrial_belt"] = Q(industrial_belt=params.industrial_belt)

        def order_for(sort, has_rank):
            if sort == "price":
                return [F("price_min").asc(nulls_last=True), "pk"]
            if sort == "-price":
                return [F("price_max").desc(nulls_last=True), "pk"]
            if sort == "newest":
                return ["-created_at", "-pk"]
            return ["-relevance", "-quality", "pk"] if has_rank else ["-quality", "-created_at", "pk"]

        def category_facet(qs):
            rows = (
                FactoryDocumentCategory.objects.filter(own=True, document__in=qs.values("pk"))
                .values("slug")
                .annotate(count=Count("pk"))
                .order_by("-count", "slug")[:FACET_LIMIT]
            )
            return [{"key": r["slug"], "count": r["count"]} for r in rows]

        columns = {"province": "province", "industrial_belt": "industrial_belt"}
        return self._run(
            FactoryDocument, params, plain, facet_filters, order_for, columns, {"category": category_facet}
        )

    # ---- matching ----------------------------------------------------------------------------
    def match(self, kind: str, rules, ctx, limit: int) -> list[Match]:
        model = DOC_MODELS[kind]
        active = [r for r in rules if r.applies(ctx)]
        region = (
            Case(When(province=ctx.province, then=Value(fit.REGION_BONUS)), default=Value(0.0))
            if ctx.province
            else Value(0.0)
        )
        base = model.objects.annotate(
            rank=ExpressionWrapper(F("quality") + region, output_field=FloatField())
        )
        fields = _value_fields(model)
        fitting = Q()
        for rule in active:
            fitting &= rule.q(ctx)
        # Most requests are answered by the first query (enough items fit every hard point);
        # the second, which scores every row, runs only to fill up the list.
        rows = list(base.filter(fitting).order_by("-rank", "pk").values(*fields, "rank")[:limit])
        if len(rows) < limit and active:
            misses = sum(Case(When(rule.q(ctx), then=Value(0)), default=Value(1)) for rule in active)
            rows += list(
                base.annotate(misses=misses)
                .filter(misses__gt=0)
                .order_by("misses", "-rank", "pk")
                .values(*fields, "rank")[: limit - len(rows)]
            )
        docs = [_as_doc(kind, r) for r in rows]
        if kind in CATEGORY_MODELS:
            slugs: dict[int, list[str]] = {d["id"]: [] for d in docs}
            for doc_id, slug in (
                CATEGORY_MODELS[kind].objects.filter(document_id__in=slugs).values_list("document_id", "slug")
            ):
                slugs[doc_id].append(slug)
            for d in docs:
                d["category_slugs"] = slugs[d["id"]]
        return [Match(id=f.doc["id"], score=f.score, reasons=f.reasons) for f in fit.rank(rules, ctx, docs)]
