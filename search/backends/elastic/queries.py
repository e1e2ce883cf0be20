"""Search request bodies, built with elasticsearch.dsl. Same semantics as the database backend:

- text: the query is split into words with jieba; every word must match (title^3, names^2, body);
- relevance: text score × (1 + quality) (`function_score`: weight 1 + `field_value_factor`);
- facets: the facet filters go to `post_filter`; each facet's terms aggregation (a `filters`
  aggregation for the price / MOQ / yes-no facets of products) sits inside a `filter` aggregation
  holding the *other* facet filters, so counts respect everything but itself;
- matching: `function_score` over the hard rules of search/fit.py (weight 10 each, so fewer
  misses always rank first), plus `field_value_factor` on quality and a region weight.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from elasticsearch.dsl import A, Search
from elasticsearch.dsl import Q as EQ
from elasticsearch.dsl.query import Query

from ... import fit, range_facets
from ...fit.rules import Ctx, Rule
from ...shapes import EngineJson
from ...text import query_parts, query_words, relax_needs
from ..base import SearchParams

HARD_WEIGHT = 10.0
FACET_SIZE = 50
TEXT_FIELDS = ["title^3", "names^2", "body"]


# A relaxed match lifts the rows with every word above the rest (text scores stay far below).
STRICT_BOOST = 1000.0


def _all_of(parts: Iterable[str]) -> list[Query]:
    return [EQ("multi_match", query=part, fields=TEXT_FIELDS, operator="and") for part in parts]


def text_query(q: str, *, relaxed: bool = False) -> Query | None:
    """Every part of every word (search/text.py: 收纳盒 → 收纳, 盒); `relaxed`: most words
    (minimum_should_match, as the database backend's relaxed_tsquery), all-word rows first."""
    parts = _all_of(query_words(q))
    if not parts:
        return None
    # A title holding a split compound as typed (收纳盒, not 收纳 … 盒) ranks first, as the database
    # backend's title tier does.
    whole = [EQ("match_phrase", title={"query": "".join(w)}) for w in query_parts(q) if len(w) > 1]
    strict = EQ("bool", must=parts, should=whole) if whole else EQ("bool", must=parts)
    if not relaxed:
        return strict
    words = [EQ("bool", must=_all_of(word)) for word in query_parts(q)]
    return EQ(
        "bool",
        should=[*words, EQ("constant_score", filter=strict, boost=STRICT_BOOST)],
        minimum_should_match=relax_needs(q),
    )


def typo_query(q: str) -> Query:
    return EQ("match", title={"query": q, "fuzziness": "AUTO", "operator": "and"})


def _bool_term(field: str, value: bool | None) -> list[Query]:
    return [] if value is None else [EQ("term", **{field: value})]


def range_query(name: str, condition: dict[str, Any]) -> Query:
    """One condition of search/range_facets.py ({"gte", "lte"} or {"eq"}) on its field."""
    field = range_facets.FIELDS[name]
    if "eq" in condition:
        return EQ("term", **{field: condition["eq"]})
    return EQ("range", **{field: {op: float(v) if name == "price" else v for op, v in condition.items()}})


def product_filters(p: SearchParams) -> tuple[list[Query], dict[str, Query]]:
    """Products have no plain filters: every filter is a facet (so each facet's counts can leave
    its own filter out), applied as a post_filter."""
    plain: list[Query] = []
    facets: dict[str, Query] = {}
    if p.category:
        facets["category"] = EQ("term", category_slug=p.category) | EQ(
            "term", parent_category_slug=p.category
        )
    if p.province:
        facets["province"] = EQ("term", province=p.province)
    if p.industrial_belt:
        facets["industrial_belt"] = EQ("term", industrial_belt=p.industrial_belt)
    for name, condition in range_facets.filters_of(p).items():
        if condition:
            facets[name] = range_query(name, condition)
    return plain, facets


def factory_filters(p: SearchParams, category_slugs: list[str]) -> tuple[list[Query], dict[str, Query]]:
    plain: list[Query] = []
    if p.price_min is not None:
        plain.append(EQ("range", price_max={"gte": float(p.price_min)}))
    if p.price_max is not None:
        plain.append(EQ("range", price_min={"lte": float(p.price_max)}))
    if p.moq_max is not None:
        plain.append(EQ("range", moq_min={"lte": p.moq_max}))
    plain += _bool_term("customizable", p.customizable) + _bool_term("accepts_trials", p.trial_eligible)
    if p.verified_only:
        plain.append(EQ("term", verified=True))
    facets: dict[str, Query] = {}
    if p.category:
        facets["category"] = EQ("terms", category_slugs=category_slugs)
    if p.province:
        facets["province"] = EQ("term", province=p.province)
    if p.industrial_belt:
        facets["industrial_belt"] = EQ("term", industrial_belt=p.industrial_belt)
    return plain, facets


# The other orders; lists of Any, as the DSL's sort() types its keys narrower than it takes them.
NEWEST: list[Any] = [{"created_at": "desc"}, {"id": "desc"}]
BEST_MATCH: list[Any] = ["_score", {"quality": "desc"}, {"id": "asc"}]
BEST_FIRST: list[Any] = [{"quality": "desc"}, {"created_at": "desc"}, {"id": "asc"}]
BY_SCORE: list[Any] = ["_score", {"id": "asc"}]
SORTS: dict[str, dict[str, list[Any]]] = {
    "product": {
        "price": [{"factory_price": "asc"}, {"id": "asc"}],
        "-price": [{"factory_price": "desc"}, {"id": "asc"}],
    },
    "factory": {
        "price": [{"price_min": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
        "-price": [{"price_max": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
    },
}
FACET_FIELDS = {
    "product": {"category": "category_slug", "province": "province", "industrial_belt": "industrial_belt"},
    "factory": {"category": "categories", "province": "province", "industrial_belt": "industrial_belt"},
}


def search_body(
    kind: str, p: SearchParams, plain: list[Query], facets: dict[str, Query], text: Query | None = None
) -> EngineJson:
    s = Search()
    has_text = text is not None
    base = EQ("bool", must=[text] if has_text else [], filter=plain)
    if has_text and p.sort == "relevance":
        base = EQ(
            "function_score",
            query=base,
            functions=[{"weight": 1}, {"field_value_factor": {"field": "quality", "missing": 0}}],
            score_mode="sum",
            boost_mode="multiply",
        )
    s = s.query(base)
    if facets:
        s = s.post_filter(EQ("bool", filter=list(facets.values())))
    for name, field in FACET_FIELDS[kind].items():
        others = [q for other, q in facets.items() if other != name]
        agg = A("filter", filter=EQ("bool", filter=others))
        agg.bucket(name, "terms", field=field, size=FACET_SIZE, order=[{"_count": "desc"}, {"_key": "asc"}])
        s.aggs.bucket(name, agg)
    if kind == "product":
        for name, values in range_facets.buckets().items():
            others = [q for other, q in facets.items() if other != name]
            agg = A("filter", filter=EQ("bool", filter=others))
            agg.bucket(name, "filters", filters={key: range_query(name, cond) for key, cond in values})
            s.aggs.bucket(name, agg)
    if p.sort in SORTS[kind]:
        s = s.sort(*SORTS[kind][p.sort])
    elif p.sort == "newest":
        s = s.sort(*NEWEST)
    elif has_text:
        s = s.sort(*BEST_MATCH)
    else:
        s = s.sort(*BEST_FIRST)
    # Counted exactly up to the cap, a lower bound past it (total.relation "gte"), as the
    # database backend does; the aggregations still count every hit.
    s = s.extra(from_=p.offset, size=p.limit, track_total_hits=settings.SEARCH_COUNT_CAP).source(False)
    return s.to_dict()


def match_body(rules: Sequence[Rule[Ctx]], ctx: Ctx, limit: int) -> EngineJson:
    functions = [{"filter": rule.es(ctx), "weight": HARD_WEIGHT} for rule in rules if rule.applies(ctx)]
    functions.append({"field_value_factor": {"field": "quality", "missing": 0}})
    if ctx.province:
        functions.append({"filter": {"term": {"province": ctx.province}}, "weight": fit.REGION_BONUS})
    s = Search().query(
        EQ(
            "function_score",
            query=EQ("match_all"),
            functions=functions,
            score_mode="sum",
            boost_mode="replace",
        )
    )
    s = s.sort(*BY_SCORE).extra(size=limit)
    return s.to_dict()
