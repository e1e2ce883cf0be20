"""`make run` has no Celery worker (CELERY_TASK_ALWAYS_EAGER): a webhook's first attempt must still
not run inside the request that caused the event (issue 12: a delivery never blocks the write).
A real receiver on 127.0.0.1 that answers slowly, or never: the write's 201 comes back well
before the receiver's delay, and the delivery is attempted and recorded all the same."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from partners.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from tests.conftest import Client
from tests.waiting import wait_until
from trials.models import TrialOrder

from .receiving import verify
from .test_webhooks import listed as listed  # the fixture
from .test_webhooks import subscribe

pytestmark = pytest.mark.django_db(transaction=True)

RECEIVER_DELAY = 4.0  # seconds the receiver takes before it answers
HANG_TIMEOUT = 3.0  # WEBHOOK_TIMEOUT_SECONDS against the receiver that never answers
BOUND = 1.5  # the write answers within this, well under either (it takes ~0.1 s warm)


class SlowReceiver:
    """An HTTP server in a thread that sleeps `delay` seconds, then answers 200 (or, hanging,
    never answers until closed)."""

    def __init__(self, delay: float, *, hang: bool = False):
        self.received: list[dict] = []
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {"headers": dict(self.headers), "body": body, "at": time.monotonic()}
                )
                if hang:
                    receiver.released.wait(30)
                    return
                time.sleep(delay)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def eager(settings):
    """make run's settings: tasks eager, the first attempt on a thread (the tests' default is inline)."""
    from marketplace.celery import app

    assert app.conf.task_always_eager  # no broker configured: what make run has
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.WEBHOOK_EAGER_IN_THREAD = True


def _timed_trial_request(streamer, product) -> tuple[float, int, int]:
    client = Client().as_user(streamer.user)
    client.get("/api/v1/me/")  # warm: the first request of a process loads the URLconf and more
    started = time.monotonic()
    response = client.post("/api/v1/trials/", {"product": product.pk, "quantity": 10})
    return time.monotonic() - started, response.status_code, response.json().get("id")


def test_a_slow_receiver_does_not_delay_the_write_and_still_gets_the_delivery(
    eager, settings, organization, owner, streamer, listed
):
    # given: a receiver that takes 4 s, a timeout long enough to wait for it
    settings.WEBHOOK_TIMEOUT_SECONDS = 10
    receiver = SlowReceiver(RECEIVER_DELAY)
    _subscription, secret = subscribe(organization, owner, receiver.url)
    try:
        # when
        elapsed, status, trial_id = _timed_trial_request(streamer, listed)

        # then: the 201 came back long before the receiver answered
        assert status == 201 and elapsed < BOUND, elapsed
        assert TrialOrder.objects.filter(pk=trial_id).exists()
        # and the delivery is made, signed, and recorded as it would be by a worker
        wait_until(
            lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).exists(),
            timeout=RECEIVER_DELAY + 5,
            message="the delivery was not recorded",
        )
        (request,) = receiver.received
        assert verify(
            secret, request["headers"]["Yuantou-Signature"], request["body"], timezone.now().timestamp()
        )
        delivery = WebhookDelivery.objects.get()
        assert (delivery.event_type, delivery.attempts, delivery.last_status_code) == (
            "trial.requested",
            1,
            200,
        )
        (attempt,) = WebhookAttempt.objects.filter(delivery=delivery)
        assert attempt.status_code == 200 and attempt.duration_ms >= RECEIVER_DELAY * 1000 - 50
    finally:
        receiver.close()


def test_a_receiver_that_hangs_does_not_delay_the_write_and_the_timeout_is_recorded(
    eager, settings, organization, owner, streamer, listed
):
    # given: a receiver that never answers; a 3 s timeout
    settings.WEBHOOK_TIMEOUT_SECONDS = HANG_TIMEOUT
    receiver = SlowReceiver(0, hang=True)
    subscribe(organization, owner, receiver.url)
    try:
        # when
        elapsed, status, _trial_id = _timed_trial_request(streamer, listed)

        # then: answered at once; the attempt was made, timed out and is recorded for a retry
        assert status == 201 and elapsed < BOUND, elapsed
        wait_until(
            lambda: WebhookDelivery.objects.filter(attempts=1).exists(),
            timeout=HANG_TIMEOUT + 5,
            message="the attempt was not recorded",
        )
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, None)
        assert delivery.last_error.startswith("ReadTimeout") and delivery.next_attempt_at is not None
        assert len(receiver.received) == 1
    finally:
        receiver.close()
