"""Tantivy beside the database backend (issue 16, point 4): the yardstick `make bench` measures
the database backend's searches against, in the same run, on the same documents.

Tantivy is an embedded Lucene-class engine (official Python bindings, the `bench` extra: a
benchmark-only dependency). It is fed what the database backend indexed: each product's lexemes
(read back from ProductText's tsvector, so both find exactly the same hits), its normalized title,
quality, price, MOQ, flags and facet values; and it is asked what the backend is asked: every
word's terms (AND), the filters, the facets each counted without its own filter, the page in the
same order (title tier × (1 + quality), or price, or date; ties broken as the backend breaks
them). Unlike the backend it counts every hit and every facet exactly (no cap), so the ratio is,
if anything, kind to the database.

The title tier (reader._title_tier: the words as typed in the title 3, all their parts 2, else 1)
becomes phrase queries over the title's characters: "the title holds 大容量" is the phrase 大 容 量,
a character sequence that a space or a latin word breaks (a `|` token marks the break), as a
LIKE '%大容量%' would. A relaxed search (fewer hits than a page) is not modelled: its queries are
counted but marked (`relaxed` in the agreement line).
"""

import re
import tempfile
from dataclasses import dataclass
from itertools import pairwise

import tantivy
from django.db import connection

from search.backends.base import SearchParams
from search.range_facets import MOQ_CEILINGS, PRICE_RANGES
from search.text import RUN, is_cjk, normalize, query_terms, query_words, whole_words

Q = tantivy.Query
_LEXEME = re.compile(r"'((?:[^']|'')*)'")
FACETS = {"category": "category", "province": "province", "industrial_belt": "belt"}
PRICE_EDGES = [float(r.high) + 0.01 for r in PRICE_RANGES if r.high is not None]
MOQ_EDGES = [ceiling + 1 for ceiling in MOQ_CEILINGS]


def title_tokens(text: str) -> list[str]:
    """The title as characters (CJK) and words (latin / numbers), `|` where the text breaks."""
    tokens: list[str] = []
    end = 0
    for match in RUN.finditer(normalize(text)):
        if tokens and match.start() != end:
            tokens.append("|")
        run = match.group()
        tokens += list(run) if is_cjk(run) else [run]
        end = match.end()
    return tokens


def best_key(quality: float, created: float) -> int:
    """Quality (to 1e-6), then creation time (to the millisecond, after 2020-09): one sortable
    integer, so the engine's top-k reads the order the backend sorts by without words."""
    return (round(quality * 1_000_000) << 40) | max(0, round(created * 1000) - 1_600_000_000_000)


def _schema():
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", indexed=True, fast=True)
    sb.add_text_field("terms", tokenizer_name="whitespace", index_option="basic")
    sb.add_text_field("title", tokenizer_name="whitespace", index_option="position")
    sb.add_float_field("quality", fast=True)
    sb.add_float_field("weight", fast=True)  # 2^(1 + quality) - 2: score × log2(2 + weight) = × (1 + quality)
    sb.add_float_field("price", indexed=True, fast=True)
    sb.add_unsigned_field("moq", indexed=True, fast=True)
    sb.add_float_field("created", fast=True)
    sb.add_unsigned_field("best", fast=True)  # quality, then date (best_key): the order without words
    for flag in ("customizable", "trial_eligible", "verified"):
        sb.add_boolean_field(flag, indexed=True, fast=True)
    for field in ("category", "province", "belt"):
        sb.add_text_field(field, tokenizer_name="raw", fast=True, index_option="basic")
    return sb.build()


