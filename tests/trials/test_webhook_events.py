"""Stripe events in every order, signed like Stripe signs them (no network needed here)."""

import hashlib
import hmac
import json
import time

import pytest

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests.trials.conftest import WEBHOOK_SECRET, trial_at
from trials.models import Payment, StripeEvent, TrialOrder

WEBHOOK = "/api/v1/payments/stripe/webhook/"


@pytest.fixture
def payment(settings, product, buyer):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    return Payment.objects.create(
        trial=trial,
        provider="stripe",
        idempotency_key=f"trial-{trial.pk}-attempt-1",
        amount=trial.total,
        provider_reference="pi_test_123",
        client_secret="pi_test_123_secret_x",
    )


def _event(n, kind, created, amount=6180):
    return {
        "id": f"evt_{n}",
        "object": "event",
        "type": kind,
        "created": created,
        "data": {
            "object": {"id": "pi_test_123", "object": "payment_intent", "amount": amount, "currency": "cny"}
        },
    }


def _deliver(client, event):
    payload = json.dumps(event).encode()
    ts = int(time.time())
    sig = hmac.new(WEBHOOK_SECRET.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    response = client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=f"t={ts},v1={sig}"
    )
    assert response.status_code == 200
    return response.json()["outcome"]


def test_processing_failed_then_succeeded(client, payment):
    now = int(time.time())
    assert _deliver(client, _event(1, "payment_intent.processing", now - 30)) == "process"
    assert _deliver(client, _event(2, "payment_intent.payment_failed", now - 20)) == "fail"
    payment.refresh_from_db()
    assert payment.status == "failed"
    assert Notification.objects.filter(recipient=payment.trial.buyer.user, kind="payment.failed").count() == 1
    # the buyer retries the same intent with another card
    assert _deliver(client, _event(3, "payment_intent.succeeded", now - 10)) == "paid"
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert TrialOrder.objects.get(pk=payment.trial_id).status == "paid"


def test_late_processing_after_failure_is_stale(client, payment):
    now = int(time.time())
    assert _deliver(client, _event(2, "payment_intent.payment_failed", now - 10)) == "fail"
    assert _deliver(client, _event(1, "payment_intent.processing", now - 30)) == "stale"
    payment.refresh_from_db()
    assert payment.status == "failed"


def test_success_then_anything_is_stale(client, payment):
    now = int(time.time())
    assert _deliver(client, _event(1, "payment_intent.succeeded", now - 30)) == "paid"
    for n, kind in enumerate(
        ["payment_intent.processing", "payment_intent.payment_failed", "payment_intent.canceled"], 2
    ):
        assert _deliver(client, _event(n, kind, now)) == "stale"
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert list(StripeEvent.objects.order_by("received_at").values_list("outcome", flat=True)) == [
        "paid",
        "stale",
        "stale",
        "stale",
    ]


def test_unknown_intent_and_other_event_types(client, payment):
    event = _event(1, "payment_intent.succeeded", int(time.time()))
    event["data"]["object"]["id"] = "pi_someone_else"
    assert _deliver(client, event) == "unknown_payment"
    assert _deliver(client, _event(2, "customer.created", int(time.time()))) == "ignored"
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_success_after_the_trial_was_cancelled_is_flagged_for_refund(client, payment, buyer):
    # given: the buyer cancelled (the intent's cancel may race with a card already charged)
    from trials.services.trials import trial_cancel

    trial_cancel(trial=payment.trial, actor=buyer.user)
    payment.refresh_from_db()
    assert payment.status == "canceled"
    # when: a success event arrives anyway
    outcome = _deliver(client, _event(1, "payment_intent.succeeded", int(time.time())))
    # then: the trial stays cancelled and staff see a refund to make
    assert outcome == "needs_refund"
    assert TrialOrder.objects.get(pk=payment.trial_id).status == "cancelled"
    assert Event.objects.filter(verb="payment.needs_refund", target_id=payment.trial_id).count() == 1
    # and the refund is owed: a pending Refund and its outbox row (Stripe is called after commit;
    # tests/trials/test_refunds.py follows it through localstripe)
    from marketplace.core.models import OutboxMessage
    from trials.models import Refund

    refund = Refund.objects.get(payment=payment)
    assert (refund.status, refund.amount) == ("pending", payment.amount)
    assert list(OutboxMessage.objects.filter(topic="payment.refund").values_list("payload", flat=True)) == [
        {"refund_id": refund.pk}
    ]
