"""A product search as Tantivy queries, answered as the database backend answers it
(search/backends/database/reader.py): the same hits, count, facets and order of the page.

- Words: every term of every word (AND) in `terms`; fewer hits than a page and several words:
  most of the words (search.text.relax_needs, `minimum_number_should_match`), the rows with every
  word first; no hit for a latin query: the title's words within an edit distance (the
  database uses trigram similarity there, so the two may order a typo's hits differently).
- Rank: the title tier (3: the title holds the words as typed, 2: all their parts, 1: elsewhere)
  times 1 + quality, then quality, id. Tantivy's scores are 32-bit floats, too coarse to hold
  that exactly: each tier is asked separately for its first rows by a sort key that holds
  (quality, id) (schema.rel_key), and the tiers are merged here. Without words: quality, then
  newest, id. By price: price, id. Newest: date, id descending. Every order is the database's,
  ties included (schema: the sort keys).
- Facets: every facet counts the hits that pass every filter but its own, in one aggregation
  for the facets not filtered and one per filtered facet. Up to the count cap they are exact;
  an aggregation over more hits reads a sample of about cap + 1 of them (the sample slots below
  a bound, schema.sample_slot) and says so (facets_exact False): aggregating reads every hit's
  values (~36 ms for a million), the sample a few thousand. The count the API shows is capped
  like the others'; the sample is the same rows on every request, so the counts do not jitter.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from math import ceil
from typing import cast

import tantivy
from django.conf import settings

from ...range_facets import MOQ_CEILINGS, PRICE_RANGES, listed
from ...shapes import EngineJson, FacetBucket
from ...text import is_latin, query_terms, query_words, relax_needs, whole_words, word_terms
from ..base import SearchPage, SearchParams
from ..database.common import FACET_LIMIT
from ..database.reader import STRICT_FIRST
from .schema import FLAGS, SAMPLE_SLOTS, VALUE_FACETS, cjk_pairs, title_tokens

Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
# Rows read past the page by the orders whose key can tie (dates to the microsecond / millisecond),
# and at most how many rows of one tied value are then read to order them as the database does.
MARGIN = 20
TIE_LIMIT = 10_000
# Every value of a facet is counted (categories, provinces and belts are a few hundred at most),
# then the first FACET_LIMIT kept, ordered as the database orders them.
ALL_VALUES = 10_000
PRICE_EDGES = [float(r.high + Decimal("0.01")) for r in PRICE_RANGES if r.high is not None]
MOQ_EDGES = [ceiling + 1 for ceiling in MOQ_CEILINGS]


# Tantivy's stubs (0.27) lag its API: SearchResult.count exists; fast field values are typed loosely.
def _count(result: tantivy.SearchResult) -> int:
    count: int = result.count  # type: ignore[attr-defined]  # see above: the stubs lack it
    return count


def _ints(searcher: tantivy.Searcher, field: str, addresses: list[tantivy.DocAddress]) -> list[int]:
    return cast("list[int]", searcher.fast_field_values(field, addresses))


def _floats(searcher: tantivy.Searcher, field: str, addresses: list[tantivy.DocAddress]) -> list[float]:
    return cast("list[float]", searcher.fast_field_values(field, addresses))


def _all(queries: Sequence[tantivy.Query]) -> tantivy.Query:
    if not queries:
        return Q.all_query()
    return queries[0] if len(queries) == 1 else Q.boolean_query([(MUST, q) for q in queries])


@dataclass
class Words:
    rows: tantivy.Query  # what the words find
    classes: list[tuple[float, tantivy.Query]]  # (rank before quality, rows): disjoint, cover `rows`


class ProductSearch:
    def __init__(self, schema: tantivy.Schema, params: SearchParams):
        self.schema, self.params = schema, params
        self.filters = self._filters()

    # ---- words -------------------------------------------------------------------------------
    def _holds(self, word: str) -> tantivy.Query:
        """The title holds `word` (as a substring of characters / whole latin words)."""
        tokens = title_tokens(word)
        pairs = cjk_pairs(tokens)
        if pairs is not None and "|" not in pairs:  # a CJK word of two characters or more
            if len(pairs) == 1:
                return Q.term_query(self.schema, "title_pairs", pairs[0])
            return Q.phrase_query(self.schema, "title_pairs", list[str | tuple[int, str]](pairs))
        if len(tokens) == 1:
            return Q.term_query(self.schema, "title", tokens[0])
        return Q.phrase_query(self.schema, "title", list[str | tuple[int, str]](tokens))

    def _every_term(self, terms: list[str]) -> tantivy.Query:
        return _all([Q.term_query(self.schema, "terms", t) for t in terms])

    def text(self, *, relaxed: bool = False) -> Words | None:
        """The rows the words find, and those rows split by rank class: (tier × STRICT_FIRST
        for rows with every word of a relaxed search, query) — disjoint, covering the match."""
        q = self.params.q
        if not query_terms(q):
            return None
        every = self._every_term(query_terms(q))
        parts = _all([self._holds(w) for w in query_words(q)])
        whole = _all([self._holds(w) for w in whole_words(q)])

        def tiers(rows: tantivy.Query, factor: float) -> list[tuple[float, tantivy.Query]]:
            # whole implies parts: 3 = whole, 2 = parts but not whole, 1 = not parts
            return [
                (3 * factor, _all([rows, whole])),
                (2 * factor, Q.boolean_query([(MUST, rows), (MUST, parts), (MUST_NOT, whole)])),
                (1 * factor, Q.boolean_query([(MUST, rows), (MUST_NOT, parts)])),
            ]

        if not relaxed:
            return Words(every, tiers(every, 1.0))
        words = [(SHOULD, self._every_term(terms)) for terms in word_terms(q)]
        most = Q.boolean_query(words, minimum_number_should_match=relax_needs(q))
        rest = Q.boolean_query([(MUST, most), (MUST_NOT, every)])
        return Words(most, tiers(every, STRICT_FIRST) + tiers(rest, 1.0))

    def typo(self) -> Words | None:
        """No hit for latin words: the title's words within one edit (two for long words). All
        rank alike (the database orders them by trigram similarity: the orders may differ)."""
        q = self.params.q
        if not (is_latin(q) and query_terms(q)):
            return None
        fuzzy = [
            Q.fuzzy_term_query(self.schema, "title", t, distance=1 if len(t) < 8 else 2)
            for t in query_terms(q)
            if len(t) >= 4  # shorter words are a few edits from too many others
        ]
        if not fuzzy:
            return None
        return Words(_all(fuzzy), [(1.0, _all(fuzzy))])

    # ---- filters -----------------------------------------------------------------------------
    def _filters(self) -> dict[str, tantivy.Query]:
        """Each active filter under the facet it belongs to (a facet is counted without its own)."""
        p, s, out = self.params, self.schema, {}
        if p.category:  # the row holds its own category and its parent's
            out["category"] = Q.term_query(s, "category", p.category)
        if p.province:
            out["province"] = Q.term_query(s, "province", p.province)
        if p.industrial_belt:
            out["industrial_belt"] = Q.term_query(s, "belt", p.industrial_belt)
        if p.price_min is not None or p.price_max is not None:
            out["price"] = Q.range_query(
                s,
                "price",
                tantivy.FieldType.Float,
                lower_bound=float(p.price_min) if p.price_min is not None else None,
                upper_bound=float(p.price_max) if p.price_max is not None else None,
            )
        if p.moq_max is not None:
            out["moq"] = Q.range_query(s, "moq", tantivy.FieldType.Unsigned, upper_bound=p.moq_max)
        for name in ("customizable", "trial_eligible"):
            if getattr(p, name) is not None:
                out[name] = Q.term_query(s, FLAGS[name], getattr(p, name))
        if p.verified_only:
            out["verified_only"] = Q.term_query(s, "verified", True)
        return out

    def restricted(self, rows: tantivy.Query | None, without: str | None = None) -> tantivy.Query:
        """`rows` (None: every row) that pass every filter but `without`."""
        filters = [q for name, q in self.filters.items() if name != without]
        return _all(filters if rows is None else [rows, *filters])

    # ---- the page ----------------------------------------------------------------------------
    def top(self, searcher: tantivy.Searcher, words: Words | None) -> tuple[int, list[int]]:
        """(count, the page's ids) in the database backend's order (reader.search_products)."""
        p = self.params
        want = p.offset + p.limit
        if p.sort == "relevance" and words is not None:
            # Each rank class's first `want` rows by (quality, id), then all of them by
            # tier × (1 + quality), quality, id: the database's -relevance, -quality, pk. A class
            # whose best possible rank (tier × 2) is below the page's last is not read at all:
            # for a broad word the title-tier classes (each read over every hit) are most
            # of the cost, and the page usually fills from the first.
            count = _count(searcher.search(self.restricted(words.rows), 1, order_by_field="rel"))
            keyed: list[tuple[float, float, int]] = []
            for tier, rows in sorted(words.classes, key=lambda c: -c[0]):
                keyed.sort()
                if len(keyed) >= want and -keyed[want - 1][0] > tier * 2:
                    break
                result = searcher.search(self.restricted(rows), want, order_by_field="rel")
                addresses = [address for _, address in result.hits]
                ids = _ints(searcher, "id", addresses)
                quality = _floats(searcher, "quality", addresses)
                keyed += [(-(tier * (1.0 + q)), -q, i) for q, i in zip(quality, ids, strict=True)]
            return count, [key[-1] for key in sorted(keyed)[p.offset : want]]
        query = self.restricted(words.rows if words is not None else None)
        if p.sort in ("price", "-price"):
            # the key holds the id: no two rows tie
            field = "price_up" if p.sort == "price" else "price_down"
            result = searcher.search(query, want, order_by_field=field, order=tantivy.Order.Asc)
            ids = _ints(searcher, "id", [address for _, address in result.hits])
            return _count(result), ids[p.offset : want]
        field = "created" if p.sort == "newest" else "best"
        return self._by_field(searcher, query, field, want)

    def _by_field(
        self, searcher: tantivy.Searcher, query: tantivy.Query, field: str, want: int
    ) -> tuple[int, list[int]]:
        """The first `want` rows by `field` descending, rows of equal value in the database's
        order: newest (-created_at, -pk), best (-quality, -created_at, pk)."""
        result = searcher.search(query, want + MARGIN, order_by_field=field)
        hits = result.hits
        if len(hits) == want + MARGIN and hits[want - 1][0] == hits[-1][0]:
            # Every row read past the page ties with its last: more may tie beyond. Read that
            # value's rows (up to TIE_LIMIT) and order them by their full keys.
            boundary = hits[-1][0]
            tied = Q.range_query(self.schema, field, tantivy.FieldType.Unsigned, boundary, boundary)
            ties = searcher.search(_all([query, tied]), TIE_LIMIT, order_by_field="created").hits
            hits = [hit for hit in hits if hit[0] != boundary] + ties
        addresses = [address for _, address in hits]
        ids = _ints(searcher, "id", addresses)
        created = _ints(searcher, "created", addresses)
        if field == "created":
            keys = sorted(zip((-c for c in created), (-i for i in ids), strict=True))
            return _count(result), [-i for _, i in keys[self.params.offset : want]]
        quality = _floats(searcher, "quality", addresses)
        keyed = sorted(zip((-q for q in quality), (-c for c in created), ids, strict=True))
        return _count(result), [i for _, _, i in keyed[self.params.offset : want]]

    # ---- facets ------------------------------------------------------------------------------
    def sample(self, query: tantivy.Query, hits: int) -> tuple[tantivy.Query, bool]:
        """(`query`, True) when its `hits` are at most the cap, else (about cap + 1 of them, False)."""
        cap = settings.SEARCH_COUNT_CAP
        if hits <= cap:
            return query, True
        slots = min(SAMPLE_SLOTS, ceil(SAMPLE_SLOTS * (cap + 1) / hits))
        sampled = Q.range_query(
            self.schema, "sample", tantivy.FieldType.Unsigned, 0, slots - 1, use_inverted_index=True
        )
        return _all([query, sampled]), False

    def facets(
        self, searcher: tantivy.Searcher, words: Words | None, count: int
    ) -> tuple[dict[str, list[FacetBucket]], bool]:
        """The facets, and whether they counted every hit (not a sample). `count`: the hits of
        the page's query (every filter applied)."""
        aggs: dict[str, EngineJson] = {
            name: {"terms": {"field": field, "size": ALL_VALUES}} for name, field in VALUE_FACETS.items()
        }
        aggs["price"] = {"range": {"field": "price", "ranges": _ranges(PRICE_EDGES)}}
        aggs["moq"] = {"range": {"field": "moq", "ranges": _ranges(MOQ_EDGES)}}
        aggs.update({name: {"terms": {"field": field}} for name, field in FLAGS.items()})
        found: dict[str, EngineJson] = {}
        rows = words.rows if words is not None else None
        shared = {name: agg for name, agg in aggs.items() if name not in self.filters}
        exact = True
        if shared:
            query, whole = self.sample(self.restricted(rows), count)
            found.update(searcher.aggregate(query, shared))
            exact &= whole
        for name in self.filters:  # a filtered facet counts the rows passing every *other* filter
            query = self.restricted(rows, without=name)
            everything = rows is None and len(self.filters) == 1  # counting them would read them all
            hits = searcher.num_docs if everything else _count(searcher.search(query, 1))
            query, whole = self.sample(query, hits)
            found.update(searcher.aggregate(query, {name: aggs[name]}))
            exact &= whole
        out = {name: _values(found[name]["buckets"]) for name in VALUE_FACETS}
        price = [b["doc_count"] for b in found["price"]["buckets"]]
        moq = [b["doc_count"] for b in found["moq"]["buckets"]]
        ranged = {
            "price": {r.key: n for r, n in zip(PRICE_RANGES, price, strict=True)},
            # "MOQ at most c" holds every row under a smaller ceiling too
            "moq": {str(c): sum(moq[: i + 1]) for i, c in enumerate(MOQ_CEILINGS)},
        }
        for name in FLAGS:
            counts = {b["key_as_string"]: b["doc_count"] for b in found[name]["buckets"]}
            ranged[name] = counts if name != "verified_only" else {"true": counts.get("true", 0)}
        out.update(listed(ranged))
        return out, exact

    @staticmethod
    def empty_page() -> SearchPage:
        return SearchPage(ids=[], count=0, facets={**{name: [] for name in VALUE_FACETS}, **listed({})})

    def page(self, searcher: tantivy.Searcher) -> SearchPage:
        p = self.params
        words = self.text()
        count, ids = self.top(searcher, words)
        relaxed = False
        if words is not None and count < p.limit and relax_needs(p.q):
            # Less than a page has every word: show what has most of them too, after those.
            loose = self.text(relaxed=True)
            loose_count, loose_ids = self.top(searcher, loose)
            if loose_count > count:
                words, count, ids, relaxed = loose, loose_count, loose_ids, True
        if count == 0 and (typo := self.typo()) is not None:
            typo_count, typo_ids = self.top(searcher, typo)
            if typo_count:
                words, count, ids = typo, typo_count, typo_ids
        cap = settings.SEARCH_COUNT_CAP
        facets, facets_exact = self.facets(searcher, words, count)
        return SearchPage(
            ids=ids,
            count=min(count, cap),
            facets=facets,
            relaxed=relaxed,
            count_exact=count <= cap,
            facets_exact=facets_exact,
        )


def _values(buckets: list[EngineJson]) -> list[FacetBucket]:
    """A facet's values as the database lists them: most rows first, then by key; no "" (rows
    without a belt)."""
    rows = sorted(((b["key"], b["doc_count"]) for b in buckets if b["key"] and b["doc_count"]), key=_by_count)
    return [{"key": key, "count": n} for key, n in rows[:FACET_LIMIT]]


def _by_count(row: tuple[str, int]) -> tuple[int, str]:
    return -row[1], row[0]


def _ranges(edges: Sequence[float]) -> list[EngineJson]:
    bounds = [None, *edges, None]
    return [
        {k: v for k, v in (("from", low), ("to", high)) if v is not None} for low, high in pairwise(bounds)
    ]
