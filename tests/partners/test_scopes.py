"""Scope enforcement on every operation of the served OpenAPI document (issue 12, point 2).

EXPECTED classifies each operation by hand: the scope a partner key needs, ANY (any key of the
organization), NOT (refused to every partner key: factory and staff operations, managing
organizations and keys) or OPEN (reads no credentials at all). The first test fails when an
operation is added to the API without being classified here; the others check, operation by
operation, that a key without the scope gets 403 with nothing written, that a key with only that
scope gets past the check, and that the schema says which scope it is (`x-partner-scope`).
"""

import pytest
import yaml
from django.urls import resolve

from conversations.models import ContactCard, Conversation, ConversationReport, Message
from marketplace.addresses.models import Address
from marketplace.core.models import Event, OutboxMessage
from marketplace.notifications.models import Notification
from partners.models import Membership, PartnerKey, Scope, StreamerLink, WebhookDelivery, WebhookSubscription
from tests.conftest import Client
from trials.models import CustomRequest, SampleRequest, TrialOrder

from .conftest import ALL_SCOPES, make_key

pytestmark = pytest.mark.django_db

ANY, NOT, OPEN = "any", "not for partner keys", "reads no credentials"
CATALOG, BUYERS, TRIALS = "catalog:read", "buyers:write", "trials:write"
SAMPLES, REQUESTS = "samples:write", "requests:write"
WEBHOOKS = "webhooks:manage"
CONV_READ, CONV_WRITE = "conversations:read", "conversations:write"
# A scope granted by another one too (the write scope reads what it writes).
IMPLIED_BY = {CONV_READ: CONV_WRITE}

