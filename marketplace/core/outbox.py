"""The transactional outbox: side effects are rows first, published after the commit, relayed.

A service that owes the world something (reindex these rows, e-mail this notification, tell a
partner) calls `outbox_put` inside its transaction. The row commits with the change or not at all.
After the commit the rows are published to Celery once, with no retries and a short connect
timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS), and a failure is only logged: a broker that is
down neither fails nor slows a write. Whatever was not delivered is picked up by `outbox_relay`
(a beat task every 30 s and `manage.py outbox_relay`).

Exactly once: a delivery claims its row with SELECT ... FOR UPDATE SKIP LOCKED, performs the
effect and marks the row delivered in the same transaction. A second delivery of the same row (a
redelivered `acks_late` message, the relay racing the on-commit task) finds it locked or
delivered and does nothing. A worker killed mid-delivery rolls back, so the row is pending again
for the relay. Consumers are idempotent as well (an e-mail is stamped under a row lock; indexing
only touches rows still flagged dirty), which covers the one case a database cannot: an effect
outside it that succeeded just before the process died.

This module sits in the bottom layer and knows no consumer: each app registers its topic's
`handle` (perform the effect of a list of payloads) and `publish` (queue its Celery task) from its
AppConfig.ready().
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Passed to every on-commit `apply_async`: one attempt; the relay is the retry.
PUBLISH_OPTIONS = {"retry": False}
# After the broker refused a publish, writes skip publishing for this long (the relay delivers):
# otherwise every write would wait for its own connect timeout while the broker is unreachable.
PUBLISH_PAUSE_SECONDS = 10.0
# A failing delivery is retried by the relay after 30 s, 60 s, 120 s ... at most an hour apart,
# and left pending (visible in the admin with its last error) after this many failures.
MAX_ATTEMPTS = 20
BACKOFF_MAX = timedelta(hours=1)

_BATCH_ATTRIBUTE = "_outbox_batch"


@dataclass(frozen=True)
class Consumer:
    # Performs the effect of these payloads; runs inside the transaction that marks them delivered.
    handle: Callable[[list[dict]], object]
    # Queues the consumer's Celery task(s) for [(message id, payload), ...] of one commit.
    publish: Callable[[list[tuple[int, dict]]], None]
    # How many rows the relay hands to `handle` at once: 1 unless the effect is idempotent as a
    # whole (an e-mail batch that fails halfway would be sent again; an index batch is harmless).
    batch: int = 1


_consumers: dict[str, Consumer] = {}
_paused: dict[str, float] = {}  # broker URL -> monotonic time until which publishing is skipped


def outbox_register(
    topic: str,
    *,
    handle: Callable[[list[dict]], object],
    publish: Callable[[list[tuple[int, dict]]], None],
    batch: int = 1,
) -> None:
    """Called from a consumer app's AppConfig.ready(); registering a topic again replaces it."""
    _consumers[topic] = Consumer(handle=handle, publish=publish, batch=batch)


def outbox_topics() -> list[str]:
    return sorted(_consumers)


def outbox_put(topic: str, payload: dict) -> OutboxMessage:
    """Record a side effect in the caller's transaction; it is published once that commits."""
    message = OutboxMessage.objects.create(topic=topic, payload=payload)
    _queue_after_commit(message)
    return message


def _queue_after_commit(message: OutboxMessage) -> None:
    """Collect the rows of this transaction on its connection and publish them in one go.

    Each call registers its own cheap callback because Django drops the callbacks of a
    rolled-back savepoint: the first callback that runs publishes the whole batch, the others
    find it empty. A row of a rolled-back savepoint may ride along (its delivery finds no row
    and does nothing); a batch whose callbacks were all rolled back is dropped.
    """
    connection = transaction.get_connection()
    if not connection.run_on_commit:
        # No callback is pending, so a batch left on the connection belongs to a transaction
        # that rolled back: start afresh.
        connection.__dict__.pop(_BATCH_ATTRIBUTE, None)
    batch = connection.__dict__.setdefault(_BATCH_ATTRIBUTE, defaultdict(list))
    batch[message.topic].append((message.pk, message.payload))
    transaction.on_commit(lambda: _flush(connection))


def _flush(connection: BaseDatabaseWrapper) -> None:
    batch = connection.__dict__.pop(_BATCH_ATTRIBUTE, None)
    for topic, messages in (batch or {}).items():
        if not _publish(topic, messages):
            return  # the broker is down: the rest would fail the same way; the relay has them


def _publish(topic: str, messages: list[tuple[int, dict]]) -> bool:
    """Hand the rows to their consumer's task. Never raises: the change is already committed."""
    consumer = _consumers.get(topic)
    if consumer is None:
        logger.error("outbox: no consumer registered for %r; %d rows wait", topic, len(messages))
        return True
    url = current_app.conf.broker_url or ""
    if _paused.get(url, 0.0) > time.monotonic():
        return False
    try:
        consumer.publish(messages)
    except BrokerUnavailable as exc:
        _paused[url] = time.monotonic() + PUBLISH_PAUSE_SECONDS
        logger.warning(
            "outbox: broker unavailable (%s); %d %s rows left for the relay", exc, len(messages), topic
        )
        return False
    except Exception:
        # Eager mode runs the task right here; its failure must not turn a saved write into a 500.
        logger.exception("outbox: publishing %s failed; the relay retries %d rows", topic, len(messages))
    return True


