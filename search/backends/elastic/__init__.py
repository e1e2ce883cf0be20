"""The Elasticsearch backend (SEARCH_BACKEND=elasticsearch, ELASTICSEARCH_URL=…).

Each kind lives behind an alias `<prefix>-products` (…-factories, …-buyers) pointing at a
concrete index `<prefix>-products-<timestamp>`. A rebuild fills a new concrete index, swaps the
alias in one `_aliases` call and drops the old index, so search never sees an empty index. While
a rebuild runs, the alias `<prefix>-products-next` points at the new index and incremental
indexing writes to both, so edits made during the rebuild are not lost by the swap.

When the cluster cannot be reached (connection errors, 5xx) we raise SearchUnavailable: the
indexing task rolls back and retries (rows stay dirty), and the search API answers 503.
"""

import logging
from datetime import UTC, datetime

from django.conf import settings
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch
from elasticsearch.helpers import streaming_bulk

from ... import fit
from ...documents import as_decimal, category_expansion
from ..base import Backend, Match, SearchPage, SearchParams, SearchUnavailable
from . import mappings, queries

logger = logging.getLogger(__name__)
CHUNK = 500
MONEY_FIELDS = ("factory_price", "price_min", "price_max")


def make_client(**options) -> Elasticsearch:
    return Elasticsearch(
        settings.ELASTICSEARCH_URL or "http://localhost:9200",
        request_timeout=10,
        max_retries=1,
        retry_on_timeout=False,
        **options,
    )


