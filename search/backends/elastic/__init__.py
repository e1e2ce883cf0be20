"""The search-engine backend: SEARCH_BACKEND=elasticsearch (ELASTICSEARCH_URL) or opensearch (OPENSEARCH_URL).

Both engines get the same mappings and request bodies (mappings.py, queries.py); engines.py holds
the one thin adapter per client library. Each kind lives behind an alias `<prefix>-products`
(…-factories, …-buyers) pointing at a concrete index `<prefix>-products-<timestamp>`. A rebuild
fills a new concrete index, swaps the alias in one `_aliases` call and drops the old index, so
search never sees an empty index. While a rebuild runs, the alias `<prefix>-products-next` points
at the new index and incremental indexing writes to both, so edits made during the rebuild are not
lost by the swap. Every write into the index being filled carries an external version: the time
its documents were read from the database (see `_read_version`). A rebuild batch read before an
edit but sent after the edit's own write then loses to it (version conflict, skipped) instead of
putting the old text back, and a row deleted meanwhile stays deleted (the delete leaves a
versioned tombstone). Incremental writes name aliases only (`require_alias`), so a write racing
the swap fails and stays dirty instead of creating a stray index named like the removed alias.

When the cluster cannot be reached (connection errors, 5xx) we raise SearchUnavailable: the
indexing task rolls back and retries (rows stay dirty), and the search API answers 503.
"""

import logging
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from django.conf import settings
from elasticsearch.dsl.query import Query

from ... import fit, range_facets
from ...documents import as_decimal, category_expansion
from ...fit.rules import Ctx, Rule
from ...shapes import Document, EngineJson, FacetBucket, ProductStats
from ...text import relax_needs
from ..base import Backend, Match, SearchPage, SearchParams, SearchUnavailable
from . import mappings, queries
from .engines import ElasticsearchEngine, OpenSearchEngine, make_opensearch_client
from .engines import make_elasticsearch_client as make_client

__all__ = ["ElasticsearchBackend", "OpenSearchBackend", "make_client", "make_opensearch_client"]

logger = logging.getLogger(__name__)
CHUNK = 500
MONEY_FIELDS = ("factory_price", "price_min", "price_max")


def _read_version() -> int:
    """Microseconds now, as an external document version. A later read of a row is at least as
    fresh (each read sees every commit made before it), so the larger version is the newer text.
    Taken before a rebuild batch is read and after an incremental batch was: ties go to the latter."""
    return time.time_ns() // 1000


class _Unavailable:
    """Turn the engine's outage failures into SearchUnavailable (4xx stay real errors: our bugs)."""

    def __init__(self, engine: ElasticsearchEngine | OpenSearchEngine) -> None:
        self.engine = engine

    def __enter__(self) -> "_Unavailable":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Returning None lets every other exception through.
        if exc is not None and self.engine.is_outage(exc):
            raise SearchUnavailable(str(exc)) from exc


