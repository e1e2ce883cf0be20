"""Outbound webhooks (issue 12, point 3) against a real receiver on 127.0.0.1 that checks every
signature with the verification code docs/api.md gives receivers."""

import ipaddress
import itertools
import json
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from marketplace.core.models import Event, OutboxMessage
from marketplace.core.outbox import outbox_relay
from marketplace.notifications.models import Notification
from partners import services
from partners.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from partners.webhooks.sending import webhook_deliver
from partners.webhooks.sources import TOPIC
from tests import makers
from tests.conftest import Client
from tests.core.conftest import DEAD_BROKER
from tests.core.conftest import broker as broker  # the fixture
from tests.waiting import wait_until
from trials.models import TrialOrder

from .conftest import make_key, member_join
from .receiving import verify

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server in a thread: answers each POST with the next queued status (200 when none)."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                if self.path == "/moved":
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self, secret: str, now: float) -> list[dict]:
        """The bodies received, each checked against its signature first."""
        for request in self.received:
            assert verify(secret, request["headers"]["Yuantou-Signature"], request["body"], now)
        return [json.loads(request["body"]) for request in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


DOWN = "http://127.0.0.1:1/hook"  # nothing listens on port 1: connection refused


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def listed():
    factory = makers.FactoryMaker(max_trial_quantity=50, trial_days=30)
    return makers.ProductMaker(factory=factory, moq=500)


def subscribe(organization, owner, url, types=("trial.*",)):
    return services_webhooks().webhook_create(
        organization=organization, actor=owner, url=url, event_types=list(types)
    )


def services_webhooks():
    from partners.webhooks import services as webhook_services

    return webhook_services


def request_trial(streamer, product) -> int:
    response = (
        Client().as_user(streamer.user).post("/api/v1/trials/", {"product": product.pk, "quantity": 10})
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_an_event_of_a_streamer_reaches_the_receiver_signed(
    receiver, organization, owner, streamer, listed, django_capture_on_commit_callbacks
):
    # given: the organization subscribed to trial events
    _subscription, secret = subscribe(organization, owner, receiver.url)
    # when: its streamer requests a trial (the first attempt runs after the commit)
    with django_capture_on_commit_callbacks(execute=True):
        trial_id = request_trial(streamer, listed)
    # then: one signed POST with the event
    (event,) = receiver.events(secret, timezone.now().timestamp())
    delivery = WebhookDelivery.objects.get()
    assert event == {
        "id": str(delivery.event_id),
        "type": "trial.requested",
        "created_at": event["created_at"],
        "data": {"object": "trial", "id": trial_id, "buyer": streamer.pk, **event["data"]},
    }
    assert "address" not in event["data"]
    headers = receiver.received[0]["headers"]
    assert (headers["Yuantou-Event-Id"], headers["Yuantou-Event-Type"]) == (
        str(delivery.event_id),
        "trial.requested",
    )
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.SUCCEEDED,
        1,
        200,
    )
    assert list(WebhookAttempt.objects.values_list("status_code", flat=True)) == [200]
    # and a wrong secret does not verify
    assert not verify(
        "whsec_wrong", headers["Yuantou-Signature"], receiver.received[0]["body"], timezone.now().timestamp()
    )


def test_events_of_streamers_outside_the_organization_are_not_delivered(
    receiver, organization, owner, outsider, listed, django_capture_on_commit_callbacks
):
    subscribe(organization, owner, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        request_trial(outsider, listed)
    assert (WebhookDelivery.objects.count(), receiver.received) == (0, [])


def test_types_not_subscribed_are_not_delivered(receiver, organization, owner, streamer, listed):
    subscribe(organization, owner, receiver.url, types=["sample.*"])
    request_trial(streamer, listed)
    assert WebhookDelivery.objects.count() == 0


def test_failures_are_retried_with_exponential_backoff_then_given_up_after_24_hours(
    receiver, organization, owner, streamer, listed
):
    # given: a receiver answering 500, a pending delivery made at T
    receiver.answers = [500] * 30
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    with time_machine.travel(start, tick=False):
        subscribe(organization, owner, receiver.url)
        request_trial(streamer, listed)
    delivery = WebhookDelivery.objects.get()
    # when / then: each failure waits twice as long as the one before
    assert webhook_deliver(delivery_id=delivery.pk, now=start) == "failed"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(seconds=30)
    assert webhook_deliver(delivery_id=delivery.pk, now=start + timedelta(seconds=29)) == "not_due"
    waits = []
    at = start
    for _ in range(8):
        at = delivery.next_attempt_at
        assert webhook_deliver(delivery_id=delivery.pk, now=at) == "failed"
        delivery.refresh_from_db()
        waits.append(delivery.next_attempt_at - at)
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 64, 128)]
    assert (delivery.attempts, WebhookAttempt.objects.filter(delivery=delivery).count()) == (9, 9)
    assert set(WebhookAttempt.objects.values_list("status_code", flat=True)) == {500}
    # when: attempts go on until the next one would fall past 24 h after the event
    outcomes = []
    while delivery.status == DeliveryStatus.PENDING:
        outcomes.append(webhook_deliver(delivery_id=delivery.pk, now=delivery.next_attempt_at))
        delivery.refresh_from_db()
    # then: given up, at most 6 hours between two attempts, all within the day
    assert outcomes[-1] == "gave_up"
    assert delivery.status == DeliveryStatus.FAILED
    times = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("pk").values_list("at", flat=True))
    assert max(b - a for a, b in itertools.pairwise(times)) == timedelta(hours=6)
    assert times[-1] - delivery.created_at <= timedelta(hours=24)