@dataclass
class TantivySide:
    index: tantivy.Index
    schema: tantivy.Schema
    folder: tempfile.TemporaryDirectory
    documents: int
    seconds_to_build: float

    # ---- the query ------------------------------------------------------------------------
    def _all(self, queries: list) -> tantivy.Query:
        return Q.boolean_query([(tantivy.Occur.Must, q) for q in queries]) if queries else Q.all_query()

    def _holds(self, word: str) -> tantivy.Query:
        tokens = title_tokens(word)
        if len(tokens) == 1:
            return Q.term_query(self.schema, "title", tokens[0])
        return Q.phrase_query(self.schema, "title", tokens)

    def _filters(self, p: SearchParams) -> dict[str, tantivy.Query]:
        """Each active filter by the facet it belongs to (a facet is counted without its own)."""
        s, out = self.schema, {}
        if p.category:  # a top-level category: its children too (the row holds both)
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
                out[name] = Q.term_query(s, name, getattr(p, name))
        if p.verified_only:
            out["verified_only"] = Q.term_query(s, "verified", True)
        return out

    def _text(self, p: SearchParams) -> tantivy.Query | None:
        terms = query_terms(p.q)
        if not terms:
            return None
        every = self._all([Q.term_query(self.schema, "terms", t) for t in terms])
        parts = self._all([self._holds(w) for w in query_words(p.q)])
        whole = self._all([self._holds(w) for w in whole_words(p.q)])
        # score = 1 + parts + whole: the backend's title tier (whole implies parts)
        return Q.boolean_query(
            [
                (tantivy.Occur.Must, Q.const_score_query(every, 1.0)),
                (tantivy.Occur.Should, Q.const_score_query(parts, 1.0)),
                (tantivy.Occur.Should, Q.const_score_query(whole, 1.0)),
            ]
        )

    # ---- the search -----------------------------------------------------------------------
    def search(self, p: SearchParams) -> tuple[int, list[int], dict]:
        """(count, page ids, facets) as the database backend answers them."""
        searcher = self.index.searcher()
        text, filters = self._text(p), self._filters(p)

        def restricted(without: str | None = None) -> tantivy.Query:
            parts = [Q.const_score_query(q, 0.0) for name, q in filters.items() if name != without]
            if text is None:
                return self._all(parts)
            return Q.boolean_query([(tantivy.Occur.Must, text)] + [(tantivy.Occur.Must, q) for q in parts])

        # A little more than the page, to break ties the backend's way.
        count, keyed = self._top(searcher, p, restricted(), text is not None, p.offset + p.limit + 20)
        page = [i for _, i in sorted(keyed)][p.offset : p.offset + p.limit]
        return count, page, self._facets(searcher, restricted, filters)

    def page_keys(self, p: SearchParams, ids: list[int]) -> list[tuple]:
        """The sort keys (without the id) of `ids` under the search `p`, in page order: two
        pages with the same keys differ only in the order of rows that rank the same."""
        if not ids:
            return []
        searcher = self.index.searcher()
        text = self._text(p)
        only = Q.term_set_query(self.schema, "id", ids)
        query = (
            only
            if text is None
            else Q.boolean_query(
                [(tantivy.Occur.Must, text), (tantivy.Occur.Must, Q.const_score_query(only, 0.0))]
            )
        )
        _, keyed = self._top(searcher, p, query, text is not None, len(ids))
        keys = {i: key[:-1] for key, i in keyed}
        return [keys.get(i) for i in ids]

    def _top(self, searcher, p: SearchParams, query, has_text: bool, want: int):
        """(count, [(sort key ending with the id, id)]) of the first `want` hits in the backend's
        order (reader.search_products order_for)."""
        if p.sort == "relevance" and has_text:
            result = searcher.search(query, want, weight_by_field="weight")
        elif p.sort in ("price", "-price"):
            order = tantivy.Order.Asc if p.sort == "price" else tantivy.Order.Desc
            result = searcher.search(query, want, order_by_field="price", order=order)
        elif p.sort == "newest":
            result = searcher.search(query, want, order_by_field="created", order=tantivy.Order.Desc)
        else:
            result = searcher.search(query, want, order_by_field="best", order=tantivy.Order.Desc)
        addresses = [address for _, address in result.hits]
        ids = searcher.fast_field_values("id", addresses)
        values = [value for value, _ in result.hits]
        if p.sort in ("price", "-price"):
            sign = 1 if p.sort == "price" else -1
            keyed = [((sign * round(v, 2), i), i) for v, i in zip(values, ids, strict=True)]
        elif p.sort == "newest":
            keyed = [((-v, -i), i) for v, i in zip(values, ids, strict=True)]
        elif not has_text:
            keyed = [((-v, i), i) for v, i in zip(values, ids, strict=True)]
        else:
            quality = searcher.fast_field_values("quality", addresses)
            keyed = [((-round(v, 4), -q, i), i) for v, q, i in zip(values, quality, ids, strict=True)]
        return result.count, keyed

    def _facets(self, searcher, restricted, filters) -> dict:
        aggs = {
            "category": {"terms": {"field": "category", "size": 50}},
            "province": {"terms": {"field": "province", "size": 50}},
            "industrial_belt": {"terms": {"field": "belt", "size": 50}},
            "price": {"range": {"field": "price", "ranges": _ranges(PRICE_EDGES)}},
            "moq": {"range": {"field": "moq", "ranges": _ranges(MOQ_EDGES)}},
            "customizable": {"terms": {"field": "customizable"}},
            "trial_eligible": {"terms": {"field": "trial_eligible"}},
            "verified_only": {"terms": {"field": "verified"}},
        }
        shared = {name: agg for name, agg in aggs.items() if name not in filters}
        out = searcher.aggregate(restricted(), shared) if shared else {}
        for name in filters:  # each filtered facet counts the rows passing every *other* filter
            if name in aggs:
                out.update(searcher.aggregate(restricted(without=name), {name: aggs[name]}))
        return out


