from celery import shared_task

from .idempotency import idempotency_keys_purge


@shared_task(acks_late=True, time_limit=300)
def idempotency_keys_purge_expired() -> int:
    """Beat: forget idempotency keys older than 24 hours (safe to run twice)."""
    return idempotency_keys_purge()
