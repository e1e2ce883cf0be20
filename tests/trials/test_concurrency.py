"""Races on real PostgreSQL with real threads: the unique index and row locks decide, not luck."""

import hashlib
import hmac
import json
import time

import pytest
from django.test import Client as DjangoClient
from django.utils import translation

from marketplace.core.models import Event
from tests.concurrency import race
from tests.conftest import Client
from tests.trials.conftest import WEBHOOK_SECRET, trial_at
from trials.models import Payment, Refund, TrialOrder
from trials.services.payments import payment_start

pytestmark = pytest.mark.django_db(transaction=True)


def _post(user, url, data=None):
    def call():
        response = Client().as_user(user).post(url, data or {})
        return response.status_code, response.json()

    return call


def test_twenty_identical_trial_requests_make_one_trial(product, buyer):
    # when
    results = race(*[_post(buyer.user, "/api/v1/trials/", {"product": product.pk, "quantity": 5})] * 20)
    # then
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [400] * 19
    assert {str(body) for code, body in results if code == 400} == {
        str({"detail": "You already have an open trial of this product."})
    }
    assert TrialOrder.objects.count() == 1
    assert Event.objects.filter(verb="trial.requested").count() == 1


def test_accept_and_cancel_at_once_are_serialized(product, buyer):
    """docs/api.md allows cancel from requested and from accepted, so the order decides: cancel first
    → accept gets 409; accept first → the cancel applies to the accepted trial. Never both 409,
    never a lost update, and the audit trail shows the order that happened."""
    outcomes = set()
    for _ in range(6):
        trial = trial_at("requested", product=product, buyer=buyer)
        accept, cancel = race(
            _post(product.factory.owner, f"/api/v1/trials/{trial.pk}/accept/"),
            _post(buyer.user, f"/api/v1/trials/{trial.pk}/cancel/"),
        )
        trial.refresh_from_db()
        assert trial.status == "cancelled"
        assert cancel[0] == 200
        verbs = list(
            Event.objects.filter(target_id=trial.pk, verb__in=["trial.accepted", "trial.cancelled"])
            .order_by("id")
            .values_list("verb", flat=True)
        )
        if accept[0] == 409:
            assert accept[1] == {"detail": "Cannot accept: it is cancelled."}
            assert verbs == ["trial.cancelled"]
        else:
            assert accept[0] == 200
            assert verbs == ["trial.accepted", "trial.cancelled"]
        outcomes.add(accept[0])
    assert outcomes <= {200, 409}


def test_accept_and_decline_at_once_one_wins(product, buyer):
    # given
    trial = trial_at("requested", product=product, buyer=buyer)
    owner = product.factory.owner
    # when
    accept, decline = race(
        _post(owner, f"/api/v1/trials/{trial.pk}/accept/"),
        _post(owner, f"/api/v1/trials/{trial.pk}/decline/"),
    )
    # then
    assert sorted([accept[0], decline[0]]) == [200, 409]
    trial.refresh_from_db()
    loser = decline if accept[0] == 200 else accept
    action = "decline" if accept[0] == 200 else "accept"
    with translation.override("en"):
        assert loser[1] == {"detail": f"Cannot {action}: it is {trial.get_status_display()}."}
    assert (
        Event.objects.filter(target_id=trial.pk, verb__in=["trial.accepted", "trial.declined"]).count() == 1
    )


def test_cancel_and_payment_confirmation_at_once_one_wins(product, buyer, staff):
    # given: an accepted trial with a bank transfer awaiting confirmation
    trial = trial_at("accepted", product=product, buyer=buyer)
    payment = payment_start(trial=trial, actor=buyer.user, provider="bank_transfer")
    # when: the buyer cancels while staff mark the transfer received
    cancel, confirm = race(
        _post(buyer.user, f"/api/v1/trials/{trial.pk}/cancel/"),
        _post(staff, f"/api/v1/payments/{payment.pk}/confirm/"),
    )
    # then: exactly one of them happened; a transfer confirmed after the cancel is owed back
    trial.refresh_from_db()
    payment.refresh_from_db()
    if trial.status == "cancelled":
        assert (cancel[0], confirm[0]) == (200, 200)
        assert payment.status == "canceled"
        assert list(Refund.objects.filter(payment=payment).values_list("status", "amount")) == [
            ("due", payment.amount)
        ]
    else:
        assert confirm[0] == 200 and cancel[0] == 409
        assert not Refund.objects.filter(payment=payment).exists()
        assert (trial.status, payment.status) == ("paid", "succeeded")
        assert cancel[1] == {"detail": "Cannot cancel: it is paid."}


def test_parallel_pay_makes_one_attempt(product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer)
    results = race(*[_post(buyer.user, f"/api/v1/trials/{trial.pk}/pay/", {"provider": "bank_transfer"})] * 5)
    assert [code for code, _ in results] == [200] * 5
    assert len({body["payment"]["id"] for _, body in results}) == 1
    assert Payment.objects.count() == 1


def test_same_webhook_five_times_at_once_applies_once(settings, product, buyer):
    # given
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    Payment.objects.create(
        trial=trial, provider="stripe", idempotency_key="k1", amount=trial.total, provider_reference="pi_race"
    )
    payload = json.dumps(
        {
            "id": "evt_race",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {
                "object": {"id": "pi_race", "object": "payment_intent", "amount": 6180, "currency": "cny"}
            },
        }
    ).encode()
    ts = int(time.time())
    sig = hmac.new(WEBHOOK_SECRET.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()

    def deliver():
        response = DjangoClient().post(
            "/api/v1/payments/stripe/webhook/",
            data=payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=f"t={ts},v1={sig}",
        )
        return response.status_code, response.json()["outcome"]

    # when
    results = race(*[deliver] * 5)
    # then
    assert sorted(results) == [(200, "duplicate")] * 4 + [(200, "paid")]
    assert Event.objects.filter(verb="trial.paid", target_id=trial.pk).count() == 1
    trial.refresh_from_db()
    assert trial.status == "paid"