def _ranges(edges: list[float]) -> list[dict]:
    bounds = [None, *edges, None]
    return [
        {k: v for k, v in (("from", low), ("to", high)) if v is not None} for low, high in pairwise(bounds)
    ]


def build() -> TantivySide:
    """Index every product the database backend holds (read from its text rows) into a fresh
    Tantivy index in a temporary folder; the caller times it."""
    import time

    started = time.perf_counter()
    schema = _schema()
    folder = tempfile.TemporaryDirectory(prefix="yuantou-tantivy-")
    index = tantivy.Index(schema, path=folder.name)
    writer = index.writer(heap_size=512_000_000, num_threads=2)
    count = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            "SELECT t.document_id, t.title_folded, t.search_vector::text, t.quality, t.factory_price,"
            " t.moq, extract(epoch FROM t.created_at), t.customizable, t.trial_eligible, t.verified,"
            " c.category_slug, c.parent_category_slug, c.province, c.industrial_belt"
            " FROM search_producttext AS t JOIN search_facetcombo AS c ON c.id = t.facet_id"
        )
        for row in cursor:
            (
                pk,
                title,
                vector,
                quality,
                price,
                moq,
                created,
                custom,
                trial,
                verified,
                cat,
                parent,
                prov,
                belt,
            ) = row
            doc = tantivy.Document()
            doc.add_unsigned("id", pk)
            lexemes = [m.replace("''", "'") for m in _LEXEME.findall(vector or "")]
            doc.add_text("terms", " ".join(x for x in lexemes if not x.startswith("zf")))
            doc.add_text("title", " ".join(title_tokens(title)))
            doc.add_float("quality", quality)
            doc.add_float("weight", 2 ** (1 + quality) - 2)
            doc.add_float("price", float(price))
            doc.add_unsigned("moq", moq)
            doc.add_float("created", float(created))
            doc.add_unsigned("best", best_key(quality, float(created)))
            doc.add_boolean("customizable", custom)
            doc.add_boolean("trial_eligible", trial)
            doc.add_boolean("verified", verified)
            for slug in {cat, parent} - {""}:
                doc.add_text("category", slug)
            if prov:
                doc.add_text("province", prov)
            if belt:
                doc.add_text("belt", belt)
            writer.add_document(doc)
            count += 1
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return TantivySide(index, schema, folder, count, time.perf_counter() - started)
