"""Search as a consumer of the outbox topic `search.index` (written by marketplace.core.dirty)."""

from collections import defaultdict
from typing import Any

from marketplace.core.dirty import SEARCH_INDEX_TOPIC
from marketplace.core.outbox import PUBLISH_OPTIONS, outbox_register

from .indexing import MODELS, index_dirty
from .tasks import index_dirty_task

KIND_BY_LABEL = {model._meta.label_lower: kind for kind, model in MODELS.items()}

# An outbox row's payload as the relay reads it back (JSON): {"model": "app.model", "ids": [pk, …]}
# as marketplace.core.dirty writes it.
Payload = dict[str, Any]


def _handle(payloads: list[Payload]) -> None:
    """The relay's delivery: index whichever of these rows are still dirty, one call per kind."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for payload in payloads:
        by_kind[KIND_BY_LABEL[payload["model"]]].update(payload["ids"])
    for kind, pks in by_kind.items():
        index_dirty(kind, sorted(pks))


def _publish(messages: list[tuple[int, Payload]]) -> None:
    """One task per kind for all the rows one commit marked."""
    by_kind: dict[str, tuple[list[int], set[int]]] = defaultdict(lambda: ([], set()))
    for message_id, payload in messages:
        ids, pks = by_kind[KIND_BY_LABEL[payload["model"]]]
        ids.append(message_id)
        pks.update(payload["ids"])
    for kind, (ids, pks) in by_kind.items():
        index_dirty_task.apply_async((kind, sorted(pks)), {"outbox_ids": ids}, **PUBLISH_OPTIONS)


def register() -> None:
    # Indexing is idempotent, so the relay may hand over many rows at once (one query per kind).
    outbox_register(SEARCH_INDEX_TOPIC, handle=_handle, publish=_publish, batch=200)
