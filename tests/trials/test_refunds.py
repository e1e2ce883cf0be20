"""Refunds through a real localstripe: a card charged before our void reached Stripe, whose
`payment_intent.succeeded` arrives after the buyer cancelled, is refunded once through the Refund
API by the outbox — never twice, whatever is delivered or relayed again — and a bank transfer
that arrives for a cancelled trial becomes a refund due for staff to settle."""

import urllib.parse
import urllib.request

import pytest

from marketplace.core.models import Event, OutboxMessage
from marketplace.core.outbox import outbox_relay, outbox_retry_now
from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import WEBHOOK_SECRET, trial_at
from tests.trials.test_stripe import _card_pays, _deliver
from tests.waiting import wait_until
from trials.models import Payment, Refund, StripeEvent, TrialOrder
from trials.payments.stripe_provider import StripeProvider, stripe_client
from trials.services import payments, refunds, trials
from trials.services.refunds import PAYMENT_REFUND_TOPIC

pytestmark = pytest.mark.django_db(transaction=True)

STRIPE_DOWN = "http://127.0.0.1:1"  # nothing listens on port 1: connection refused


@pytest.fixture
def stripe_by_hand(stripe_live):
    """localstripe's own webhook deliveries go nowhere: each test delivers the events itself, so
    it decides when a `payment_intent.succeeded` arrives (after the cancel) and how often."""
    data = urllib.parse.urlencode({"url": f"{STRIPE_DOWN}/", "secret": WEBHOOK_SECRET}).encode()
    urllib.request.urlopen(f"{stripe_live}/_config/webhooks/yuantou", data=data, timeout=5)  # noqa: S310
    return stripe_live


def _succeeded_event(intent_id: str) -> dict:
    events = stripe_client().v1.events.list(params={"type": "payment_intent.succeeded", "limit": 100}).data
    return next(e for e in events if e.data.object.id == intent_id).to_dict()


def _stripe_refunds(intent_id: str) -> list:
    return stripe_client().v1.refunds.list(params={"payment_intent": intent_id}).data


def _charged_then_cancelled(api, product, buyer):
    """The buyer's card is charged; the buyer cancels before Stripe's webhook reaches us."""
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    body = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": "stripe"}).json()
    intent_id = body["payment"]["client_secret"].split("_secret_")[0]
    _card_pays(intent_id)
    trials.trial_cancel(trial=trial, actor=buyer.user)  # our void comes too late at Stripe
    payment = Payment.objects.get(trial=trial)
    assert payment.status == "canceled"
    return trial, payment, _succeeded_event(intent_id)


def test_success_after_cancel_is_refunded_once_and_both_parties_told(
    stripe_by_hand, api, client, product, buyer
):
    trial, payment, event = _charged_then_cancelled(api, product, buyer)
    assert _stripe_refunds(payment.provider_reference) == []
    # when: the success arrives after the cancel
    response = _deliver(client, event)
    # then: one refund of the full 6180 fen at Stripe, recorded, the payment refunded
    assert (response.status_code, response.json()) == (200, {"outcome": "needs_refund"})
    made = _stripe_refunds(payment.provider_reference)
    assert [(r.amount, r.currency, r.status) for r in made] == [(6180, "cny", "succeeded")]
    refund = Refund.objects.get()
    assert (refund.payment_id, refund.status, refund.provider_reference) == (
        payment.pk,
        "succeeded",
        made[0].id,
    )
    assert made[0].metadata["idempotency_key"] == refund.idempotency_key
    payment.refresh_from_db()
    assert payment.status == "refunded"
    assert TrialOrder.objects.get(pk=trial.pk).status == "cancelled"
    assert Event.objects.filter(verb="payment.refunded", target_id=payment.pk).count() == 1
    assert not OutboxMessage.objects.filter(topic=PAYMENT_REFUND_TOPIC, delivered_at__isnull=True).exists()
    # and both parties are told, once each
    recipients = sorted(
        Notification.objects.filter(kind="payment.refunded").values_list("recipient_id", flat=True)
    )
    assert recipients == sorted([trial.buyer.user_id, trial.factory.owner_id])
    # when: Stripe delivers the webhook again, and the relay runs twice
    again = _deliver(client, event)
    assert outbox_relay() == 0
    assert outbox_relay() == 0
    # then: nothing more
    assert again.json() == {"outcome": "duplicate"}
    assert len(_stripe_refunds(payment.provider_reference)) == 1
    assert Refund.objects.count() == 1
    assert Notification.objects.filter(kind="payment.refunded").count() == 2
    assert refunds.refund_at_provider(refund_id=refund.pk) is False  # a late second delivery


def test_same_success_under_another_event_id_still_one_refund(stripe_by_hand, api, client, product, buyer):
    # Stripe may send a second, distinct event for the same charge: one refund per payment.
    _trial, payment, event = _charged_then_cancelled(api, product, buyer)
    _deliver(client, event)
    second = {**event, "id": event["id"] + "_again"}
    assert _deliver(client, second).json() == {"outcome": "stale"}
    assert len(_stripe_refunds(payment.provider_reference)) == 1
    assert Refund.objects.count() == 1
    assert list(StripeEvent.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "needs_refund",
        "stale",
    ]


