"""The reminder on the production path: beat's entry names a task; sent by that name (as beat
sends it) it runs in a real Celery worker on Redis, which reminds both sides of a call starting
within 30 minutes, once, and leaves a later call alone."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers
from tests.conftest import _wait_until_idle
from tests.tours.conftest import MEETING
from tests.waiting import wait_until
from tours.models import TourBooking, TourStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.async_worker]


def _confirmed_call(factory, buyer, *, starts_in: timedelta) -> TourBooking:
    now = timezone.now()
    starts_at = now + starts_in
    return TourBooking.objects.create(
        factory=factory,
        buyer=buyer,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        requested_starts_at=starts_at,
        place=1,
        status=TourStatus.CONFIRMED,
        meeting_url=MEETING,
        confirmed_at=now,
    )


def test_the_beat_reminder_runs_in_a_real_worker_once(live_celery_worker):
    factory, buyer = makers.FactoryMaker(), makers.BuyerMaker()
    soon = _confirmed_call(factory, buyer, starts_in=timedelta(minutes=20))
    later = _confirmed_call(factory, makers.BuyerMaker(), starts_in=timedelta(hours=2))
    task_name = settings.CELERY_BEAT_SCHEDULE["tours-reminders"]["task"]
    # when: beat's entry fires
    live_celery_worker.send_task(task_name)
    # then: both sides of the call within 30 minutes get one e-mail each, with the meeting link
    wait_until(
        lambda: Notification.objects.filter(kind="tour.reminded", emailed_at__isnull=False).count() == 2,
        message="the worker sent no reminder",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([buyer.user.email, factory.owner.email])
    assert all(MEETING in m.body for m in mail.outbox)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None
    # and beat's next run a minute later sends nothing more
    live_celery_worker.send_task(task_name)
    _wait_until_idle(live_celery_worker, "yuantou-tests")
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(kind="tour.reminded").count() == 2
    assert Event.objects.filter(verb="tour.reminded").count() == 1
