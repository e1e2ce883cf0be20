"""The reminder 30 minutes before a confirmed tour, to both sides, once.

`reminded_at` is stamped under the row lock in the same transaction as the notifications, so a
beat run that overlaps another (or runs twice) finds it stamped and sends nothing more; the
notification keys are a second guard."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.core.events import event_record
from marketplace.notifications.services import notification_create
from trials.services.common import locked

from ..events import TourEvents
from ..flows import describe, parties
from ..models import TourBooking, TourStatus

REMIND_BEFORE = timedelta(minutes=30)


def tour_remind(*, booking_id: int, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        booking = locked(TourBooking, booking_id)
        if (
            booking.status != TourStatus.CONFIRMED
            or booking.reminded_at is not None
            or booking.starts_at <= now
        ):
            return False
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at", "updated_at"])
        event_record(actor=None, verb=TourEvents.REMINDED, target=booking)
        data = describe(booking)
        for role, user in parties(booking).items():
            notification_create(
                recipient=user, kind=TourEvents.REMINDED, key=f"tour:{booking.pk}:reminded:{role}", data=data
            )
    return True


def tours_remind_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = TourBooking.objects.filter(
        status=TourStatus.CONFIRMED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMIND_BEFORE,
    ).values_list("pk", flat=True)
    return sum(tour_remind(booking_id=pk, now=now) for pk in list(due))
