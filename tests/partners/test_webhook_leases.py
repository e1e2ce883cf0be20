"""A webhook post holds no database lock or transaction (issue 12, point 3): a delivery is leased
under a short lock, posted, and its outcome recorded under another short lock. While a slow
receiver is being posted to, other transactions lock and change the delivery and its
subscription at once, no connection sits idle in a transaction, a second attempt at the same
delivery is refused (in flight) and the object's next delivery waits: order is kept. A lease
left by a dead worker expires."""

import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, transaction
from django.utils import timezone

from partners.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from partners.webhooks import services as webhook_services
from partners.webhooks.sending import deliveries_due, webhook_deliver
from tests.core.conftest import DEAD_BROKER
from tests.core.conftest import broker as broker  # the fixture


class SlowReceiver:
    """Answers 200, but holds each request until the test releases it (at most 10 s)."""

    def __init__(self):
        self.arrived, self.release = threading.Event(), threading.Event()
        self.types: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.types.append(self.headers["Yuantou-Event-Type"])
                receiver.arrived.set()
                receiver.release.wait(10)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    server = SlowReceiver()
    yield server
    server.close()


def _deliveries(subscription, *types):
    return [
        WebhookDelivery.objects.create(
            subscription=subscription,
            event_id=uuid.uuid4(),
            event_type=name,
            object_key="trial:7",
            payload={"type": name, "data": {"object": "trial", "id": 7}},
        )
        for name in types
    ]


def _idle_in_transaction() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND state LIKE 'idle in transaction%%'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_no_lock_is_held_while_a_slow_receiver_is_posted_to_and_order_is_kept(
    broker, slow, organization, owner
):
    # given: two deliveries of one object; no broker, so nothing is sent but what the test calls
    broker(DEAD_BROKER)
    subscription, _secret = webhook_services.webhook_create(
        organization=organization, actor=owner, url=slow.url, event_types=["trial.*"]
    )
    first, second = _deliveries(subscription, "trial.requested", "trial.cancelled")
    outcome: list[str] = []

    def send_first():
        try:
            outcome.append(webhook_deliver(delivery_id=first.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=send_first)
    # when: a worker posts the first while the receiver holds the request
    worker.start()
    try:
        assert slow.arrived.wait(5)
        # then: the delivery and the subscription rows can be locked and changed right now
        with transaction.atomic():
            WebhookDelivery.objects.select_for_update(nowait=True).get(pk=first.pk)
            locked = WebhookSubscription.objects.select_for_update(nowait=True).get(pk=subscription.pk)
            locked.event_types = ["trial.*", "sample.*"]
            locked.save(update_fields=["event_types"])
        assert _idle_in_transaction() == 0
        # and: the same delivery is not posted twice, the next one of the object waits
        assert webhook_deliver(delivery_id=first.pk) == "in_flight"
        assert webhook_deliver(delivery_id=second.pk) == "waiting"
        assert deliveries_due(now=timezone.now()) == [second.pk]
        assert slow.types == ["trial.requested"]
    finally:
        slow.release.set()
        worker.join(10)
    # then: the first is recorded sent, its lease gone; the second follows, in order
    assert outcome == ["sent"]
    first.refresh_from_db()
    assert (first.status, first.attempts, first.lease_until) == ("succeeded", 1, None)
    assert webhook_deliver(delivery_id=second.pk) == "sent"
    assert slow.types == ["trial.requested", "trial.cancelled"]
    assert WebhookSubscription.objects.get(pk=subscription.pk).event_types == ["trial.*", "sample.*"]


@pytest.mark.django_db
def test_a_lease_in_force_keeps_others_off_and_a_stale_one_expires(slow, organization, owner):
    # given: a delivery leased by a worker that then died
    subscription, _secret = webhook_services.webhook_create(
        organization=organization, actor=owner, url=slow.url, event_types=["trial.*"]
    )
    (delivery,) = _deliveries(subscription, "trial.requested")
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(lease_until=now + timedelta(seconds=30))
    # when / then: within its lease nobody else posts it, beat does not list it
    assert webhook_deliver(delivery_id=delivery.pk, now=now) == "in_flight"
    assert deliveries_due(now=now) == []
    assert (slow.types, WebhookAttempt.objects.count()) == ([], 0)
    # when: the lease is over
    later = now + timedelta(seconds=31)
    assert deliveries_due(now=later) == [delivery.pk]
    slow.release.set()
    # then: it is sent once and recorded
    assert webhook_deliver(delivery_id=delivery.pk, now=later) == "sent"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.lease_until, slow.types) == ("succeeded", None, ["trial.requested"])