class _Unavailable:
    """Turn transport failures into SearchUnavailable (4xx stay real errors: they are our bugs)."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            return False
        if isinstance(exc, TransportConnectionError | ConnectionTimeout):
            raise SearchUnavailable(str(exc)) from exc
        if isinstance(exc, ApiError) and exc.meta.status >= 500:
            raise SearchUnavailable(str(exc)) from exc
        return False


class ElasticsearchBackend(Backend):
    name = "elasticsearch"

    def __init__(
        self, client: Elasticsearch | None = None, *, prefix: str | None = None, ik: bool | None = None
    ):
        self.client = client or make_client()
        self.prefix = prefix or settings.ELASTICSEARCH_INDEX_PREFIX
        self.ik = settings.ELASTICSEARCH_IK if ik is None else ik

    # ---- names -------------------------------------------------------------------------------
    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{mappings.PLURAL[kind]}"

    def next_alias(self, kind: str) -> str:
        return f"{self.alias(kind)}-next"

    def _new_index(self, kind: str) -> str:
        name = f"{self.alias(kind)}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
        self.client.indices.create(index=name, **mappings.index_body(kind, self.ik))
        return name

    def _ensure_alias(self, kind: str) -> None:
        """First use on an empty cluster: create an index and point the alias at it."""
        alias = self.alias(kind)
        if not self.client.indices.exists_alias(name=alias):
            name = self._new_index(kind)
            self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])

    # ---- indexing ----------------------------------------------------------------------------
    def _bulk(self, actions: list[dict]) -> int:
        done = 0
        for ok, item in streaming_bulk(
            self.client, actions, chunk_size=CHUNK, raise_on_error=False, max_retries=2, initial_backoff=1
        ):
            op, result = next(iter(item.items()))
            if not ok and not (op in ("delete", "update") and result.get("status") == 404):
                # A rejected document is a mapping bug, not an outage: fail loudly.
                raise RuntimeError(f"Elasticsearch refused {op} {result.get('_id')}: {result.get('error')}")
            done += 1
        return done

    def _targets(self, kind: str) -> list[str]:
        targets = [self.alias(kind)]
        if self.client.indices.exists_alias(name=self.next_alias(kind)):
            targets.append(self.next_alias(kind))
        return targets

    def index(self, kind: str, docs: list[dict], delete_ids: list[int]) -> None:
        with _Unavailable():
            self._ensure_alias(kind)
            actions = []
            for target in self._targets(kind):
                actions += [
                    {"_op_type": "index", "_index": target, "_id": d["id"], "_source": mappings.source(d)}
                    for d in docs
                ]
                actions += [{"_op_type": "delete", "_index": target, "_id": pk} for pk in delete_ids]
            if actions:
                self._bulk(actions)

    def update_factory_stats(self, stats: dict[int, dict]) -> None:
        if not stats:
            return
        with _Unavailable():
            self._ensure_alias("factory")
            actions = [
                {"_op_type": "update", "_index": target, "_id": fid, "doc": mappings.source(values)}
                for target in self._targets("factory")
                for fid, values in stats.items()
            ]
            self._bulk(actions)

    def rebuild(self, kind: str, docs_iter, total: int) -> dict:
        alias, next_alias = self.alias(kind), self.next_alias(kind)
        with _Unavailable():
            name = self._new_index(kind)
            self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": next_alias}}])
            indexed = 0
            for docs in docs_iter:
                indexed += self._bulk(
                    [
                        {"_op_type": "index", "_index": name, "_id": d["id"], "_source": mappings.source(d)}
                        for d in docs
                    ]
                )
            self.client.indices.refresh(index=name)
            old = []
            if self.client.indices.exists_alias(name=alias):
                old = sorted(self.client.indices.get_alias(name=alias).body)
            actions = [{"remove": {"index": o, "alias": alias}} for o in old]
            actions += [
                {"add": {"index": name, "alias": alias}},
                {"remove": {"index": name, "alias": next_alias}},
            ]
            self.client.indices.update_aliases(actions=actions)  # atomic: one request
            for o in old:
                self.client.indices.delete(index=o)
        return {"indexed": indexed, "index": name, "replaced": old}

    def status(self) -> dict:
        out = {}
        with _Unavailable():
            for kind in mappings.KINDS:
                alias = self.alias(kind)
                if not self.client.indices.exists_alias(name=alias):
                    out[kind] = {"alias": alias, "index": None, "documents": 0}
                    continue
                index = sorted(self.client.indices.get_alias(name=alias).body)
                count = self.client.count(index=alias).body["count"]
                out[kind] = {"alias": alias, "index": index, "documents": count}
        return out

    # ---- search ------------------------------------------------------------------------------
    def _search(self, kind: str, body: dict) -> dict:
        with _Unavailable():
            return self.client.search(index=self.alias(kind), **body).body

    def _page(self, kind: str, params: SearchParams, plain: list, facets: dict) -> SearchPage:
        text = queries.text_query(params.q) if params.q else None
        result = self._search(kind, queries.search_body(kind, params, plain, facets, text))
        if result["hits"]["total"]["value"] == 0 and text is not None and params.q.isascii():
            result = self._search(
                kind, queries.search_body(kind, params, plain, facets, queries.typo_query(params.q))
            )
        return SearchPage(
            ids=[int(hit["_id"]) for hit in result["hits"]["hits"]],
            count=result["hits"]["total"]["value"],
            facets={
                # Rows without a value (no industrial belt) are indexed as "": not a facet value.
                name: [
                    {"key": b["key"], "count": b["doc_count"]} for b in agg[name]["buckets"] if b["key"] != ""
                ]
                for name, agg in result["aggregations"].items()
            },
        )

    def search_products(self, params: SearchParams) -> SearchPage:
        plain, facets = queries.product_filters(params)
        return self._page("product", params, plain, facets)

    def search_factories(self, params: SearchParams) -> SearchPage:
        slugs = category_expansion().get(params.category, [params.category]) if params.category else []
        plain, facets = queries.factory_filters(params, slugs)
        return self._page("factory", params, plain, facets)

    def match(self, kind: str, rules, ctx, limit: int) -> list[Match]:
        result = self._search(kind, queries.match_body(rules, ctx, limit))
        docs = []
        for hit in result["hits"]["hits"]:
            doc = dict(hit["_source"])
            for field in MONEY_FIELDS:
                if field in doc:
                    doc[field] = as_decimal(doc[field])
            docs.append(doc)
        return [Match(id=f.doc["id"], score=f.score, reasons=f.reasons) for f in fit.rank(rules, ctx, docs)]
