"""The outbox: rows commit with the change, are published once after it, and are relayed once."""

import socket
import threading
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.core import outbox
from marketplace.core.models import Event, OutboxMessage
from marketplace.notifications.services import notification_create
from tests import makers

pytestmark = pytest.mark.django_db


def put(n: int, **extra) -> OutboxMessage:
    return outbox.outbox_put("test.recorded", {"n": n, **extra})


def test_rows_of_one_commit_are_published_together_after_it(recorded, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        put(1)
        put(2)
    # then: nothing before the commit, one callback per row, one publish for the whole commit
    assert recorded["published"] == []
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 2
    for callback in callbacks:
        callback()
    assert recorded["published"] == [[1, 2]]


def test_a_rolled_back_change_leaves_no_row_and_publishes_nothing(
    recorded, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                put(1)
                raise RuntimeError("refused")
        except RuntimeError:
            pass
    # then
    assert not OutboxMessage.objects.exists()
    assert recorded["published"] == []


def test_the_relay_delivers_each_row_once_and_a_second_run_nothing(recorded):
    # given: three rows whose publish never happened (the broker was down)
    for n in (1, 2, 3):
        OutboxMessage.objects.create(topic="test.recorded", payload={"n": n})
    # when
    first = outbox.outbox_relay()
    second = outbox.outbox_relay()
    # then
    assert (first, second) == (3, 0)
    assert recorded["handled"] == [1, 2, 3]
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()


def test_a_failed_delivery_is_rolled_back_recorded_and_retried_later(recorded):
    # given
    failing = OutboxMessage.objects.create(topic="test.recorded", payload={"n": 7, "fail": True})
    fine = OutboxMessage.objects.create(topic="test.recorded", payload={"n": 8})
    before = timezone.now()
    # when
    delivered = outbox.outbox_relay()
    # then: the other row went through; the failing one is pending with its error and a backoff
    assert delivered == 1
    assert recorded["handled"] == [8]
    failing.refresh_from_db()
    assert failing.delivered_at is None
    assert failing.attempts == 1
    assert failing.last_error == "RuntimeError: effect failed"
    assert failing.available_at >= before + timedelta(seconds=60)
    assert not Event.objects.filter(verb="test.probe").exists()  # the effect's write rolled back
    fine.refresh_from_db()
    assert fine.delivered_at is not None
    # and the relay leaves it alone until its backoff is over
    assert outbox.outbox_relay() == 0
    failing.payload = {"n": 7}
    failing.available_at = timezone.now()
    failing.save()
    assert outbox.outbox_relay() == 1
    assert recorded["handled"] == [8, 7]


def test_rows_of_a_topic_nobody_consumes_stay_pending(db):
    OutboxMessage.objects.create(topic="nobody.listens", payload={})
    assert outbox.outbox_relay() == 0
    assert OutboxMessage.objects.get().delivered_at is None


def test_a_claim_runs_once_per_row(recorded):
    # given
    message = put(1)
    # when: the on-commit task and a redelivery of its message both try
    with outbox.outbox_claim([message.pk]) as first:
        ran_first = bool(first)
    with outbox.outbox_claim([message.pk]) as second:
        ran_second = bool(second)
    # then
    assert (ran_first, ran_second) == (True, False)
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_a_failing_claim_leaves_the_row_pending(recorded):
    message = put(1)
    with pytest.raises(RuntimeError), outbox.outbox_claim([message.pk]):
        raise RuntimeError("SMTP down")
    message.refresh_from_db()
    assert message.delivered_at is None


class CountingListener:
    """A TCP port that accepts connections and hangs up at once, counting them: a broker that is
    'up' at the network level but never answers, which is where client retries would show."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.accepted = 0
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.sock.getsockname()[1]}/0"

    def _run(self):
        while not self.stopped:
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            conn.close()

    def close(self):
        self.stopped = True
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = CountingListener()
    yield server
    server.close()


def test_a_broker_that_fails_is_tried_once_then_left_to_the_relay(
    broker, listener, django_capture_on_commit_callbacks
):
    # given: the broker accepts connections but hangs up on each
    user = makers.UserMaker()
    broker(listener.url)
    # when: two writes that owe an e-mail each
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_create(recipient=user, kind="trial.accepted", key="k1", data={})
    with django_capture_on_commit_callbacks(execute=True):
        second = notification_create(recipient=user, kind="trial.accepted", key="k2", data={})
    # then: no exception reached the writer; one connection for the first publish (no retry
    # loop), none for the second (publishing pauses while the broker is known to be down)
    assert listener.accepted == 1
    assert first is not None and second is not None
    assert OutboxMessage.objects.filter(topic="notification.email", delivered_at__isnull=True).count() == 2


def test_publishing_resumes_after_the_pause(broker, listener, django_capture_on_commit_callbacks):
    # given: a refused publish paused publishing
    broker(listener.url)
    user = makers.UserMaker()
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipient=user, kind="trial.accepted", key="k1", data={})
    assert listener.accepted == 1
    # when: the pause is over
    outbox._paused[listener.url] = 0.0
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipient=user, kind="trial.accepted", key="k2", data={})
    # then: the next write tries again (once)
    assert listener.accepted == 2


def test_delivered_rows_are_pruned_after_a_week_and_pending_ones_never(db):
    # given
    now = timezone.now()
    old = OutboxMessage.objects.create(topic="t", payload={}, delivered_at=now - timedelta(days=8))
    recent = OutboxMessage.objects.create(topic="t", payload={}, delivered_at=now - timedelta(days=6))
    pending = OutboxMessage.objects.create(topic="t", payload={})
    OutboxMessage.objects.filter(pk=pending.pk).update(created_at=now - timedelta(days=30))
    # when
    pruned = outbox.outbox_prune()
    # then
    assert pruned == 1
    assert sorted(OutboxMessage.objects.values_list("pk", flat=True)) == sorted([recent.pk, pending.pk])
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


def test_a_batch_consumer_gets_its_rows_together_and_a_failed_batch_backs_off_whole(db):
    # given: a consumer that takes up to two rows at a time
    batches = []

    def handle(payloads):
        if any(p.get("fail") for p in payloads):
            raise RuntimeError("backend down")
        batches.append([p["n"] for p in payloads])

    outbox.outbox_register("test.batched", handle=handle, publish=lambda messages: None, batch=2)
    try:
        for n in (1, 2, 3, 4):
            OutboxMessage.objects.create(topic="test.batched", payload={"n": n, "fail": n == 3})
        # when
        delivered = outbox.outbox_relay()
    finally:
        outbox._consumers.pop("test.batched")
    # then: rows 1 and 2 went together; 3 failed, and 4, in its batch, backs off with it
    assert delivered == 2
    assert batches == [[1, 2]]
    rows = OutboxMessage.objects.order_by("pk")
    assert [(m.payload["n"], m.delivered_at is None, m.attempts) for m in rows] == [
        (1, False, 0),
        (2, False, 0),
        (3, True, 1),
        (4, True, 1),
    ]