def test_stripe_down_at_refund_time_keeps_it_pending_for_the_relay(
    stripe_by_hand, settings, api, client, product, buyer
):
    _trial, payment, event = _charged_then_cancelled(api, product, buyer)
    # when: Stripe is unreachable as the success arrives
    settings.STRIPE_API_BASE = STRIPE_DOWN
    response = _deliver(client, event)
    # then: the webhook is still answered, the refund is owed and waits in the outbox
    assert (response.status_code, response.json()) == (200, {"outcome": "needs_refund"})
    assert Refund.objects.get().status == "pending"
    assert Payment.objects.get(pk=payment.pk).status == "canceled"
    assert OutboxMessage.objects.filter(topic=PAYMENT_REFUND_TOPIC, delivered_at__isnull=True).count() == 1
    assert Notification.objects.filter(kind="payment.refunded").count() == 0
    # a relay while Stripe is still down delivers nothing and backs off
    assert outbox_relay() == 0
    settings.STRIPE_API_BASE = stripe_by_hand
    assert _stripe_refunds(payment.provider_reference) == []
    # staff's "retry now" in the outbox admin (otherwise the relay backs off for 60 s)
    outbox_retry_now(
        ids=list(OutboxMessage.objects.filter(topic=PAYMENT_REFUND_TOPIC).values_list("pk", flat=True))
    )
    # when: Stripe is back and the relay runs (twice)
    assert outbox_relay() == 1
    assert outbox_relay() == 0
    # then: exactly one refund
    assert len(_stripe_refunds(payment.provider_reference)) == 1
    assert Refund.objects.get().status == "succeeded"
    assert Payment.objects.get(pk=payment.pk).status == "refunded"
    assert Notification.objects.filter(kind="payment.refunded").count() == 2


def test_refund_made_just_before_a_crash_is_adopted_not_repeated(
    stripe_by_hand, settings, api, client, product, buyer
):
    # given: the refund is owed (Stripe down at first), then a worker refunded at Stripe and died
    # before its transaction committed
    _trial, payment, event = _charged_then_cancelled(api, product, buyer)
    settings.STRIPE_API_BASE = STRIPE_DOWN
    _deliver(client, event)
    settings.STRIPE_API_BASE = stripe_by_hand
    refund = Refund.objects.get()
    first = StripeProvider().refund(payment, refund)
    # when: the relay delivers the row again
    assert outbox_relay() == 1
    # then: it found that refund by our key instead of making a second one
    assert [r.id for r in _stripe_refunds(payment.provider_reference)] == [first]
    assert Refund.objects.get().provider_reference == first


def test_normal_success_is_not_refunded(stripe_by_hand, api, client, product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    body = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": "stripe"}).json()
    intent_id = body["payment"]["client_secret"].split("_secret_")[0]
    _card_pays(intent_id)
    assert _deliver(client, _succeeded_event(intent_id)).json() == {"outcome": "paid"}
    outbox_relay()
    assert TrialOrder.objects.get(pk=trial.pk).status == "paid"
    assert Payment.objects.get(trial=trial).status == "succeeded"
    assert _stripe_refunds(intent_id) == []
    assert Refund.objects.count() == 0
    assert not OutboxMessage.objects.filter(topic=PAYMENT_REFUND_TOPIC).exists()
    assert Notification.objects.filter(kind="payment.refunded").count() == 0


def test_bank_transfer_for_a_cancelled_trial_is_due_then_settled_by_staff(product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    payment = payments.payment_start(trial=trial, actor=buyer.user, provider="bank_transfer")
    trials.trial_cancel(trial=trial, actor=buyer.user)
    staff = makers.StaffUserMaker()
    # when: the transfer shows up on the statement anyway and staff confirm it
    payments.payment_confirm_received(payment=Payment.objects.get(pk=payment.pk), actor=staff)
    # then: a refund is due (no API for a bank), the buyer is told, nothing in the outbox
    refund = Refund.objects.get()
    assert (refund.status, refund.amount, refund.payment_id) == ("due", trial.total, payment.pk)
    assert Payment.objects.get(pk=payment.pk).status == "canceled"
    assert TrialOrder.objects.get(pk=trial.pk).status == "cancelled"
    assert Notification.objects.filter(kind="payment.refund_due", recipient=buyer.user).count() == 1
    assert not OutboxMessage.objects.filter(topic=PAYMENT_REFUND_TOPIC).exists()
    # confirming again changes nothing
    payments.payment_confirm_received(payment=Payment.objects.get(pk=payment.pk), actor=staff)
    assert Refund.objects.count() == 1
    assert Notification.objects.filter(kind="payment.refund_due").count() == 1
    # when: staff paid it back and record the bank reference
    refunds.refund_mark_settled(refund=refund, actor=staff, reference="ICBC 20261203 0042")
    refund.refresh_from_db()
    assert (refund.status, refund.reference, refund.refunded_by_id) == (
        "succeeded",
        "ICBC 20261203 0042",
        staff.pk,
    )
    assert Payment.objects.get(pk=payment.pk).status == "refunded"
    recipients = sorted(
        Notification.objects.filter(kind="payment.refunded").values_list("recipient_id", flat=True)
    )
    assert recipients == sorted([buyer.user_id, product.factory.owner_id])


@pytest.mark.async_worker
def test_a_real_worker_refunds_once(stripe_by_hand, live_celery_worker, api, client, product, buyer):
    # given: the success arrives after the cancel; the refund task goes to a real worker on Redis
    _trial, payment, event = _charged_then_cancelled(api, product, buyer)
    assert _deliver(client, event).json() == {"outcome": "needs_refund"}
    # then: the worker refunds it; a relay running meanwhile (it may still find the e-mails the
    # worker has not sent yet) does not refund again
    wait_until(lambda: Refund.objects.filter(status="succeeded").exists(), message="no refund")
    outbox_relay()
    assert len(_stripe_refunds(payment.provider_reference)) == 1
    assert Payment.objects.get(pk=payment.pk).status == "refunded"
    assert OutboxMessage.objects.get(topic=PAYMENT_REFUND_TOPIC).delivered_at is not None