class EngineBackend(Backend):
    """The backend over one engine adapter; `client` is that library's own client object."""

    engine_class: type[ElasticsearchEngine] | type[OpenSearchEngine] = ElasticsearchEngine

    def __init__(self, client: Any = None, *, prefix: str | None = None, ik: bool | None = None) -> None:
        self.engine = self.engine_class(client)
        self.client = self.engine.client
        self.prefix = prefix or settings.ELASTICSEARCH_INDEX_PREFIX
        self.ik = settings.ELASTICSEARCH_IK if ik is None else ik

    def _unavailable(self) -> _Unavailable:
        return _Unavailable(self.engine)

    # ---- names -------------------------------------------------------------------------------
    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{mappings.PLURAL[kind]}"

    def next_alias(self, kind: str) -> str:
        return f"{self.alias(kind)}-next"

    def _new_index(self, kind: str) -> str:
        name = f"{self.alias(kind)}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
        self.engine.create_index(name, mappings.index_body(kind, self.ik))
        return name

    def _ensure_alias(self, kind: str) -> None:
        """First use on an empty cluster: create an index and point the alias at it."""
        alias = self.alias(kind)
        if not self.engine.alias_exists(alias):
            name = self._new_index(kind)
            self.engine.update_aliases([{"add": {"index": name, "alias": alias}}])

    # ---- indexing ----------------------------------------------------------------------------
    def _bulk(self, actions: list[EngineJson], **options: Any) -> int:
        """Send the actions; the number written. Skipped without error: deleting or updating a
        document that is not there, and a versioned write that met a newer version (409)."""
        done = 0
        for ok, item in self.engine.bulk(
            actions, chunk_size=CHUNK, raise_on_error=False, max_retries=2, initial_backoff=1, **options
        ):
            op, result = next(iter(item.items()))
            status = result.get("status")
            if not ok and op in ("index", "delete") and status == 409:
                continue
            if not ok and not (op in ("delete", "update") and status == 404):
                # A rejected document is a mapping bug, not an outage: fail loudly.
                raise RuntimeError(
                    f"{self.engine.name} refused {op} {result.get('_id')}: {result.get('error')}"
                )
            done += 1
        return done

    def _targets(self, kind: str) -> list[str]:
        targets = [self.alias(kind)]
        if self.engine.alias_exists(self.next_alias(kind)):
            targets.append(self.next_alias(kind))
        return targets

    def index(self, kind: str, docs: list[Document], delete_ids: list[int]) -> None:
        with self._unavailable():
            self._ensure_alias(kind)
            actions = []
            version = _read_version()
            for target in self._targets(kind):
                # The index a rebuild is filling: versioned writes, so its older reads cannot win.
                meta = (
                    {"version": version, "version_type": "external_gte"}
                    if target == self.next_alias(kind)
                    else {}
                )
                actions += [
                    {
                        "_op_type": "index",
                        "_index": target,
                        "_id": d["id"],
                        "_source": mappings.source(d),
                        **meta,
                    }
                    for d in docs
                ]
                actions += [{"_op_type": "delete", "_index": target, "_id": pk, **meta} for pk in delete_ids]
            if actions:
                self._bulk(actions, require_alias=True)

    def update_factory_stats(self, stats: dict[int, ProductStats]) -> None:
        if not stats:
            return
        with self._unavailable():
            self._ensure_alias("factory")
            actions = [
                {"_op_type": "update", "_index": target, "_id": fid, "doc": mappings.source(values)}
                for target in self._targets("factory")
                for fid, values in stats.items()
            ]
            self._bulk(actions, require_alias=True)

    def rebuild(self, kind: str, docs_iter: Iterable[list[Document]], total: int) -> EngineJson:
        alias, next_alias = self.alias(kind), self.next_alias(kind)
        with self._unavailable():
            name = self._new_index(kind)
            self.engine.update_aliases([{"add": {"index": name, "alias": next_alias}}])
            indexed = 0
            batches = iter(docs_iter)
            while True:
                version = _read_version()  # before the batch is read from the database
                docs = next(batches, None)
                if docs is None:
                    break
                indexed += self._bulk(
                    [
                        {
                            "_op_type": "index",
                            "_index": name,
                            "_id": d["id"],
                            "_source": mappings.source(d),
                            "version": version,
                            "version_type": "external",
                        }
                        for d in docs
                    ]
                )
            self.engine.refresh(name)
            old = []
            if self.engine.alias_exists(alias):
                old = self.engine.alias_indices(alias)
            actions = [{"remove": {"index": o, "alias": alias}} for o in old]
            actions += [
                {"add": {"index": name, "alias": alias}},
                {"remove": {"index": name, "alias": next_alias}},
            ]
            self.engine.update_aliases(actions)  # atomic: one request
            for o in old:
                self.engine.delete_index(o)
        return {"indexed": indexed, "index": name, "replaced": old}

    def status(self) -> EngineJson:
        out: dict[str, dict[str, Any]] = {}
        with self._unavailable():
            for kind in mappings.KINDS:
                alias = self.alias(kind)
                if not self.engine.alias_exists(alias):
                    out[kind] = {"alias": alias, "index": None, "documents": 0}
                    continue
                index = self.engine.alias_indices(alias)
                count = self.engine.count(alias)
                out[kind] = {"alias": alias, "index": index, "documents": count}
        return out

    # ---- search ------------------------------------------------------------------------------
    def _search(self, kind: str, body: EngineJson) -> EngineJson:
        with self._unavailable():
            return self.engine.search(self.alias(kind), body)

    def _page(
        self, kind: str, params: SearchParams, plain: list[Query], facets: dict[str, Query]
    ) -> SearchPage:
        text = queries.text_query(params.q) if params.q else None
        result = self._search(kind, queries.search_body(kind, params, plain, facets, text))
        relaxed = False
        count = result["hits"]["total"]["value"]
        if text is not None and count < params.limit and relax_needs(params.q):
            # Less than a page has every word: show what has most of them too, after those.
            loose = queries.text_query(params.q, relaxed=True)
            loose_result = self._search(kind, queries.search_body(kind, params, plain, facets, loose))
            if loose_result["hits"]["total"]["value"] > count:
                result, relaxed = loose_result, True
        if result["hits"]["total"]["value"] == 0 and text is not None and params.q.isascii():
            result = self._search(
                kind, queries.search_body(kind, params, plain, facets, queries.typo_query(params.q))
            )
        # The buckets found, by facet (the parameter `facets` holds the facet filters asked for).
        counted: dict[str, list[FacetBucket]] = {}
        ranged: dict[str, dict[str, int]] = {}
        for name, agg in result["aggregations"].items():
            buckets = agg[name]["buckets"]
            if isinstance(buckets, dict):  # a `filters` aggregation: {value: {"doc_count": n}}
                ranged[name] = {key: bucket["doc_count"] for key, bucket in buckets.items()}
            else:
                # Rows without a value (no industrial belt) are indexed as "": not a facet value.
                counted[name] = [
                    {"key": b["key"], "count": b["doc_count"]} for b in buckets if b["key"] != ""
                ]
        if ranged:
            counted.update(range_facets.listed(ranged))
        total = result["hits"]["total"]
        return SearchPage(
            ids=[int(hit["_id"]) for hit in result["hits"]["hits"]],
            count=min(total["value"], settings.SEARCH_COUNT_CAP),
            facets=counted,
            relaxed=relaxed,
            count_exact=total["relation"] == "eq" and total["value"] <= settings.SEARCH_COUNT_CAP,
        )

    def search_products(self, params: SearchParams) -> SearchPage:
        plain, facets = queries.product_filters(params)
        return self._page("product", params, plain, facets)

    def search_factories(self, params: SearchParams) -> SearchPage:
        slugs = category_expansion().get(params.category, [params.category]) if params.category else []
        plain, facets = queries.factory_filters(params, slugs)
        return self._page("factory", params, plain, facets)

    def match(self, kind: str, rules: Sequence[Rule[Ctx]], ctx: Ctx, limit: int) -> list[Match]:
        result = self._search(kind, queries.match_body(rules, ctx, limit))
        docs = []
        for hit in result["hits"]["hits"]:
            doc = dict(hit["_source"])
            for field in MONEY_FIELDS:
                if field in doc:
                    doc[field] = as_decimal(doc[field])
            docs.append(doc)
        return [
            Match(id=f.doc["id"], score=f.score, reasons=f.reasons, record=f.record)
            for f in fit.rank(rules, ctx, docs)
        ]


class ElasticsearchBackend(EngineBackend):
    name = "elasticsearch"
    engine_class = ElasticsearchEngine


class OpenSearchBackend(EngineBackend):
    name = "opensearch"
    engine_class = OpenSearchEngine