def test_a_receiver_that_comes_back_gets_the_delivery_and_redirects_are_not_followed(
    receiver, organization, owner, streamer, listed
):
    receiver.answers = [302, 200]
    subscription, _secret = subscribe(organization, owner, receiver.url.replace("/hook", "/moved"))
    request_trial(streamer, listed)
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    assert webhook_deliver(delivery_id=delivery.pk, now=now) == "failed"
    delivery.refresh_from_db()
    assert (delivery.last_status_code, delivery.last_error) == (302, "redirects are not followed")
    assert len(receiver.received) == 1  # nothing went to the Location
    assert webhook_deliver(delivery_id=delivery.pk, now=now + timedelta(seconds=30)) == "sent"
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_deliveries_of_one_object_go_in_order(
    receiver, organization, owner, streamer, listed, django_capture_on_commit_callbacks
):
    # given: the receiver is down while a trial is requested and then cancelled
    _subscription, secret = subscribe(organization, owner, receiver.url)
    receiver.answers = [503]
    trial_id = request_trial(streamer, listed)
    first = WebhookDelivery.objects.get()
    assert webhook_deliver(delivery_id=first.pk) == "failed"
    cancelled = Client().as_user(streamer.user).post(f"/api/v1/trials/{trial_id}/cancel/")
    assert cancelled.status_code == 200, cancelled.content
    second = WebhookDelivery.objects.exclude(pk=first.pk).get()
    # when: the later one is due first
    # then: it waits, no POST and no attempt
    assert webhook_deliver(delivery_id=second.pk) == "waiting"
    assert (len(receiver.received), WebhookAttempt.objects.filter(delivery=second).count()) == (1, 0)
    # when: the earlier one gets through, the later one follows
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_deliver(delivery_id=first.pk, now=first.next_attempt_at) == "sent"
    # then
    types = [e["type"] for e in receiver.events(secret, timezone.now().timestamp())]
    assert types == ["trial.requested", "trial.requested", "trial.cancelled"]
    assert list(WebhookDelivery.objects.order_by("pk").values_list("status", flat=True)) == ["succeeded"] * 2


def test_repeated_failures_disable_the_subscription_and_tell_the_owners(
    receiver, settings, organization, owner, streamer, listed
):
    # given
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    subscription, _ = subscribe(organization, owner, DOWN)
    request_trial(streamer, listed)
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    # when: three failed attempts
    for _ in range(3):
        assert webhook_deliver(delivery_id=delivery.pk, now=now) == "failed"
        now += timedelta(hours=7)
    # then: disabled, the owner told once, an audit row, and no further attempt
    subscription.refresh_from_db()
    assert subscription.disabled_at is not None
    assert list(Notification.objects.filter(kind="webhook.disabled").values_list("recipient", flat=True)) == [
        owner.pk
    ]
    assert Event.objects.filter(verb="webhook.disabled", target_id=subscription.pk).count() == 1
    assert webhook_deliver(delivery_id=delivery.pk, now=now) == "disabled"
    assert WebhookAttempt.objects.count() == 3
    # when: an owner enables it again
    response = (
        Client()
        .as_user(owner)
        .post(f"/api/v1/organizations/{organization.pk}/webhooks/{subscription.pk}/enable/")
    )
    # then
    assert (
        response.status_code,
        response.json()["disabled_at"],
        response.json()["consecutive_failures"],
    ) == (200, None, 0)
    assert Event.objects.filter(verb="webhook.enabled").count() == 1


