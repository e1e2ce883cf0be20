from celery import shared_task

from .idempotency import idempotency_keys_purge
from .outbox import outbox_prune, outbox_relay


@shared_task(acks_late=True, soft_time_limit=240, time_limit=280)
def outbox_relay_task() -> int:
    """Beat, every 30 s: deliver what the on-commit publish could not (broker down, lost message)."""
    delivered = outbox_relay()
    outbox_prune()
    return delivered


@shared_task(acks_late=True, time_limit=300)
def idempotency_keys_purge_expired() -> int:
    """Beat: forget idempotency keys older than 24 hours (safe to run twice)."""
    return idempotency_keys_purge()
