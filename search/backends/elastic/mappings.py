"""Index mappings and analysis, written with elasticsearch.dsl (the `elasticsearch` 9.x package).

Chinese text on a stock cluster: `standard` tokenizer (one token per CJK character) + `cjk_width`
+ `lowercase` + `cjk_bigram`, so 面膜 matches inside 补水睡眠面膜; titles keep a `keyword`
subfield for exact match and sorting. Text is indexed with unigrams too and searched without:
a query of one character (杯, a lone unigram) then finds it inside words (保温杯), as the database
backend does, while longer words stay bigram-only queries. With the IK plugin installed (ELASTICSEARCH_IK=1) text is
indexed with `ik_max_word` and searched with `ik_smart` instead.
"""

from functools import lru_cache
from typing import Any

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Float,
    Index,
    Integer,
    Keyword,
    Long,
    Object,
    ScaledFloat,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.dsl.field import Field

from ... import shapes

CJK_UNIGRAMS_TOO = token_filter("cjk_bigram_unigrams", type="cjk_bigram", output_unigrams=True)
CJK = analyzer("cjk_text", tokenizer="standard", filter=["cjk_width", "lowercase", CJK_UNIGRAMS_TOO])
CJK_QUERY = analyzer("cjk_query", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])
KINDS = ("product", "factory", "buyer")
PLURAL = {"product": "products", "factory": "factories", "buyer": "buyers"}


def _text(ik: bool, **kwargs: Any) -> Text:
    if ik:
        return Text(analyzer="ik_max_word", search_analyzer="ik_smart", **kwargs)
    return Text(analyzer=CJK, search_analyzer=CJK_QUERY, **kwargs)


def _money() -> ScaledFloat:
    return ScaledFloat(scaling_factor=100)


def _record() -> Object:
    # Kept in _source for the reasons, never searched: its score is already in `quality`.
    return Object(enabled=False)


def _common(ik: bool) -> dict[str, Field]:
    return {
        "id": Long(),
        "title": _text(ik, fields={"keyword": Keyword(ignore_above=256)}),
        "names": _text(ik),
        "body": _text(ik),
        "province": Keyword(),
        "quality": Float(),
        "created_at": Date(),
    }


def _factory_record() -> dict[str, Field]:
    return {
        "factory_name": Keyword(),
        "industrial_belt": Keyword(),
        "tier": Keyword(),
        "verified": Boolean(),
        "record": _record(),
    }


def _fields(kind: str, ik: bool) -> dict[str, Field]:
    fields = _common(ik)
    if kind == "product":
        fields |= _factory_record() | {
            "factory_pk": Long(),
            "category_slug": Keyword(),
            "parent_category_slug": Keyword(),
            "category_name": Keyword(index=False),
            "category_name_en": Keyword(index=False),
            "factory_price": _money(),
            "moq": Integer(),
            "customizable": Boolean(),
            "trial_eligible": Boolean(),
        }
    elif kind == "factory":
        fields |= _factory_record() | {
            "customization": Keyword(),
            "customizable": Boolean(),
            "accepts_trials": Boolean(),
            "price_min": _money(),
            "price_max": _money(),
            "moq_min": Integer(),
            "product_count": Integer(),
            "categories": Keyword(),
            "category_slugs": Keyword(),
        }
    else:
        fields |= {
            "price_min": _money(),
            "price_max": _money(),
            "units_per_session": Integer(),
            "needs_customization": Boolean(),
            "followers": Long(),
            "record": _record(),
            "categories": Keyword(),
            "category_slugs": Keyword(),
        }
    return fields


@lru_cache(maxsize=8)
def document_class(kind: str, ik: bool) -> type[Document]:
    # Built per (kind, IK) because the analyzer is a deployment setting, not a constant.
    return type(f"{kind.title()}Document", (Document,), {**_fields(kind, ik), "__module__": __name__})


def index_body(kind: str, ik: bool) -> shapes.EngineJson:
    """`settings` + `mappings` for a new concrete index of this kind."""
    index = Index("template")
    index.settings(number_of_shards=1, number_of_replicas=1, refresh_interval="1s")
    index.document(document_class(kind, ik))
    body = index.to_dict()
    # Keep unknown fields out of the mapping: documents.py is the one place a field is added.
    body["mappings"]["dynamic"] = "strict"
    return body


SOURCE_EXCLUDES = ("terms_a", "terms_b", "terms_c")


def source(doc: shapes.Document) -> shapes.EngineJson:
    """A documents.py dict as Elasticsearch `_source` (JSON values; our own term lists left out)."""
    out = {}
    for key, value in doc.items():
        if key in SOURCE_EXCLUDES:
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and type(value).__name__ == "Decimal":
            value = float(value)
        out[key] = value
    return out
