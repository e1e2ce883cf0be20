"""Webhook sending (issue 12, point 3): the first attempt comes through the outbox, retries from
beat once their backoff is over. Tasks take ids and are safe to run twice (the delivery's lease and
status decide)."""

from celery import shared_task
from django.utils import timezone

from marketplace.core.outbox import outbox_claim

from .invitations import invitations_expire
from .webhooks.sending import deliveries_due, webhook_deliver


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def webhook_delivery_send(delivery_id: int, outbox_id: int | None = None) -> str:
    if outbox_id is not None:
        with outbox_claim([outbox_id]) as claim:
            if not claim:
                return "claimed"  # the relay or another worker has it
        # Marked delivered and committed before the post, so the post holds no transaction. Dying
        # here loses nothing: the delivery row is pending and beat's webhooks_send_due sends it.
    return webhook_deliver(delivery_id=delivery_id)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def webhooks_send_due() -> int:
    """Beat: one attempt at each delivery whose wait is over, oldest first (so an object's
    deliveries keep their order)."""
    sent = 0
    for delivery_id in deliveries_due(now=timezone.now()):
        webhook_deliver(delivery_id=delivery_id)
        sent += 1
    return sent


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def member_invitations_expire() -> int:
    """Beat: organization invitations past their answer date become expired."""
    return invitations_expire()
