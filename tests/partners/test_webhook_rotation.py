"""Rotating a webhook's signing secret (issue 12, point 3): the new secret is shown once; for the
grace period (24 h) every delivery carries two signatures, the new secret's and the replaced
one's, so a receiver holding either accepts it; from the end of the grace only the new one. The
deliveries go to a real receiver on 127.0.0.1 and are checked with the verification code
docs/api.md gives receivers (tests/partners/receiving.py runs it as written)."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from marketplace.core.models import Event
from partners import services
from partners.models import WebhookDelivery, WebhookSubscription
from partners.webhooks.sealing import unseal
from partners.webhooks.sending import webhook_deliver
from partners.webhooks.services import webhook_create, webhook_redeliver, webhook_rotate_secret
from tests import makers
from tests.conftest import Client

from .conftest import make_key, member_join
from .receiving import verify
from .test_webhooks import listed as listed  # the fixtures
from .test_webhooks import receiver as receiver
from .test_webhooks import request_trial

pytestmark = pytest.mark.django_db

SUBSCRIBED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROTATED = SUBSCRIBED + timedelta(hours=1)
GRACE_ENDS = ROTATED + timedelta(hours=24)


def hmac_hex(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def rotate_url(organization, subscription) -> str:
    return f"/api/v1/organizations/{organization.pk}/webhooks/{subscription.pk}/rotate-secret/"


@pytest.fixture
def subscribed(receiver, organization, owner, streamer, listed, django_capture_on_commit_callbacks):
    """A subscription that has delivered one event (trial.requested), signed with its first secret."""
    with time_machine.travel(SUBSCRIBED, tick=False):
        subscription, first = webhook_create(
            organization=organization, actor=owner, url=receiver.url, event_types=["trial.*"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            request_trial(streamer, listed)
    assert len(receiver.received) == 1
    return subscription, first


def send_again_at(moment: datetime, receiver, owner) -> tuple[str, bytes, float]:
    """Redeliver the first event at `moment` (frozen) and return what the receiver got."""
    with time_machine.travel(moment, tick=False):
        again = webhook_redeliver(delivery=WebhookDelivery.objects.earliest("pk"), actor=owner)
        assert webhook_deliver(delivery_id=again.pk) == "sent"
    request = receiver.received[-1]
    return request["headers"]["Yuantou-Signature"], request["body"], moment.timestamp()


def test_an_owner_rotates_and_both_secrets_sign_until_the_grace_ends(
    api, subscribed, receiver, organization, owner
):
    subscription, first = subscribed
    # when: the owner rotates the secret an hour later
    with time_machine.travel(ROTATED, tick=False):
        response = api.as_user(owner).post(rotate_url(organization, subscription))
    # then: the new secret, shown this once, and when the old one stops signing
    assert response.status_code == 200, response.content
    body = response.json()
    second = body["secret"]
    assert second.startswith("whsec_") and second != first
    assert body["previous_secret_until"] == "2026-03-03T18:00:00+08:00"
    subscription.refresh_from_db()
    assert unseal(subscription.secret_sealed) == second
    assert unseal(subscription.previous_secret_sealed) == first
    listing = api.get(f"/api/v1/organizations/{organization.pk}/webhooks/").json()["results"]
    assert "secret" not in listing[0] and listing[0]["previous_secret_until"] == "2026-03-03T18:00:00+08:00"
    # and an audit row with the grace's end and no secret in it
    (audit,) = Event.objects.filter(verb="webhook.secret_rotated")
    assert (audit.actor, audit.target_id) == (owner, subscription.pk)
    assert audit.data["before"] == {"previous_secret_until": None}
    assert audit.data["after"] == {"previous_secret_until": "2026-03-03T10:00:00+00:00"}
    assert first not in str(audit.data) and second not in str(audit.data)

    # when: a delivery one second before the grace ends
    header, raw, now = send_again_at(GRACE_ENDS - timedelta(seconds=1), receiver, owner)
    # then: two signatures, the new secret's first; the documented code accepts either secret
    timestamp = int(now)
    assert (
        header == f"t={timestamp},v1={hmac_hex(second, timestamp, raw)},v1={hmac_hex(first, timestamp, raw)}"
    )
    assert verify(second, header, raw, now) and verify(first, header, raw, now)
    assert not verify("whsec_someone_else", header, raw, now)

    # when: a delivery at the very end of the grace
    header, raw, now = send_again_at(GRACE_ENDS, receiver, owner)
    # then: the new secret's signature only; the old secret no longer verifies
    timestamp = int(now)
    assert header == f"t={timestamp},v1={hmac_hex(second, timestamp, raw)}"
    assert verify(second, header, raw, now)
    assert not verify(first, header, raw, now)


def test_the_first_delivery_before_any_rotation_has_one_signature(subscribed, receiver):
    _subscription, first = subscribed
    request = receiver.received[0]
    header, raw = request["headers"]["Yuantou-Signature"], request["body"]
    timestamp = int(SUBSCRIBED.timestamp())
    assert header == f"t={timestamp},v1={hmac_hex(first, timestamp, raw)}"
    assert verify(first, header, raw, SUBSCRIBED.timestamp())
    # the documented code also refuses a stale timestamp (a replay) and a header without one
    assert not verify(first, header, raw, SUBSCRIBED.timestamp() + 301)
    assert not verify(first, header.split(",", 1)[1], raw, SUBSCRIBED.timestamp())


def test_rotating_again_within_the_grace_keeps_only_the_secret_just_replaced(subscribed, receiver, owner):
    subscription, first = subscribed
    with time_machine.travel(ROTATED, tick=False):
        _, second = webhook_rotate_secret(subscription=subscription, actor=owner)
    with time_machine.travel(ROTATED + timedelta(hours=2), tick=False):
        rotated, third = webhook_rotate_secret(subscription=subscription, actor=owner)
    assert rotated.previous_secret_until == ROTATED + timedelta(hours=26)
    header, raw, now = send_again_at(ROTATED + timedelta(hours=3), receiver, owner)
    assert header.count("v1=") == 2
    assert verify(third, header, raw, now) and verify(second, header, raw, now)
    assert not verify(first, header, raw, now)
    assert Event.objects.filter(verb="webhook.secret_rotated").count() == 2


def test_a_key_with_the_scope_rotates_and_others_cannot(subscribed, organization, owner):
    subscription, first = subscribed
    url = rotate_url(organization, subscription)
    # a member who is not an owner → 403, nothing changed
    member = makers.UserMaker(username="mcn_member")
    member_join(organization=organization, owner=owner, username=member.username, role="member")
    refused = Client().as_user(member).post(url)
    assert refused.status_code == 403, refused.content
    # a key without webhooks:manage → 403; another organization's key → 404
    _key, narrow = make_key(organization, owner, scopes=["catalog:read"])
    narrow_client = Client()
    narrow_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {narrow}")
    assert narrow_client.post(url).status_code == 403
    other_owner = makers.UserMaker(username="other_owner")
    other = services.organization_create(actor=other_owner, name="别家 MCN")
    _key, foreign = make_key(other, other_owner)
    foreign_client = Client()
    foreign_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {foreign}")
    assert foreign_client.post(url).status_code == 404
    subscription.refresh_from_db()
    assert unseal(subscription.secret_sealed) == first and subscription.previous_secret_until is None
    assert not Event.objects.filter(verb="webhook.secret_rotated").exists()
    # when: a key with the scope rotates
    key, raw = make_key(organization, owner, scopes=["webhooks:manage"])
    client = Client()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    response = client.post(url)
    # then: rotated, recorded by the key's prefix
    assert response.status_code == 200, response.content
    subscription.refresh_from_db()
    assert unseal(subscription.secret_sealed) == response.json()["secret"]
    audit = Event.objects.get(verb="webhook.secret_rotated")
    assert (audit.actor, audit.data["key"]) == (None, key.prefix)


def test_a_factory_owner_rotates_the_factory_webhook_and_no_one_else(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    factory = makers.FactoryMaker()
    subscription, first = webhook_create(
        factory=factory, actor=factory.owner, url="https://erp.example.com/hook", event_types=["product.*"]
    )
    url = f"/api/v1/factories/{factory.pk}/webhooks/{subscription.pk}/rotate-secret/"
    assert Client().as_user(makers.FactoryMaker().owner).post(url).status_code == 404
    assert WebhookSubscription.objects.get().previous_secret_until is None
    response = Client().as_user(factory.owner).post(url)
    assert response.status_code == 200, response.content
    subscription.refresh_from_db()
    assert unseal(subscription.secret_sealed) == response.json()["secret"] != first
    assert unseal(subscription.previous_secret_sealed) == first