def test_a_partner_key_reads_the_log_and_redelivers(receiver, organization, owner, streamer, listed):
    # given: one delivered event
    subscription, secret = subscribe(organization, owner, receiver.url)
    request_trial(streamer, listed)
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver(delivery_id=delivery.pk) == "sent"
    _key, raw = make_key(organization, owner, scopes=["webhooks:manage"])
    partner = Client()
    partner.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    base = f"/api/v1/organizations/{organization.pk}/webhooks/{subscription.pk}"
    # when
    log = partner.get(f"{base}/deliveries/")
    again = partner.post(f"{base}/deliveries/{delivery.pk}/redeliver/")
    # then
    assert log.status_code == 200
    (row,) = log.json()["results"]
    assert (row["id"], row["status"], [a["status_code"] for a in row["attempts_log"]]) == (
        delivery.pk,
        "succeeded",
        [200],
    )
    assert again.status_code == 201
    redelivery = WebhookDelivery.objects.get(pk=again.json()["id"])
    assert (redelivery.event_id, redelivery.redelivery_of_id, redelivery.status) == (
        delivery.event_id,
        delivery.pk,
        "pending",
    )
    assert webhook_deliver(delivery_id=redelivery.pk) == "sent"
    assert [e["id"] for e in receiver.events(secret, timezone.now().timestamp())] == [
        str(delivery.event_id)
    ] * 2
    audit = Event.objects.get(verb="webhook.redelivered")
    assert (audit.actor, audit.data["key"], audit.data["redelivery"]) == (None, _key.prefix, redelivery.pk)


def test_a_key_without_the_scope_and_another_organization_get_nothing(
    receiver, organization, owner, streamer
):
    # given: the organization's subscription, a third organization with its own owner and key
    subscription, _ = subscribe(organization, owner, receiver.url)
    other_owner = makers.UserMaker()
    other = services.organization_create(actor=other_owner, name="别家")
    _k, other_raw = make_key(other, other_owner, scopes=["webhooks:manage"])
    _k, catalog_raw = make_key(organization, owner, scopes=["catalog:read"])
    base = f"/api/v1/organizations/{organization.pk}/webhooks/"
    keyed = Client()
    keyed.credentials(HTTP_AUTHORIZATION=f"Api-Key {other_raw}")
    scopeless = Client()
    scopeless.credentials(HTTP_AUTHORIZATION=f"Api-Key {catalog_raw}")
    # then
    assert keyed.get(base).status_code == 404
    assert keyed.get(f"{base}{subscription.pk}/deliveries/").status_code == 404
    assert keyed.delete(f"{base}{subscription.pk}/").status_code == 404
    assert Client().as_user(other_owner).get(base).status_code == 404
    assert Client().as_user(other_owner).get(f"{base}{subscription.pk}/deliveries/").status_code == 404
    assert scopeless.get(base).status_code == 403
    assert WebhookSubscription.objects.filter(pk=subscription.pk).exists()


def test_an_owner_subscribes_with_a_valid_url_and_sees_the_secret_once(api, settings, organization, owner):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    client = api.as_user(owner)
    base = f"/api/v1/organizations/{organization.pk}/webhooks/"
    refused = [
        client.post(base, {"url": url, "event_types": ["trial.*"]}, format="json")
        for url in (
            "http://127.0.0.1:8000/hook",
            "ftp://example.com/x",
            "https://u:p@example.com/",
            "https://a.example/\x07",
            # not on the public internet (a worker inside our network would call them)
            "https://10.1.2.3/hook",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/hook",
            "https://localhost/hook",
            "https://db.internal:8123/",
        )
    ]
    assert [r.status_code for r in refused] == [400] * 9
    assert refused[-1].json() == {"url": ["The URL must point to an address on the public internet."]}
    assert (
        client.post(
            base, {"url": "https://a.example/", "event_types": ["orders.*"]}, format="json"
        ).status_code
        == 400
    )
    made = client.post(
        base, {"url": "https://hooks.example.com/yt", "event_types": ["sample.*", "trial.*"]}, format="json"
    )
    assert made.status_code == 201
    body = made.json()
    assert body["secret"].startswith("whsec_") and body["event_types"] == ["trial.*", "sample.*"]
    listed = client.get(base).json()["results"]
    assert [set(row) for row in listed] == [set(body) - {"secret"}]
    event = Event.objects.get(verb="webhook.created")
    assert (event.actor, event.data["after"]["url"], "secret" in json.dumps(event.data)) == (
        owner,
        "https://hooks.example.com/yt",
        False,
    )
    # a member who is not an owner reads but does not write
    member = makers.UserMaker(username="helper")
    member_join(organization=organization, owner=owner, username="helper", role="member")
    assert api.as_user(member).get(base).status_code == 200
    assert (
        api.as_user(member)
        .post(base, {"url": "https://b.example/", "event_types": ["trial.*"]}, format="json")
        .status_code
        == 403
    )
    assert WebhookSubscription.objects.count() == 1


