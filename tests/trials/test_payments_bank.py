"""Bank transfer (对公转账): instructions with a reference, staff mark it received; only that
confirmation moves the trial to paid."""

import pytest

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import snapshot, trial_at
from trials.models import Payment


def _pay(api, user, trial, provider="bank_transfer"):
    return api.as_user(user).post(f"/api/v1/trials/{trial.pk}/pay/", {"provider": provider})


def test_pay_by_bank_transfer_gives_instructions(api, product, buyer):
    # given
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    # when
    response = _pay(api, buyer.user, trial)
    # then
    assert response.status_code == 200
    payment = response.json()["payment"]
    assert (payment["provider"], payment["status"], payment["amount"], payment["client_secret"]) == (
        "bank_transfer",
        "pending",
        "61.80",
        None,
    )
    assert payment["instructions"]["reference"] == f"YT{trial.pk:06d}-1"
    assert payment["instructions"]["amount"] == "61.80"
    assert response.json()["trial"]["status"] == "accepted"  # not paid until the money arrives
    assert Notification.objects.filter(recipient=buyer.user, kind="payment.instructions").count() == 1


def test_paying_again_returns_the_same_attempt(api, product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer)
    first = _pay(api, buyer.user, trial).json()["payment"]
    second = _pay(api, buyer.user, trial).json()["payment"]
    assert first["id"] == second["id"]
    assert Payment.objects.count() == 1


def test_pay_refusals(api, product, buyer):
    # given
    requested = trial_at("requested", product=product, buyer=buyer)
    accepted = trial_at("accepted", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    before = snapshot(accepted)
    # wrong role
    response = _pay(api, product.factory.owner, accepted)
    assert (response.status_code, response.json()) == (403, {"detail": "You are not allowed to pay this."})
    # someone else's
    assert _pay(api, makers.BuyerMaker().user, accepted).status_code == 404
    # wrong state
    response = _pay(api, buyer.user, requested)
    assert (response.status_code, response.json()) == (409, {"detail": "Cannot pay: it is requested."})
    # unknown provider
    response = _pay(api, buyer.user, accepted, provider="alipay")
    assert (response.status_code, response.json()) == (400, {"provider": ['"alipay" is not a valid choice.']})
    assert snapshot(accepted) == before
    assert Payment.objects.count() == 0


def test_staff_confirm_received_marks_the_trial_paid(api, product, buyer, staff):
    # given
    trial = trial_at("accepted", product=product, buyer=buyer)
    payment_id = _pay(api, buyer.user, trial).json()["payment"]["id"]
    # when
    response = api.as_user(staff).post(f"/api/v1/payments/{payment_id}/confirm/")
    # then
    assert (response.status_code, response.json()["status"]) == (200, "succeeded")
    trial.refresh_from_db()
    assert trial.status == "paid"
    assert trial.paid_at is not None
    assert Notification.objects.filter(recipient=product.factory.owner, kind="trial.paid").count() == 1
    assert Notification.objects.filter(recipient=buyer.user, kind="trial.paid").count() == 1
    # confirming again changes nothing
    before = snapshot(trial)
    response = api.post(f"/api/v1/payments/{payment_id}/confirm/")
    assert (response.status_code, response.json()) == (409, {"detail": "Cannot confirm: it is succeeded."})
    assert snapshot(trial) == before


@pytest.mark.parametrize("who", ["buyer", "factory"])
def test_only_staff_confirm(api, product, buyer, who):
    trial = trial_at("accepted", product=product, buyer=buyer)
    payment_id = _pay(api, buyer.user, trial).json()["payment"]["id"]
    user = buyer.user if who == "buyer" else product.factory.owner
    response = api.as_user(user).post(f"/api/v1/payments/{payment_id}/confirm/")
    assert (response.status_code, response.json()) == (403, {"detail": "Only staff can do this."})
    assert Payment.objects.get(pk=payment_id).status == "pending"


def test_cancel_voids_the_pending_transfer(api, product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer)
    payment_id = _pay(api, buyer.user, trial).json()["payment"]["id"]
    assert api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/cancel/").status_code == 200
    assert Payment.objects.get(pk=payment_id).status == "canceled"
    assert Event.objects.filter(verb="payment.cancelled").count() == 1


def test_admin_action_marks_transfer_received(client, product, buyer, staff):
    # given
    trial = trial_at("accepted", product=product, buyer=buyer)
    from trials.services.payments import payment_start

    payment = payment_start(trial=trial, actor=buyer.user, provider="bank_transfer")
    client.force_login(staff)
    # when
    response = client.post(
        "/admin/trials/payment/",
        {"action": "mark_received", "_selected_action": [payment.pk]},
        follow=True,
    )
    # then
    assert response.status_code == 200
    payment.refresh_from_db()
    trial.refresh_from_db()
    assert (payment.status, trial.status) == ("succeeded", "paid")


def _stripe_payment(trial, status="pending"):
    return Payment.objects.create(
        trial=trial,
        provider="stripe",
        status=status,
        idempotency_key=f"trial-{trial.pk}-attempt-1",
        amount=trial.total,
        provider_reference=f"pi_{trial.pk}",
    )


def test_staff_cannot_confirm_a_card_payment(api, product, buyer, staff):
    trial = trial_at("accepted", product=product, buyer=buyer)
    payment = _stripe_payment(trial)
    before = snapshot(trial)
    response = api.as_user(staff).post(f"/api/v1/payments/{payment.pk}/confirm/")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Only bank transfers are confirmed by staff; card payments are confirmed by Stripe."},
    )
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    assert snapshot(trial) == before


def test_cannot_cancel_while_a_payment_is_processing(api, product, buyer):
    # given
    trial = trial_at("accepted", product=product, buyer=buyer)
    payment = _stripe_payment(trial, status="processing")
    before = snapshot(trial)
    # when
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/cancel/")
    # then
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "A payment for this order is being processed; it can no longer be cancelled."},
    )
    assert snapshot(trial) == before
    assert Payment.objects.get(pk=payment.pk).status == "processing"


def test_switching_provider_voids_the_live_attempt(api, product, buyer):
    # given: a card attempt still waiting for the buyer's card
    trial = trial_at("accepted", product=product, buyer=buyer)
    card = _stripe_payment(trial)
    # when: the buyer prefers a bank transfer
    response = _pay(api, buyer.user, trial)
    # then: one live attempt, the transfer; the card attempt is void
    assert (response.status_code, response.json()["payment"]["attempt"]) == (200, 2)
    assert Payment.objects.get(pk=card.pk).status == "canceled"
    assert list(Payment.objects.filter(status="pending").values_list("provider", flat=True)) == [
        "bank_transfer"
    ]


def test_no_switch_while_a_card_payment_is_processing(api, product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer)
    _stripe_payment(trial, status="processing")
    response = _pay(api, buyer.user, trial)
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "A payment for this order is being processed; wait for its result."},
    )
    assert Payment.objects.count() == 1
