"""Stripe through a real localstripe server: PaymentIntents in fen, and signed webhooks delivered
to a live server, replayed and reordered. Only the webhook marks a trial paid."""

import hashlib
import hmac
import json
import time

import pytest

from marketplace.core.models import Event
from tests.trials.conftest import WEBHOOK_SECRET, trial_at
from tests.waiting import wait_until
from trials.models import Payment, StripeEvent, TrialOrder
from trials.payments.stripe_provider import stripe_client

pytestmark = pytest.mark.django_db(transaction=True)

WEBHOOK = "/api/v1/payments/stripe/webhook/"


def _card_pays(intent_id: str, number: str = "4242424242424242") -> None:
    """What Stripe.js does in the buyer's browser: attach a card and confirm."""
    client = stripe_client()
    method = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    client.v1.payment_intents.confirm(intent_id)


def _sign(payload: bytes, timestamp: int | None = None) -> str:
    timestamp = timestamp or int(time.time())
    signature = hmac.new(
        WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={signature}"


def _deliver(client, event: dict):
    payload = json.dumps(event).encode()
    return client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=_sign(payload)
    )


def _paid_trial(api, product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    body = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": "stripe"}).json()
    intent_id = body["payment"]["client_secret"].split("_secret_")[0]
    _card_pays(intent_id)
    wait_until(lambda: TrialOrder.objects.get(pk=trial.pk).status == "paid", message="no webhook arrived")
    return trial, intent_id


def test_pay_a_trial_end_to_end_through_the_signed_webhook(stripe_live, api, product, buyer):
    # given: an accepted trial of 10 × ¥6.18
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    # when: the buyer asks to pay by card
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": "stripe"})
    # then: one PaymentIntent for ¥61.80, sent as 6180 fen in CNY
    assert response.status_code == 200
    payment = Payment.objects.get(trial=trial)
    intent = stripe_client().v1.payment_intents.retrieve(payment.provider_reference)
    assert (intent.amount, intent.currency, intent.metadata["payment_id"]) == (6180, "cny", str(payment.pk))
    assert response.json()["payment"]["client_secret"] == intent.client_secret
    assert response.json()["trial"]["status"] == "accepted"
    # and asking again reuses it (no second intent)
    again = api.post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": "stripe"}).json()
    assert again["payment"]["id"] == payment.pk
    # when: the card is charged; localstripe sends payment_intent.succeeded to our webhook
    _card_pays(intent.id)
    # then
    wait_until(lambda: TrialOrder.objects.get(pk=trial.pk).status == "paid", message="no webhook arrived")
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert list(StripeEvent.objects.values_list("type", "outcome")) == [("payment_intent.succeeded", "paid")]


def test_same_webhook_five_times_changes_state_once(stripe_live, api, client, product, buyer):
    # given: a trial paid through the real webhook
    trial, intent_id = _paid_trial(api, product, buyer)
    original = stripe_client().v1.events.list(params={"type": "payment_intent.succeeded"}).data
    event = next(e for e in original if e.data.object.id == intent_id).to_dict()
    # when: Stripe delivers it again, five times
    responses = [_deliver(client, event) for _ in range(5)]
    # then
    assert [(r.status_code, r.json()) for r in responses] == [(200, {"outcome": "duplicate"})] * 5
    assert StripeEvent.objects.filter(event_id=event["id"]).count() == 1
    assert Event.objects.filter(verb="trial.paid", target_id=trial.pk).count() == 1
    assert Event.objects.filter(verb="payment.succeeded").count() == 1
    assert Payment.objects.get(trial=trial).status == "succeeded"


def test_older_event_after_newer_never_moves_back(stripe_live, api, client, product, buyer):
    # given: a paid trial, and an older failure event for the same intent arriving late
    trial, intent_id = _paid_trial(api, product, buyer)
    succeeded = StripeEvent.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(intent_id).to_dict()
    older = {
        "id": "evt_older_failure",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "created": int(succeeded.created.timestamp()) - 30,
        "data": {"object": {**intent, "status": "requires_payment_method"}},
        "livemode": False,
        "api_version": "2017-08-15",
    }
    # when
    response = _deliver(client, older)
    # then
    assert (response.status_code, response.json()) == (200, {"outcome": "stale"})
    payment = Payment.objects.get(trial=trial)
    assert payment.status == "succeeded"
    assert TrialOrder.objects.get(pk=trial.pk).status == "paid"
    assert Event.objects.filter(verb="payment.failed").count() == 0


def test_bad_signature_is_refused(stripe_live, client, product, buyer):
    payload = json.dumps({"id": "evt_x", "type": "payment_intent.succeeded"}).encode()
    response = client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=bad"
    )
    assert (response.status_code, response.json()) == (400, {"detail": "Invalid signature."})
    assert StripeEvent.objects.count() == 0


def test_wrong_amount_does_not_mark_paid(stripe_live, api, client, product, buyer):
    # given
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": "stripe"})
    payment = Payment.objects.get(trial=trial)
    intent = stripe_client().v1.payment_intents.retrieve(payment.provider_reference).to_dict()
    event = {
        "id": "evt_short",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": {**intent, "amount": 618, "status": "succeeded"}},
    }
    # when
    response = _deliver(client, event)
    # then
    assert response.json() == {"outcome": "amount_mismatch"}
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert TrialOrder.objects.get(pk=trial.pk).status == "accepted"


def test_stripe_error_leaves_no_payment(settings, api, product, buyer, db):
    # given: Stripe unreachable
    settings.STRIPE_API_KEY = "sk_test_yuantou"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    trial = trial_at("accepted", product=product, buyer=buyer)
    # when
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": "stripe"})
    # then
    assert (response.status_code, response.json()) == (
        503,
        {"detail": "The payment service is unavailable right now; please try again in a moment."},
    )
    assert Payment.objects.count() == 0
    assert TrialOrder.objects.get(pk=trial.pk).status == "accepted"


def test_card_payments_need_stripe_configured(settings, api, product, buyer, db):
    settings.STRIPE_API_KEY = ""
    trial = trial_at("accepted", product=product, buyer=buyer)
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": "stripe"})
    assert (response.status_code, response.json()) == (
        400,
        {"provider": ["Card payments are not available here; choose bank_transfer."]},
    )
    assert Payment.objects.count() == 0
