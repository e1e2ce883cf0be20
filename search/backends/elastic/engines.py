"""One thin adapter per client library, so the backend speaks to Elasticsearch and OpenSearch alike.

The request bodies (mappings.py, queries.py) are the same JSON for both engines. What differs is
the client: `elasticsearch` 9.x takes body parts as keyword arguments, wraps answers in
`ObjectApiResponse` and refuses a node that does not say it is Elasticsearch (so it cannot talk to
OpenSearch at all); `opensearch-py` takes `body=` and answers plain dicts. Each adapter offers the
few operations the backend uses and says which failures are an outage (→ SearchUnavailable).
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings

from ...shapes import EngineJson

if TYPE_CHECKING:  # the client libraries are imported when an engine is used, not before
    from elasticsearch import Elasticsearch
    from opensearchpy import OpenSearch

TIMEOUT = 10  # seconds: a search request that takes longer is an outage for the API, not a wait


def make_elasticsearch_client(**options: Any) -> "Elasticsearch":  # options go to the client as given
    """An `elasticsearch` client for ELASTICSEARCH_URL (options: e.g. node_class for a fake node)."""
    from elasticsearch import Elasticsearch

    return Elasticsearch(
        settings.ELASTICSEARCH_URL or "http://localhost:9200",
        request_timeout=TIMEOUT,
        max_retries=1,
        retry_on_timeout=False,
        **options,
    )


def make_opensearch_client(**options: Any) -> "OpenSearch":  # options go to the client as given
    """An `opensearch-py` client for OPENSEARCH_URL."""
    from opensearchpy import OpenSearch

    return OpenSearch(
        settings.OPENSEARCH_URL or "http://localhost:9200",
        timeout=TIMEOUT,
        max_retries=1,
        retry_on_timeout=False,
        **options,
    )


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, client: "Elasticsearch | None" = None) -> None:
        self.client = client or make_elasticsearch_client()

    def create_index(self, name: str, body: EngineJson) -> None:
        self.client.indices.create(index=name, **body)

    def alias_exists(self, alias: str) -> bool:
        return bool(self.client.indices.exists_alias(name=alias))

    def alias_indices(self, alias: str) -> list[str]:
        return sorted(self.client.indices.get_alias(name=alias).body)

    def update_aliases(self, actions: list[EngineJson]) -> None:
        self.client.indices.update_aliases(actions=actions)

    def refresh(self, index: str) -> None:
        self.client.indices.refresh(index=index)

    def delete_index(self, index: str) -> None:
        self.client.indices.delete(index=index)

    def count(self, index: str) -> int:
        count: int = self.client.count(index=index).body["count"]
        return count

    def search(self, index: str, body: EngineJson) -> EngineJson:
        answer: EngineJson = self.client.search(index=index, **body).body
        return answer

    def bulk(self, actions: Iterable[EngineJson], **options: Any) -> Iterable[tuple[bool, EngineJson]]:
        from elasticsearch.helpers import streaming_bulk

        return streaming_bulk(self.client, actions, **options)

    @staticmethod
    def is_outage(exc: BaseException) -> bool:
        # 4xx stay real errors: they are our bugs, not the cluster's state.
        from elastic_transport import ConnectionError as TransportConnectionError
        from elastic_transport import ConnectionTimeout
        from elasticsearch import ApiError

        if isinstance(exc, TransportConnectionError | ConnectionTimeout):
            return True
        return isinstance(exc, ApiError) and exc.meta.status >= 500


class OpenSearchEngine:
    name = "opensearch"

    def __init__(self, client: "OpenSearch | None" = None) -> None:
        self.client = client or make_opensearch_client()

    def create_index(self, name: str, body: EngineJson) -> None:
        self.client.indices.create(index=name, body=body)

    def alias_exists(self, alias: str) -> bool:
        return bool(self.client.indices.exists_alias(name=alias))

    def alias_indices(self, alias: str) -> list[str]:
        return sorted(self.client.indices.get_alias(name=alias))

    def update_aliases(self, actions: list[EngineJson]) -> None:
        self.client.indices.update_aliases(body={"actions": actions})

    def refresh(self, index: str) -> None:
        self.client.indices.refresh(index=index)

    def delete_index(self, index: str) -> None:
        self.client.indices.delete(index=index)

    def count(self, index: str) -> int:
        count: int = self.client.count(index=index)["count"]
        return count

    def search(self, index: str, body: EngineJson) -> EngineJson:
        answer: EngineJson = self.client.search(index=index, body=body)
        return answer

    def bulk(self, actions: Iterable[EngineJson], **options: Any) -> Iterable[tuple[bool, EngineJson]]:
        from opensearchpy.helpers import streaming_bulk

        results: Iterable[tuple[bool, EngineJson]] = streaming_bulk(self.client, actions, **options)
        return results

    @staticmethod
    def is_outage(exc: BaseException) -> bool:
        from opensearchpy import ConnectionError as OpenSearchConnectionError
        from opensearchpy import TransportError

        if isinstance(exc, OpenSearchConnectionError):  # ConnectionTimeout is one too
            return True
        status = getattr(exc, "status_code", None)
        return isinstance(exc, TransportError) and isinstance(status, int) and status >= 500