def test_the_write_succeeds_when_the_receiver_is_down(
    settings, organization, owner, streamer, listed, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    subscribe(organization, owner, DOWN)
    with django_capture_on_commit_callbacks(execute=True):
        request_trial(streamer, listed)
    assert TrialOrder.objects.count() == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error.startswith("ConnectionError")
    assert delivery.next_attempt_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_write_succeeds_when_the_broker_is_down_and_the_relay_delivers(
    broker, receiver, organization, owner, streamer, listed
):
    # given
    _subscription, secret = subscribe(organization, owner, receiver.url)
    broker(DEAD_BROKER)
    # when
    trial_id = request_trial(streamer, listed)
    # then: the trial is stored, its delivery waits as a row and an outbox row
    assert TrialOrder.objects.filter(pk=trial_id).exists()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, receiver.received) == ("pending", 0, [])
    assert OutboxMessage.objects.filter(topic="webhook.delivery", delivered_at__isnull=True).count() == 1
    # when: the relay runs once the broker is back
    broker(None)
    outbox_relay()
    # then: delivered once
    delivery.refresh_from_db()
    assert (delivery.status, [e["type"] for e in receiver.events(secret, timezone.now().timestamp())]) == (
        "succeeded",
        ["trial.requested"],
    )


def test_a_name_that_resolves_to_a_private_address_is_not_called(
    settings, organization, owner, streamer, listed
):
    # given: a subscription whose host name now resolves inside the network (this machine's own
    # name: /etc/hosts maps it to a loopback or private address)
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    host = socket.gethostname()
    assert not ipaddress.ip_address(socket.getaddrinfo(host, 443)[0][4][0]).is_global
    subscribe(organization, owner, "https://hooks.example.com/yt")
    WebhookSubscription.objects.update(url=f"https://{host}/hook")
    # when: an event is due for it
    request_trial(streamer, listed)
    delivery = WebhookDelivery.objects.get()
    outcome = webhook_deliver(delivery_id=delivery.pk)
    # then: no connection was made; the attempt is a failure with the reason, retried later
    delivery.refresh_from_db()
    attempt = WebhookAttempt.objects.get()
    assert (outcome, delivery.status, delivery.attempts) == ("failed", DeliveryStatus.PENDING, 1)
    assert (attempt.status_code, attempt.duration_ms < 1000) == (None, True)
    assert attempt.error.startswith(f"{host} resolves to ") and attempt.error.endswith("not a public address")


@pytest.mark.async_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_after_the_commit(
    receiver, organization, owner, streamer, listed, live_celery_worker
):
    # given: a subscription, and a real Celery worker on Redis
    _subscription, secret = subscribe(organization, owner, receiver.url)
    # when: the streamer requests a trial through the API (the request only writes rows)
    trial_id = request_trial(streamer, listed)
    # then: the worker posts the signed event within seconds, once
    wait_until(lambda: receiver.received, timeout=15, message="not delivered")
    time.sleep(0.5)  # a second delivery of the same row would arrive by now
    (event,) = receiver.events(secret, timezone.now().timestamp())
    assert (event["type"], event["data"]["id"]) == ("trial.requested", trial_id)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 1)
    assert OutboxMessage.objects.filter(topic=TOPIC, delivered_at__isnull=True).count() == 0


def test_an_organization_has_a_bounded_number_of_webhooks(api, settings, organization, owner):
    # given: the limit set to 3, and 3 webhooks
    settings.WEBHOOK_MAX_PER_ORGANIZATION = 3
    for n in range(3):
        subscribe(organization, owner, f"https://hooks.example.com/{n}")
    # when: a fourth through the API
    response = api.as_user(owner).post(
        f"/api/v1/organizations/{organization.pk}/webhooks/",
        {"url": "https://hooks.example.com/4", "event_types": ["trial.*"]},
        format="json",
    )
    # then: refused in the JSON shape, nothing written, no audit row
    assert (response.status_code, response.json()) == (
        400,
        {"url": ["An organization has at most 3 webhooks."]},
    )
    assert WebhookSubscription.objects.count() == 3
    assert Event.objects.filter(verb="webhook.created").count() == 3
