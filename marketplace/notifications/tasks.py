from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

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
def notification_email_send(notification_id: int) -> bool:
    return services.notification_email(notification_id=notification_id)


@shared_task(acks_late=True)
def notifications_email_sweep() -> int:
    """Beat safety net: re-queue e-mails whose task was lost (worker died, broker flushed)."""
    stale = timezone.now() - timedelta(minutes=10)
    ids = list(
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lt=stale, email_attempts__lt=8
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        notification_email_send.delay(pk)
    return len(ids)
