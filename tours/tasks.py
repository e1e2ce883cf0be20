"""Beat tasks: the timed transition (an unanswered request expires at its start) and the
reminder 30 minutes before a confirmed call. Both go through the services a person would use
and are safe to run twice or concurrently (row locks, stamps, transition checks)."""

import logging

from celery import shared_task
from django.utils import timezone

from marketplace.core.errors import TransitionNotAllowed

from .flows import TABLE
from .models import TourBooking
from .services.bookings import tour_expire
from .services.reminders import tours_remind_due

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def tours_send_reminders() -> int:
    return tours_remind_due()


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def tours_timed_transitions() -> int:
    now, done = timezone.now(), 0
    for timed in TABLE.timed:
        due = TourBooking.objects.filter(status=timed.status, **{f"{timed.field}__lte": now - timed.after})
        for pk in list(due.values_list("pk", flat=True)):
            try:
                tour_expire(booking=TourBooking(pk=pk))
                done += 1
            except TransitionNotAllowed:
                continue  # moved by someone else meanwhile
            except Exception:
                logger.exception("tour %s: expire failed", pk)
    return done
