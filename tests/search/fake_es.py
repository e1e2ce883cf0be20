"""A fake Elasticsearch node, the way elasticsearch-py tests itself: a `BaseNode` subclass passed as
`node_class`. It records every request, keeps just enough cluster state (indices, aliases,
documents) to answer like a real node, and can be switched off to play an outage.
"""

import json
import re
from urllib.parse import urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport._node import NodeApiResponse

from search.backends.elastic import ElasticsearchBackend

HEADERS = {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


class FakeCluster:
    def __init__(self):
        self.requests: list[tuple[str, str, object]] = []
        self.indices: dict[str, dict] = {}  # name → {"aliases": set, "docs": {id: source}, "body": dict}
        self.search_responses: list[dict] = []
        self.down = False

    # ---- helpers for tests -----------------------------------------------------------------
    def calls(self, method=None, path_re=None):
        return [
            r
            for r in self.requests
            if (method is None or r[0] == method) and (path_re is None or re.fullmatch(path_re, r[1]))
        ]

    def resolve(self, name: str) -> list[str]:
        if name in self.indices:
            return [name]
        return sorted(i for i, data in self.indices.items() if name in data["aliases"])

    def docs(self, name: str) -> dict:
        out = {}
        for index in self.resolve(name):
            out.update(self.indices[index]["docs"])
        return out

    # ---- the API -----------------------------------------------------------------------------
    def handle(self, method: str, path: str, body):
        parts = [p for p in path.split("/") if p]
        if method == "HEAD" and parts[0] == "_alias":
            return (200 if self.resolve_alias(parts[1]) else 404), None
        if method == "GET" and parts[0] == "_alias":
            found = self.resolve_alias(parts[1])
            if not found:
                return 404, {"error": f"alias [{parts[1]}] missing", "status": 404}
            return 200, {i: {"aliases": {parts[1]: {}}} for i in found}
        if method == "POST" and parts == ["_aliases"]:
            for action in body["actions"]:
                ((op, spec),) = action.items()
                aliases = self.indices[spec["index"]]["aliases"]
                aliases.add(spec["alias"]) if op == "add" else aliases.discard(spec["alias"])
            return 200, {"acknowledged": True}
        if method in ("PUT", "POST") and parts == ["_bulk"]:
            return 200, self.bulk(body)
        if method == "PUT" and len(parts) == 1:
            self.indices[parts[0]] = {"aliases": set(), "docs": {}, "body": body}
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": parts[0]}
        if method == "DELETE" and len(parts) == 1:
            self.indices.pop(parts[0])
            return 200, {"acknowledged": True}
        if parts[-1] == "_refresh":
            return 200, {"_shards": SHARDS}
        if parts[-1] == "_count":
            return 200, {"count": len(self.docs(parts[0])), "_shards": SHARDS}
        if parts[-1] == "_search":
            if self.search_responses:
                return 200, self.search_responses.pop(0)
            return 200, self.default_search(parts[0], body)
        return 400, {"error": f"fake node does not know {method} {path}", "status": 400}

    def resolve_alias(self, alias: str) -> list[str]:
        return sorted(i for i, data in self.indices.items() if alias in data["aliases"])

    def bulk(self, lines: list[dict]) -> dict:
        items, errors, i = [], False, 0
        while i < len(lines):
            ((op, meta),) = lines[i].items()
            targets = self.resolve(meta["_index"])
            index = targets[0] if targets else meta["_index"]
            docs = self.indices.setdefault(index, {"aliases": set(), "docs": {}, "body": None})["docs"]
            key = str(meta["_id"])
            if op == "delete":
                status = 200 if docs.pop(key, None) is not None else 404
                i += 1
            elif op == "update":
                if key in docs:
                    docs[key] = {**docs[key], **lines[i + 1]["doc"]}
                    status = 200
                else:
                    status = 404
                i += 2
            else:
                status = 200 if key in docs else 201
                docs[key] = lines[i + 1]
                i += 2
            result = {"_index": index, "_id": key, "status": status, "_shards": SHARDS}
            if status == 404:
                result["error"] = {"type": "document_missing_exception"} if op == "update" else None
                result["result"] = "not_found"
                if op == "update":
                    errors = True
            items.append({op: result})
        return {"took": 3, "errors": errors, "items": items}

    def default_search(self, name: str, body: dict) -> dict:
        """Every document, in id order: enough for tests that only look at the request."""
        docs = sorted(self.docs(name).items(), key=lambda kv: int(kv[0]))
        hits = [
            {"_index": name, "_id": k, "_score": 1.0, "_source": v} for k, v in docs[: body.get("size", 10)]
        ]
        aggs = {a: {"doc_count": len(docs), a: {"buckets": []}} for a in body.get("aggs", {})}
        return response(hits, total=len(docs), aggregations=aggs)


def response(hits, *, total=None, aggregations=None) -> dict:
    body = {
        "took": 2,
        "timed_out": False,
        "_shards": SHARDS,
        "hits": {
            "total": {"value": len(hits) if total is None else total, "relation": "eq"},
            "max_score": max((h.get("_score") or 0 for h in hits), default=None),
            "hits": hits,
        },
    }
    if aggregations is not None:
        body["aggregations"] = aggregations
    return body


class FakeNode(BaseNode):
    cluster: FakeCluster = FakeCluster()
    _CLIENT_META_HTTP_CLIENT = ("fake", "1.0")

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        cluster = type(self).cluster
        if cluster.down:
            raise TransportConnectionError("Connection refused (fake node is down)")
        path = urlsplit(target).path
        decoded = None
        if body:
            text = body.decode()
            if path.endswith("_bulk"):
                decoded = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                decoded = json.loads(text)
        cluster.requests.append((method, path, decoded))
        status, payload = cluster.handle(method, path, decoded)
        meta = ApiResponseMeta(
            status=status, http_version="1.1", headers=HttpHeaders(HEADERS), duration=0.0, node=self.config
        )
        return NodeApiResponse(meta, json.dumps(payload).encode() if payload is not None else b"")


class FakeElasticsearchBackend(ElasticsearchBackend):
    """What SEARCH_BACKEND names in API-level tests: the real backend on a fake node."""

    def __init__(self):
        from elasticsearch import Elasticsearch

        super().__init__(Elasticsearch("http://es.test:9200", node_class=FakeNode, max_retries=0), prefix="t")
