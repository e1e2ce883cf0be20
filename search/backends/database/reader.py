"""Reading the database index: keyword search with facets, and matching."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, Protocol

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy

from ... import fit
from ...documents import category_expansion
from ...fit.rules import Ctx, Rule
from ...models import (
    FactoryDocument,
    FactoryDocumentCategory,
    ProductDocument,
    ProductFilter,
    ProductText,
)
from ...range_facets import RANGE_FACETS, listed
from ...shapes import FacetBucket
from ...text import (
    is_cjk,
    is_latin,
    query_terms,
    query_words,
    relax_needs,
    relaxed_tsquery,
    relaxed_word_sets,
    tsquery,
    whole_words,
)
from ..base import Match, SearchPage, SearchParams
from . import capped, combos, once, ranges
from .common import CATEGORY_MODELS, DOC_MODELS, FACET_LIMIT, _as_doc, _postgres, _value_fields, all_of

# A relaxed match multiplies the rank of the rows holding every word (_strict_first).
STRICT_FIRST = 11.0
# Past the cap, a walk is skipped for ranking every hit only when they are estimated at most this
# many caps (DatabaseReader._walk_hopeless): 10 × 5,000 hits rank in ~0.1 s at 1M products.
RANK_ALL_LIMIT = 10

# The rows a search reads: the document, text or filter table of products, or factory documents.
Rows = QuerySet[Model]
Facets = dict[str, list[FacetBucket]]
Order = Sequence[str | OrderBy]
# (count, facets, page ids, count exact, facets exact)
Counted = tuple[int, Facets, list[int], bool, bool]


class Walk(Protocol):
    """The page of a product search with more hits than the cap (capped.walk), or None."""

    def __call__(
        self, matched: Rows, rank: Expression | None, top: float
    ) -> tuple[list[int], int] | None: ...


class LimitedWalk(Protocol):
    """A Walk that can also stop at `limit` rows (a relaxed search's rest, _after_strict)."""

    def __call__(
        self, matched: Rows, rank: Expression | None, top: float, limit: int | None = None
    ) -> tuple[list[int], int] | None: ...


def _chosen(params: SearchParams) -> dict[str, str]:
    """The facet filters of a search ("" when not filtered)."""
    return {
        "category": params.category,
        "province": params.province,
        "industrial_belt": params.industrial_belt,
    }


class DatabaseReader:
    # ---- keyword search --------------------------------------------------------------------
    def _text(
        self, qs: Rows, q: str, *, with_rank: bool, relaxed: bool = False
    ) -> tuple[Rows, Expression | None]:
        """Filter by the query; returns (queryset, rank expression or None). `relaxed`: most of
        the query's words instead of all (search/text.py), the rows with all of them ranked first.

        Products are ranked by where the words matched (all in the title: 3, elsewhere: 1), not by
        ts_rank: ts_rank reads every matching row's tsvector, which for a common word (a tenth of
        100k products) costs more than the whole rest of the request. Factories (few) use ts_rank.
        """
        if not query_terms(q):
            return qs, None
        rank: Expression | None
        if not _postgres():
            every, found = self._contains_all(query_terms(q)), Q()
            for combo in relaxed_word_sets(q) if relaxed else []:
                found |= self._contains_all(t for word in combo for t in word)
            qs = qs.filter(found if relaxed else every)
            rank = self._title_tier(q, "title__icontains") if with_rank else None
            return qs, self._strict_first(rank, every) if relaxed and rank is not None else rank
        strict = SearchQuery(tsquery(q), search_type="raw", config="simple")
        query = SearchQuery(relaxed_tsquery(q), search_type="raw", config="simple") if relaxed else strict
        if not with_rank:
            rank = None
        elif qs.model is ProductText:
            rank = self._title_tier(q, "title_folded__contains")
        else:
            rank = SearchRank(F("search_vector"), query)
        if relaxed and rank is not None:
            rank = self._strict_first(rank, Q(search_vector=strict))
        return qs.filter(search_vector=query), rank

    @staticmethod
    def _contains_all(terms: Iterable[str]) -> Q:
        # `terms` is " term term … " (search/text.py document_terms).
        return all_of(Q(terms__contains=f" {term} ") for term in terms)

    @staticmethod
    def _strict_first(rank: Expression, strict: Q) -> Expression:
        """A relaxed match: the rows with every word above all others, in the order a strict
        match gives them (× 11: a title tier is 1–3 and quality at most doubles it)."""
        factor = Case(When(strict, then=Value(STRICT_FIRST)), default=Value(1.0), output_field=FloatField())
        return ExpressionWrapper(rank * factor, output_field=FloatField())

    @staticmethod
    def _best_tier(q: str, lookup: str) -> Q:
        """The rows of _title_tier's best tier (capped.TOP_TIER): the title holds the words as typed."""
        return all_of(Q(**{lookup: word}) for word in whole_words(q))

    @classmethod
    def _title_tier(cls, q: str, lookup: str) -> Case:
        # Words are normalized (search.text.normalize) like ProductText.title_folded. A title
        # holding the words as typed (收纳盒) ranks above one holding only their parts (收纳 … 盒).
        whole = cls._best_tier(q, lookup)
        parts = all_of(Q(**{lookup: part}) for part in query_words(q))
        return Case(
            When(whole, then=Value(3.0)),
            When(parts, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )

    def _typo(self, qs: Rows, q: str) -> tuple[Rows, Expression | None]:
        """No exact hit for a latin word: try trigram similarity on the title (bluetoth → bluetooth)."""
        if not (_postgres() and is_latin(q) and query_terms(q)):
            return qs.none(), None
        if qs.model is ProductText:  # the trigram index is on the document's title
            similar = ProductDocument.objects.filter(title__trigram_word_similar=q).values("pk")
            return qs.filter(pk__in=similar), TrigramWordSimilarity(q, "title_folded")
        return qs.filter(title__trigram_word_similar=q), TrigramWordSimilarity(q, "title")

    @staticmethod
    def _facet_rows(
        qs: Rows, facet_filters: dict[str, Q], columns: dict[str, str]
    ) -> QuerySet[Model, dict[str, Any]]:
        """Count and the column facets in ONE scan: group by every facet column at once, each
        facet counting only the rows that pass the *other* facet filters (FILTER clauses)."""

        def both(names: Iterable[str]) -> Q:
            return all_of(facet_filters[name] for name in names)

        annotations = {
            "n_all": Count("pk", filter=both(facet_filters)) if any(facet_filters.values()) else Count("pk")
        }
        for name in columns:
            others = both(n for n in facet_filters if n != name)
            annotations[f"n_{name}"] = Count("pk", filter=others) if others else Count("pk")
        # (the Django plugin gives up on annotate() over values() rows: their type is restated)
        grouped: QuerySet[Model, dict[str, Any]] = qs.values(*columns.values()).annotate(**annotations)
        return grouped.order_by()

    @staticmethod
    def _summed(rows: list[dict[str, Any]], columns: dict[str, str]) -> tuple[int, Facets]:
        """`rows`: _facet_rows' values (a database row by column name)."""
        count = sum(r["n_all"] for r in rows)
        facets: Facets = {}
        for name, column in columns.items():
            totals: dict[str, int] = {}
            for r in rows:
                if r[column] and r[f"n_{name}"]:
                    totals[r[column]] = totals.get(r[column], 0) + r[f"n_{name}"]
            ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT]
            facets[name] = [{"key": key, "count": n} for key, n in ordered]
        return count, facets

    def _counted_page(
        self,
        matched: Rows,
        rank: Expression | None,
        facet_filters: dict[str, Q],
        columns: dict[str, str],
        order: Order,
        params: SearchParams,
        page_source: Rows | None = None,
        plain: Q | None = None,
        walk: Walk | None = None,
        top: float = capped.TOP_TIER,
    ) -> Counted:
        """(count, column facets, page ids, count exact, facets exact) for the rows of `matched`;
        without a text match the page may come from `page_source`, the same rows in the table
        holding the sort indexes. On the PostgreSQL product tables `matched` is not range-filtered
        yet: `plain` (the range filters) is counted in the same scan (ranges.annotations) and
        filters the page, and counting stops at the cap (settings.SEARCH_COUNT_CAP): past it the
        counts are lower bounds and `walk(matched, rank, top)` gives the page (capped.py; `top`:
        the highest `rank` can be)."""
        if matched.query.is_empty():
            return (*self._summed([], columns), [], True, True)

        def page(qs: Rows) -> QuerySet[Model, int]:
            qs = qs.filter(all_of(facet_filters.values()))
            if rank is not None:
                qs = qs.annotate(relevance=rank * (Value(1.0) + F("quality")))
            return qs.order_by(*order).values_list("pk", flat=True)[
                params.offset : params.offset + params.limit
            ]

        # Products on PostgreSQL count per facet combination (combos.py). With a query: counts and
        # page in one statement over the text hits (once.py). Without one the page is read off a
        # sort index in the document table (well under a millisecond), while materializing every
        # row that passes the filters would cost more.
        chosen = _chosen(params)
        cap = settings.SEARCH_COUNT_CAP
        if matched.model is ProductText:
            page_qs = page(ProductText.objects.filter(plain))
            # What the rows read say about the rest (once.Sample; _walk_hopeless): a relaxed
            # search's walk is never skipped, so it asks for none.
            best = self._best_tier(params.q, "title_folded__contains") if rank is not None else None
            probe: once.Probe | None = once.Probe(plain or Q(), best, RANK_ALL_LIMIT * cap)
            if top != capped.TOP_TIER:
                probe = None
            rows, labels, ids, read, sample = once.counts_and_page(matched, params, page_qs, cap, probe)
            count, facets = combos.tally_grouped(rows, chosen, labels)
            if read <= cap:
                return count, facets, ids, True, True
            passing = count  # of the rows read
            # More hits than the cap: the facets stay those of the first cap + 1 hits. With a
            # category, province or belt chosen, the text index finds the hits inside it by the
            # facet lexemes the rows carry (a broad word in a small category: a few hundred rows),
            # read once more up to the cap: when they are fewer, count and page are exact.
            if any(chosen.values()):
                inside = matched.filter(search_vector=combos.lexeme_query(chosen))
                rows, labels, ids, read, _ = once.counts_and_page(inside, params, page_qs, cap)
                count = combos.tally_grouped(rows, chosen, labels)[0]
                if read <= cap:
                    return count, facets, ids, True, False
            # Still more: the page comes off a sort index, unless the range filters make hits too
            # sparse for that (less than a page of the rows read pass them: the walk would read
            # far), or the walk does not settle; then every hit is ranked (exact, and slow).
            # (every product search passes a walk; a search without one ranks every hit)
            walked = None
            if (
                walk
                and count > params.offset + params.limit
                and not self._walk_hopeless(sample, rank is not None, passing, chosen, params)
            ):
                walked = walk(matched, rank, top)
            if walked is not None:
                ids, found = walked
                return min(max(count, found), cap), facets, ids, False, False
            rows, labels, ids, _, _ = once.counts_and_page(matched, params, page_qs, None)
            return (*combos.tally_grouped(rows, chosen, labels), ids, True, True)
        if matched.model is ProductFilter:
            # The facets count the first cap + 1 rows of the catalogue (their range facets need
            # the rows the range filters drop too); the total counts every filter at once, up to
            # the cap (an index or an early stop bounds it); the page comes off a sort index.
            ids = list(page(matched if page_source is None else page_source))  # (always a source here)
            rows, labels, sampled = ranges.grouped_rows(matched, params, limit=cap + 1)
            count, facets = combos.tally_grouped(rows, chosen, labels)
            if sampled <= cap:
                return count, facets, ids, True, True
            # facet_filters are written over the document's columns
            everything = (plain or Q()) & all_of(combos.on_text_rows(cond) for cond in facet_filters.values())
            count = matched.filter(everything)[: cap + 1].count()
            return min(count, cap), facets, ids, count <= cap, False
        facet_rows = list(self._facet_rows(matched, facet_filters, columns))
        count, facets = self._summed(facet_rows, columns)
        ids = list(page(matched if page_source is None else page_source))
        return min(count, cap), facets, ids, count <= cap, True

    @staticmethod
    def _walk_hopeless(
        sample: once.Sample | None, ranked: bool, passing: int, chosen: dict[str, str], params: SearchParams
    ) -> bool:
        """Whether the rows read say a walk (capped.py) would not settle within its budget: it
        stops once a page of hits at the rank's best tier (any hit for the price / date sorts)
        is found, and a word found mostly outside titles has few of those (竹纤维: 2,805 of
        16,148 hits at 1M, ~11 expected in the 4,096 rows a walk reads, where 21 are needed). The
        walk and the ranking of every hit that follows its failure give the same page, so a
        wrong guess costs time only, bounded: nor is a walk skipped when the hits are estimated
        above RANK_ALL_LIMIT caps (ranking them all would cost more than the walk risks; the
        estimate counts best-tier rows only, and a steep quality order can let a walk settle on
        lower tiers). A relaxed search's walk (top above a title tier) is never skipped (it has no
        sample): it walks the rows without every word, which a sample would not count."""
        if sample is None or sample.total(sample.read) > RANK_ALL_LIMIT * settings.SEARCH_COUNT_CAP:
            return False
        if not ranked:
            top = passing
        elif sample.best is None:  # not counted (Probe.most)
            return False
        else:
            top = combos.tally(sample.best, chosen)[0]
        expected = sample.walk_yield(capped.WALK_BUDGET, passing, top)
        return expected is not None and expected < params.offset + params.limit + 1

    def _run(
        self,
        model: type[Model],
        params: SearchParams,
        plain: Q,
        facet_filters: dict[str, Q],
        order_for: Callable[[str, bool], Order],
        columns: dict[str, str],
        extra: dict[str, Callable[[Rows], list[FacetBucket]]] | None = None,
        ranged: Callable[[Rows], Facets] | None = None,
        walk: LimitedWalk | None = None,
    ) -> SearchPage:
        """`ranged(rows)`: the range facets (search/range_facets.py) of `rows`, the rows matching
        the text (or its typo fallback) before any filter, where they are not counted with the rest
        (SQLite); it applies the facet filters itself. `walk(matched, rank, top)`: the page of a
        product search with more hits than the cap (capped.py)."""
        counted_with_ranges = model in (ProductText, ProductFilter)
        base = model._default_manager.all() if counted_with_ranges else model._default_manager.filter(plain)
        relevance = params.sort == "relevance"
        matched, rank = self._text(base, params.q, with_rank=relevance)
        # ProductFilter (narrow, for counting) has no sort indexes: writes stay cheap.
        page_source = ProductDocument.objects.filter(plain) if model is ProductFilter else None
        order = order_for(params.sort, rank is not None)
        count, facets, ids, count_exact, facets_exact = self._counted_page(
            matched, rank, facet_filters, columns, order, params, page_source, plain, walk
        )
        text_match: Callable[..., Any] = self._text
        relaxed = False
        if params.q and count < params.limit and relax_needs(params.q):
            # Less than a page has every word: show what has most of them too, after those.
            loose, loose_rank = self._text(base, params.q, with_rank=relevance, relaxed=True)
            # Fewer than a page: `ids` holds every row with all the words, in order.
            loose_walk = self._after_strict(walk, ids, params) if relevance and params.offset == 0 else walk
            loose_count, loose_facets, loose_ids, loose_exact, loose_facets_exact = self._counted_page(
                loose,
                loose_rank,
                facet_filters,
                columns,
                order,
                params,
                plain=plain,
                walk=loose_walk,
                top=capped.TOP_TIER * STRICT_FIRST,
            )
            if loose_count > count:
                matched, count, facets, ids, relaxed = loose, loose_count, loose_facets, loose_ids, True
                # The relaxed answer's own flags: past the cap its count is a lower bound.
                count_exact, facets_exact = loose_exact, loose_facets_exact
                text_match = lambda qs, q, with_rank: self._text(qs, q, with_rank=with_rank, relaxed=True)  # noqa: E731
        if count == 0 and params.q:
            typo, typo_rank = self._typo(base, params.q)
            typo_rank = typo_rank if relevance else None
            typo_count, typo_facets, typo_ids, typo_exact, typo_facets_exact = self._counted_page(
                typo,
                typo_rank,
                facet_filters,
                columns,
                order_for(params.sort, typo_rank is not None),
                params,
                plain=plain,
                walk=walk,
            )
            if typo_count:
                matched, count, facets, ids = typo, typo_count, typo_facets, typo_ids
                count_exact, facets_exact = typo_exact, typo_facets_exact
                text_match = lambda qs, q, with_rank: self._typo(qs, q)  # noqa: E731
        for name, fn in (extra or {}).items():
            others = all_of(cond for other, cond in facet_filters.items() if other != name)
            facets[name] = fn(matched.filter(others))
        names: tuple[str, ...] = ("category", "province", "industrial_belt")
        if ranged is not None:
            names += RANGE_FACETS
            if "price" not in facets:
                empty = matched.query.is_empty() or counted_with_ranges
                facets.update(
                    listed({})
                    if empty
                    else ranged(text_match(model._default_manager.all(), params.q, with_rank=False)[0])
                )
        return SearchPage(
            ids=ids,
            count=count,
            facets={name: facets[name] for name in names},
            relaxed=relaxed,
            count_exact=count_exact,
            facets_exact=facets_exact,
        )

    @staticmethod
    def _after_strict(walk: LimitedWalk | None, strict_ids: list[int], params: SearchParams) -> Walk | None:
        """The walk of a relaxed search's first page: the rows with every word lead it (×
        STRICT_FIRST) and are known, so only the rest is walked, ranked by title tier alone. A
        title holding every part of the words (tier 2 or 3) holds every term, so for Chinese
        words every row of the rest is tier 1: the walk's bound is that of a strict search."""
        if walk is None:
            return None
        rest_top = 1.0 if all(is_cjk(w) for w in query_words(params.q)) else capped.TOP_TIER

        def after_strict(matched: Rows, rank: Expression | None, top: float) -> tuple[list[int], int] | None:
            walked = walk(
                matched.exclude(pk__in=strict_ids), rank, rest_top, limit=params.limit - len(strict_ids)
            )
            if walked is None:
                return None
            return [*strict_ids, *walked[0]], walked[1] + len(strict_ids)

        return after_strict

    def search_products(self, params: SearchParams) -> SearchPage:
        plain = ranges.plain_q(params)
        chosen = _chosen(params)
        facet_filters = {name: combos.facet_q(name, value) for name, value in chosen.items()}
        model: type[ProductDocument] | type[ProductText] | type[ProductFilter]
        if not _postgres():
            model = ProductDocument
        elif query_terms(params.q):
            # A keyword search reads the text rows alone; they hold the facet combination's id.
            model = ProductText
            facet_filters = {name: combos.on_text_rows(q) for name, q in facet_filters.items()}
        else:
            model = ProductFilter
        # The range facets count rows of the same table, filtered by the other facets as it can.
        on_rows = all_of(
            combos.on_text_rows(q) if model is ProductFilter else q for q in facet_filters.values()
        )

        def ranged(rows: Rows) -> Facets:
            return ranges.range_facets(rows.filter(on_rows), params)

        def order_for(sort: str, has_rank: bool) -> list[str]:
            if sort == "price":
                return ["factory_price", "pk"]
            if sort == "-price":
                return ["-factory_price", "pk"]
            if sort == "newest":
                return ["-created_at", "-pk"]
            return ["-relevance", "-quality", "pk"] if has_rank else ["-quality", "-created_at", "pk"]

        # A capped keyword search walks the document table's sort indexes (capped.py), where the
        # facet filters read the document's own columns.
        doc_filter = plain & all_of(combos.facet_q(name, value) for name, value in chosen.items())

        def walk(
            matched: Rows, rank: Expression | None, top: float, limit: int | None = None
        ) -> tuple[list[int], int] | None:
            order = order_for(params.sort, rank is not None)
            page = params if limit is None else replace(params, limit=limit)
            return capped.walk(matched, rank, doc_filter, order, page, top)

        columns = {"category": "category_slug", "province": "province", "industrial_belt": "industrial_belt"}
        return self._run(model, params, plain, facet_filters, order_for, columns, ranged=ranged, walk=walk)

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

        def order_for(sort: str, has_rank: bool) -> Order:
            if sort == "price":
                return [F("price_min").asc(nulls_last=True), "pk"]
            if sort == "-price":
                return [F("price_max").desc(nulls_last=True), "pk"]
            if sort == "newest":
                return ["-created_at", "-pk"]
            return ["-relevance", "-quality", "pk"] if has_rank else ["-quality", "-created_at", "pk"]

        def category_facet(qs: Rows) -> list[FacetBucket]:
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
    def match(self, kind: str, rules: Sequence[Rule[Ctx]], ctx: Ctx, limit: int) -> list[Match]:
        model = DOC_MODELS[kind]
        active = [r for r in rules if r.applies(ctx)]
        region = (
            Case(When(province=ctx.province, then=Value(fit.REGION_BONUS)), default=Value(0.0))
            if ctx.province
            else Value(0.0)
        )
        base = model._default_manager.annotate(
            rank=ExpressionWrapper(F("quality") + region, output_field=FloatField())
        )
        fields = _value_fields(model)
        fitting = all_of(rule.q(ctx) for rule in active)
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
                CATEGORY_MODELS[kind]
                ._default_manager.filter(document_id__in=slugs)
                .values_list("document_id", "slug")
            ):
                slugs[doc_id].append(slug)
            for d in docs:
                d["category_slugs"] = slugs[d["id"]]
        return [
            Match(id=f.doc["id"], score=f.score, reasons=f.reasons, record=f.record)
            for f in fit.rank(rules, ctx, docs)
        ]
