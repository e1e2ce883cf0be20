from celery import shared_task

from .outbox import outbox_prune, outbox_relay


@shared_task(acks_late=True, soft_time_limit=240, time_limit=280)
def outbox_relay_task() -> int:
    """Beat, every 30 s: deliver what the on-commit publish could not (broker down, lost message)."""
    delivered = outbox_relay()
    outbox_prune()
    return delivered