EXPECTED = {
    ("post", "auth/register/"): OPEN,
    ("post", "auth/token/"): OPEN,
    ("post", "payments/stripe/webhook/"): OPEN,
    ("get", "me/"): NOT,
    ("get", "partner/"): ANY,
    # the catalogue
    ("get", "categories/"): CATALOG,
    ("get", "industrial-belts/"): CATALOG,
    ("get", "divisions/"): CATALOG,
    ("get", "factories/"): CATALOG,
    ("get", "factories/{id}/"): CATALOG,
    ("get", "products/"): CATALOG,
    ("get", "products/{id}/"): CATALOG,
    ("get", "search/products/"): CATALOG,
    ("get", "search/factories/"): CATALOG,
    ("get", "matches/products/"): CATALOG,
    ("get", "matches/factories/"): CATALOG,
    ("get", "matches/buyers/"): NOT,
    # streamer profiles and their addresses
    ("get", "buyers/"): BUYERS,
    ("post", "buyers/"): NOT,
    ("get", "buyers/{id}/"): BUYERS,
    ("patch", "buyers/{id}/"): BUYERS,
    ("get", "addresses/"): BUYERS,
    ("post", "addresses/"): BUYERS,
    ("get", "addresses/{id}/"): BUYERS,
    ("patch", "addresses/{id}/"): BUYERS,
    ("delete", "addresses/{id}/"): BUYERS,
    # trials and bulk orders, the streamer's side
    ("get", "trials/"): TRIALS,
    ("post", "trials/"): TRIALS,
    ("get", "trials/{id}/"): TRIALS,
    ("post", "trials/{id}/cancel/"): TRIALS,
    ("post", "trials/{id}/pay/"): TRIALS,
    ("post", "trials/{id}/receive/"): TRIALS,
    ("post", "trials/{id}/feedback/"): TRIALS,
    ("post", "trials/{id}/convert/"): TRIALS,
    ("post", "trials/{id}/end/"): TRIALS,
    ("post", "trials/{id}/accept/"): NOT,
    ("post", "trials/{id}/decline/"): NOT,
    ("post", "trials/{id}/ship/"): NOT,
    ("get", "bulk-orders/"): TRIALS,
    ("get", "bulk-orders/{id}/"): TRIALS,
    ("post", "bulk-orders/{id}/cancel/"): TRIALS,
    ("post", "bulk-orders/{id}/pay/"): TRIALS,
    ("post", "bulk-orders/{id}/receive/"): TRIALS,
    ("post", "bulk-orders/{id}/complete/"): TRIALS,
    ("post", "bulk-orders/{id}/dispute/"): TRIALS,
    ("post", "bulk-orders/{id}/confirm/"): NOT,
    ("post", "bulk-orders/{id}/decline/"): NOT,
    ("post", "bulk-orders/{id}/start-production/"): NOT,
    ("post", "bulk-orders/{id}/ship/"): NOT,
    ("post", "bulk-orders/{id}/resume/"): NOT,
    ("post", "bulk-orders/{id}/cancel-with-refund/"): NOT,
    ("post", "payments/{id}/confirm/"): NOT,
    # samples
    ("get", "samples/"): SAMPLES,
    ("post", "samples/"): SAMPLES,
    ("get", "samples/{id}/"): SAMPLES,
    ("post", "samples/{id}/cancel/"): SAMPLES,
    ("post", "samples/{id}/receive/"): SAMPLES,
    ("post", "samples/{id}/accept/"): NOT,
    ("post", "samples/{id}/decline/"): NOT,
    ("post", "samples/{id}/ship/"): NOT,
    # custom requests
    ("get", "custom-requests/"): REQUESTS,
    ("post", "custom-requests/"): REQUESTS,
    ("get", "custom-requests/{id}/"): REQUESTS,
    ("post", "custom-requests/{id}/cancel/"): REQUESTS,
    ("get", "custom-requests/{id}/messages/"): REQUESTS,
    ("post", "custom-requests/{id}/messages/"): REQUESTS,
    # Conversations (issue 13): the streamer's side, with the conversations scopes.
    ("get", "conversations/"): CONV_READ,
    ("post", "conversations/"): CONV_WRITE,
    ("get", "conversations/unread/"): CONV_READ,
    ("get", "conversations/contact-card/"): CONV_READ,
    ("put", "conversations/contact-card/"): CONV_WRITE,
    ("get", "conversations/{id}/"): CONV_READ,
    ("get", "conversations/{id}/messages/"): CONV_READ,
    ("get", "conversations/{id}/topics/"): CONV_READ,
    ("post", "conversations/{id}/messages/"): CONV_WRITE,
    ("post", "conversations/{id}/reports/"): CONV_WRITE,
    ("post", "conversations/{id}/read/"): CONV_WRITE,
    ("get", "conversations/{id}/attachments/{attachment_id}/"): CONV_READ,
    ("get", "custom-requests/{id}/quotes/"): REQUESTS,
    ("post", "custom-requests/{id}/quotes/{quote_id}/accept/"): REQUESTS,
    ("post", "custom-requests/{id}/quotes/{quote_id}/order/"): REQUESTS,
    ("post", "custom-requests/{id}/quotes/"): NOT,
    # factories' and staff's side of the catalogue
    ("post", "factories/"): NOT,
    ("patch", "factories/{id}/"): NOT,
    ("get", "factories/{id}/licence/"): NOT,
    ("put", "factories/{id}/licence/"): NOT,
    ("post", "factories/{id}/photos/"): NOT,
    ("delete", "factories/{id}/photos/{photo_id}/"): NOT,
    ("post", "factories/{id}/verify/"): NOT,
    ("post", "factories/{id}/reject/"): NOT,
    ("post", "factories/{id}/suspend/"): NOT,
    ("post", "products/"): NOT,
    ("patch", "products/{id}/"): NOT,
    ("delete", "products/{id}/"): NOT,
    ("post", "products/{id}/images/"): NOT,
    ("delete", "products/{id}/images/{image_id}/"): NOT,
    ("post", "products/{id}/approve/"): NOT,
    ("post", "products/{id}/reject/"): NOT,
    ("post", "products/{id}/revision/approve/"): NOT,
    ("post", "products/{id}/revision/reject/"): NOT,
    ("post", "products/{id}/report/"): NOT,
    ("get", "notifications/"): NOT,
    ("post", "notifications/{id}/read/"): NOT,
    # organizations and keys: people manage them with their own sign-in
    ("get", "organizations/"): NOT,
    ("post", "organizations/"): NOT,
    ("get", "organizations/{id}/"): NOT,
    ("post", "organizations/{id}/members/"): NOT,
    ("post", "organizations/{id}/invitations/{invitation_id}/withdraw/"): NOT,
    ("delete", "organizations/{id}/members/{user_id}/"): NOT,
    ("get", "member-invitations/"): NOT,
    ("post", "member-invitations/{id}/accept/"): NOT,
    ("post", "member-invitations/{id}/decline/"): NOT,
    ("get", "organizations/{id}/keys/"): NOT,
    ("post", "organizations/{id}/keys/"): NOT,
    ("post", "organizations/{id}/keys/{key_id}/revoke/"): NOT,
    ("post", "organizations/{id}/keys/{key_id}/rotate/"): NOT,
    ("get", "streamer-links/"): NOT,
    ("post", "streamer-links/"): NOT,
    ("post", "streamer-links/{id}/accept/"): NOT,
    ("post", "streamer-links/{id}/end/"): NOT,
    # the organization's webhooks: its members, or its keys with webhooks:manage
    ("get", "organizations/{id}/webhooks/"): WEBHOOKS,
    ("post", "organizations/{id}/webhooks/"): WEBHOOKS,
    ("delete", "organizations/{id}/webhooks/{webhook_id}/"): WEBHOOKS,
    ("post", "organizations/{id}/webhooks/{webhook_id}/enable/"): WEBHOOKS,
    ("post", "organizations/{id}/webhooks/{webhook_id}/rotate-secret/"): WEBHOOKS,
    ("get", "organizations/{id}/webhooks/{webhook_id}/deliveries/"): WEBHOOKS,
    ("post", "organizations/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver/"): WEBHOOKS,
    # a factory's own webhooks: its owner's sign-in only
    ("get", "factories/{id}/webhooks/"): NOT,
    ("post", "factories/{id}/webhooks/"): NOT,
    ("delete", "factories/{id}/webhooks/{webhook_id}/"): NOT,
    ("post", "factories/{id}/webhooks/{webhook_id}/enable/"): NOT,
    ("post", "factories/{id}/webhooks/{webhook_id}/rotate-secret/"): NOT,
    ("get", "factories/{id}/webhooks/{webhook_id}/deliveries/"): NOT,
    ("post", "factories/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver/"): NOT,
    # Video tours (issue 13): a streamer's or factory's own calls; no partner key acts on them yet.
    ("get", "tours/availability/"): NOT,
    ("put", "tours/availability/"): NOT,
    ("get", "tours/factories/{factory_id}/slots/"): NOT,
    ("get", "tours/bookings/"): NOT,
    ("post", "tours/bookings/"): NOT,
    ("get", "tours/bookings/{id}/"): NOT,
    ("post", "tours/bookings/{id}/confirm/"): NOT,
    ("post", "tours/bookings/{id}/propose/"): NOT,
    ("post", "tours/bookings/{id}/accept-proposal/"): NOT,
    ("post", "tours/bookings/{id}/decline-proposal/"): NOT,
    ("post", "tours/bookings/{id}/cancel/"): NOT,
    ("post", "tours/bookings/{id}/rate/"): NOT,
}
OPERATIONS = sorted(EXPECTED, key=lambda op: (op[1], op[0]))
WRITTEN = [Event, OutboxMessage, Notification, TrialOrder, SampleRequest, CustomRequest, Address]
WRITTEN += [PartnerKey, Membership, StreamerLink, WebhookSubscription, WebhookDelivery]
WRITTEN += [Conversation, Message, ConversationReport, ContactCard]


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _operations(schema) -> dict:
    return {
        (method, path.removeprefix("/api/v1/")): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def _call(client, method, path, **query):
    url = "/api/v1/" + path.replace("{id}", "999999").replace("{quote_id}", "1")
    for name in (
        "photo_id",
        "image_id",
        "user_id",
        "key_id",
        "webhook_id",
        "delivery_id",
        "attachment_id",
        "factory_id",
        "invitation_id",
    ):
        url = url.replace("{" + name + "}", "1")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return getattr(client, method)(url, {} if method != "get" else None)


def _key_client(organization, owner, scopes):
    _key, raw = make_key(organization, owner, scopes=scopes)
    client = Client()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_every_operation_of_the_schema_is_classified(schema):
    assert sorted(_operations(schema)) == sorted(EXPECTED)


def test_the_schema_names_the_scope_of_every_partner_operation(schema):
    # then: x-partner-scope on exactly the operations a key may call, with a `buyer` parameter
    found = {op: operation.get("x-partner-scope") for op, operation in _operations(schema).items()}
    expected = {op: (None if scope in (NOT, OPEN) else scope) for op, scope in EXPECTED.items()}
    assert found == expected
    for op, operation in _operations(schema).items():
        if expected[op] is not None:
            assert "429" in operation["responses"], op
            assert "buyer" in [p["name"] for p in operation["parameters"]], op


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_scope_is_enforced(method, path, organization, owner, streamer):
    expected = EXPECTED[(method, path)]
    if expected == OPEN:
        # these views read no credentials: a key is neither used nor checked there
        match = resolve("/api/v1/" + path)
        assert match.func.cls.authentication_classes == [] or path == "payments/stripe/webhook/"
        assert match.func.cls().get_authenticators() == []
        return
    before = _counts()
    if expected == NOT:
        # when: a key with every scope
        response = _call(_key_client(organization, owner, ALL_SCOPES), method, path, buyer=streamer.pk)
        # then
        assert (response.status_code, response.json()) == (
            403,
            {"detail": "Partner keys cannot use this operation."},
        )
        assert _counts() == {**before, "PartnerKey": before["PartnerKey"] + 1, "Event": before["Event"] + 1}
        return
    if expected != ANY:
        # when: a key with every scope but this one (and any that grants it)
        others = [s for s in ALL_SCOPES if s not in (expected, IMPLIED_BY.get(expected))]
        refused = _call(_key_client(organization, owner, others), method, path, buyer=streamer.pk)
        # then: refused, and nothing but the key (and its audit row) was written
        assert (refused.status_code, refused.json()) == (
            403,
            {"detail": f"This API key lacks the scope {expected}."},
        )
        assert _counts() == {**before, "PartnerKey": before["PartnerKey"] + 1, "Event": before["Event"] + 1}
    # when: a key with only this scope (or, for ANY, the least useful one)
    only = [Scope.WEBHOOKS_MANAGE.value] if expected == ANY else [expected]
    allowed = _call(_key_client(organization, owner, only), method, path, buyer=streamer.pk)
    # then: past the key's checks; the view answers as it would the streamer (404 for id 999999)
    assert allowed.status_code not in (401, 403, 429), allowed.content
    assert allowed.status_code < 500


def test_an_own_key_of_a_user_is_unchanged_by_scopes(api, streamer):
    """User-owned keys (accounts.ApiKey, before organizations) keep acting as their owner."""
    from marketplace.accounts.services import api_key_create

    _key, raw = api_key_create(user=streamer.user, name="old tool")
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    response = api.get("/api/v1/me/")
    assert (response.status_code, response.json()["buyer_id"]) == (200, streamer.pk)
