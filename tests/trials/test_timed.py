"""Timed transitions through the beat task functions, with a frozen clock (time-machine)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import trial_at
from trials import tasks
from trials.models import CustomRequest, SampleRequest
from trials.services import custom, samples, trials

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def test_unanswered_trial_expires_after_72_hours(clock, product, buyer):
    # given
    trial = trial_at("requested", product=product, buyer=buyer)
    answered = trial_at("requested", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    clock.move_to(T0 + timedelta(hours=1))
    trials.trial_accept(trial=answered, actor=product.factory.owner)
    # when: just before 72 h
    clock.move_to(T0 + timedelta(hours=72) - timedelta(seconds=1))
    assert tasks.trials_timed_transitions() == 0
    # and at 72 h
    clock.move_to(T0 + timedelta(hours=72))
    assert tasks.trials_timed_transitions() == 1
    # then
    trial.refresh_from_db()
    answered.refresh_from_db()
    assert (trial.status, answered.status) == ("expired", "accepted")
    for user in (buyer.user, product.factory.owner):
        assert Notification.objects.filter(recipient=user, kind="trial.expired").count() == 1
    # and running the task again changes nothing
    assert tasks.trials_timed_transitions() == 0
    # the factory's record: one answered in 1 h, one let expire
    product.factory.refresh_from_db()
    assert (product.factory.response_rate, product.factory.median_response_hours) == (
        pytest.approx(0.5),
        pytest.approx(1.0),
    )


def test_reminder_three_days_before_the_window_ends(clock, product, buyer):
    # given: received at T0, a 30-day window
    trial = trial_at("in_trial", product=product, buyer=buyer)
    assert trial.window_ends_at == T0 + timedelta(days=30)
    # when: 3 days + 1 s before the end, nothing yet
    clock.move_to(T0 + timedelta(days=27) - timedelta(seconds=1))
    assert tasks.trials_send_reminders() == 0
    # then at 3 days before: one reminder to the buyer
    clock.move_to(T0 + timedelta(days=27))
    assert tasks.trials_send_reminders() == 1
    assert tasks.trials_send_reminders() == 0
    assert Notification.objects.filter(recipient=buyer.user, kind="trial.reminder").count() == 1
    assert Notification.objects.filter(recipient=product.factory.owner, kind="trial.reminder").count() == 0


def test_trial_without_feedback_ends_14_days_after_its_window(clock, product, buyer):
    # given
    silent = trial_at("in_trial", product=product, buyer=buyer)
    reported = trial_at("in_trial", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    trials.trial_feedback(trial=reported, actor=buyer.user, units_sold=10, units_returned=0, rating=5)
    # when
    clock.move_to(T0 + timedelta(days=30 + 14) - timedelta(seconds=1))
    assert tasks.trials_timed_transitions() == 0
    clock.move_to(T0 + timedelta(days=30 + 14))
    assert tasks.trials_timed_transitions() == 2
    # then: both close; the silent one as unreported
    silent.refresh_from_db()
    reported.refresh_from_db()
    assert (silent.status, reported.status) == ("ended", "ended")
    assert (
        Notification.objects.filter(recipient=product.factory.owner, kind="trial.ended_unreported").count()
        == 1
    )
    # the streamer's record: one of two due trials reported on time
    buyer.refresh_from_db()
    assert buyer.feedback_on_time_rate == pytest.approx(0.5)
    assert buyer.trials_count == 2


def test_samples_expire_after_7_days(clock, product, buyer):
    # given
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk)
    # when
    clock.move_to(T0 + timedelta(days=7) - timedelta(seconds=1))
    assert tasks.samples_timed_transitions() == 0
    clock.move_to(T0 + timedelta(days=7))
    assert tasks.samples_timed_transitions() == 1
    # then
    assert SampleRequest.objects.get(pk=sample.pk).status == "expired"
    assert Notification.objects.filter(recipient=buyer.user, kind="sample.expired").count() == 1


def test_custom_request_closes_at_its_deadline(clock, buyer):
    # given
    makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    request = custom.custom_request_create(
        actor=buyer.user,
        data={
            "title": "睡眠面膜",
            "requirements": "独立包装",
            "quantity": 1000,
            "deadline": T0 + timedelta(days=5),
            "category": "facial-masks",
        },
    )
    # when
    clock.move_to(T0 + timedelta(days=5) - timedelta(seconds=1))
    assert tasks.custom_requests_timed_transitions() == 0
    clock.move_to(T0 + timedelta(days=5))
    assert tasks.custom_requests_timed_transitions() == 1
    # then
    assert CustomRequest.objects.get(pk=request.pk).status == "closed"
    assert Notification.objects.filter(recipient=buyer.user, kind="custom.closed").count() == 1


def test_beat_schedule_runs_these_tasks(settings):
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "trials.tasks.trials_timed_transitions",
        "trials.tasks.trials_send_reminders",
        "trials.tasks.samples_timed_transitions",
        "trials.tasks.custom_requests_timed_transitions",
        "trials.tasks.bulk_orders_timed_transitions",
        "trials.tasks.bulk_orders_send_reminders",
        "marketplace.notifications.tasks.notifications_email_sweep",
    } <= names
