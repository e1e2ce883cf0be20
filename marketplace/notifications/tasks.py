from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from marketplace.core.outbox import outbox_claim

from . import services
from .models import Notification


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def notification_email_send(notification_id: int, outbox_id: int | None = None) -> bool:
    # Sent and stamped in the transaction that marks the outbox row delivered: exactly once.
    with outbox_claim(None if outbox_id is None else [outbox_id]) as claim:
        if not claim:
            return False  # the relay or another worker has it
        return services.notification_email(notification_id=notification_id)


@shared_task(acks_late=True)
def notifications_email_sweep() -> int:
    """Beat safety net for notifications without an outbox row (written before the outbox).

    Everything newer is relayed by marketplace.core.tasks.outbox_relay_task within a minute.
    """
    stale = timezone.now() - timedelta(minutes=10)
    ids = list(
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lt=stale, email_attempts__lt=8
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        notification_email_send.delay(pk)
    return len(ids)