def outbox_publish_resume() -> None:
    """Forget that a broker refused (tests, or an operator who knows it is back)."""
    _paused.clear()


@dataclass
class Claim:
    """The rows a delivery holds; empty when another one has them or they are already delivered."""

    ids: list[int]
    direct: bool = False  # called without outbox rows (an old message, a test, a shell)
    postponed: bool = field(default=False)

    def __bool__(self) -> bool:
        return self.direct or bool(self.ids)

    def postpone(self) -> None:
        """Leave the rows pending (the effect could not happen now); the relay retries them."""
        self.postponed = True


@contextmanager
def outbox_claim(message_ids: Iterable[int] | None) -> Iterator[Claim]:
    """Run a task's effect inside the transaction that claims its rows and marks them delivered.

    `with outbox_claim(ids) as claim: if not claim: return` — nothing to do when the rows are
    delivered already or held by another worker delivering them right now. If the body raises,
    everything rolls back and the rows stay pending for the task's retry or the relay.
    """
    with transaction.atomic():
        if message_ids is None:
            yield Claim(ids=[], direct=True)
            return
        claim = Claim(ids=_lock_pending(list(message_ids)))
        yield claim
        if claim.ids and not claim.postponed:
            OutboxMessage.objects.filter(pk__in=claim.ids).update(delivered_at=timezone.now())


def _lock_pending(ids: list[int]) -> list[int]:
    return list(
        OutboxMessage.objects.filter(pk__in=ids, delivered_at__isnull=True)
        .select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def outbox_relay(*, limit: int = 20000, seconds: float = 200.0) -> int:
    """Deliver pending rows whose time has come, earliest due first. Returns how many were delivered.

    One transaction per row (per batch of rows for a consumer that registered `batch` > 1
    because its effect is idempotent and cheaper in bulk, like indexing), so a worker killed
    mid-run loses nothing it delivered and redoes at most what it held. Concurrent relays and
    on-commit tasks skip each other's rows, so a backlog after a long outage is worked off by
    every relay run that overlaps (each stops after `seconds`, inside the task's time limit).
    """
    delivered = 0
    deadline = time.monotonic() + seconds
    while delivered < limit and time.monotonic() < deadline:
        with transaction.atomic():
            first = _due().filter(topic__in=list(_consumers)).first()
            if first is None:
                break
            consumer = _consumers[first.topic]
            messages = [first]
            if consumer.batch > 1:
                messages += list(_due().filter(topic=first.topic, pk__gt=first.pk)[: consumer.batch - 1])
            delivered += _deliver(consumer, messages)
    return delivered


def _due() -> QuerySet[OutboxMessage]:
    # In the order of the pending rows' own index (outbox_pending: available_at, id, only rows not
    # delivered), which the relay then reads from its start. Ordered by id alone, PostgreSQL
    # walked the primary key past every delivered row: 31 ms a row with 100,000 kept, and under
    # `make load` the relay ran that once per row it delivered, 0.5 of a core.
    return (
        OutboxMessage.objects.filter(
            delivered_at__isnull=True, available_at__lte=timezone.now(), attempts__lt=MAX_ATTEMPTS
        )
        .select_for_update(skip_locked=True)
        .order_by("available_at", "pk")
    )


def _deliver(consumer: Consumer, messages: list[OutboxMessage]) -> int:
    try:
        with transaction.atomic():  # a savepoint: a failed effect leaves no half-written rows
            consumer.handle([message.payload for message in messages])
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        for message in messages:
            message.attempts += 1
            message.available_at = timezone.now() + min(
                timedelta(seconds=30 * 2**message.attempts), BACKOFF_MAX
            )
            message.last_error = error
            message.save(update_fields=["attempts", "available_at", "last_error"])
        logger.warning("outbox: %d %s rows failed: %s", len(messages), messages[0].topic, error)
        return 0
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(delivered_at=timezone.now())
    return len(messages)


def outbox_pending_counts() -> dict[str, int]:
    rows = OutboxMessage.objects.filter(delivered_at__isnull=True).values("topic").annotate(n=Count("pk"))
    return {row["topic"]: row["n"] for row in rows.order_by("topic")}


def outbox_retry_now(*, ids: list[int]) -> int:
    """Staff: make failed or backed-off rows due again (the relay picks them up within 30 s)."""
    return OutboxMessage.objects.filter(pk__in=ids, delivered_at__isnull=True).update(
        attempts=0, available_at=timezone.now(), last_error=""
    )


# Delivered rows are kept this long (to answer "was it sent, and when?"), then pruned.
KEEP_DELIVERED = timedelta(days=7)


def outbox_prune(*, batch: int = 5000) -> int:
    """Delete delivered rows older than KEEP_DELIVERED, a batch at a time (called by the relay)."""
    cutoff = timezone.now() - KEEP_DELIVERED
    ids = list(
        OutboxMessage.objects.filter(delivered_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    if ids:
        OutboxMessage.objects.filter(pk__in=ids).delete()
    return len(ids)
