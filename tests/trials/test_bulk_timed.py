"""Bulk orders left waiting: lapse, complete by themselves, and reminders once per step, through
the beat task functions with a frozen clock; and the deposit paid by card through localstripe."""

from datetime import timedelta

import pytest
import time_machine

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests.trials.conftest import bulk_at
from tests.trials.test_stripe import _card_pays
from tests.trials.test_timed import T0
from tests.waiting import wait_until
from trials import tasks
from trials.models import BulkOrder, Payment
from trials.payments.stripe_provider import stripe_client
from trials.services import bulk as bulk_service
from trials.services.payments import bulk_payment_start


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _status(order):
    return BulkOrder.objects.values_list("status", flat=True).get(pk=order.pk)


def test_an_unconfirmed_order_lapses_after_7_days(clock, product, buyer):
    order = bulk_at("placed", product=product, buyer=buyer)
    clock.move_to(T0 + timedelta(days=7) - timedelta(seconds=1))
    assert tasks.bulk_orders_timed_transitions() == 0
    clock.move_to(T0 + timedelta(days=7))
    assert tasks.bulk_orders_timed_transitions() == 1
    assert _status(order) == "cancelled"
    assert Event.objects.get(verb="bulk.lapsed", target_id=order.pk).actor is None
    for user in (buyer.user, product.factory.owner):
        assert Notification.objects.filter(recipient=user, kind="bulk.lapsed").count() == 1
    assert tasks.bulk_orders_timed_transitions() == 0


def test_an_unpaid_confirmed_order_lapses_14_days_after_confirmation_and_voids_its_attempt(
    clock, product, buyer
):
    order = bulk_at("placed", product=product, buyer=buyer)
    clock.move_to(T0 + timedelta(days=6))
    bulk_service.bulk_confirm(
        bulk=order, actor=product.factory.owner, delivery_date=(T0 + timedelta(days=40)).date()
    )
    payment = bulk_payment_start(bulk=order, actor=buyer.user, provider="bank_transfer")
    clock.move_to(T0 + timedelta(days=6 + 14) - timedelta(seconds=1))
    assert tasks.bulk_orders_timed_transitions() == 0
    clock.move_to(T0 + timedelta(days=6 + 14))
    assert tasks.bulk_orders_timed_transitions() == 1
    assert _status(order) == "cancelled"
    assert Payment.objects.get(pk=payment.pk).status == "canceled"


def test_a_paid_order_completes_7_days_after_the_balance(clock, product, buyer):
    order = bulk_at("balance_paid", product=product, buyer=buyer)
    clock.move_to(T0 + timedelta(days=7) - timedelta(seconds=1))
    assert tasks.bulk_orders_timed_transitions() == 0
    clock.move_to(T0 + timedelta(days=7))
    assert tasks.bulk_orders_timed_transitions() == 1
    assert _status(order) == "completed"


@pytest.mark.parametrize(
    ("status", "wait", "party", "kind"),
    [
        ("placed", timedelta(hours=48), "factory", "bulk.remind.placed"),
        ("confirmed", timedelta(days=3), "buyer", "bulk.remind.confirmed"),
        ("shipped", timedelta(days=10), "buyer", "bulk.remind.shipped"),
        ("received", timedelta(days=3), "buyer", "bulk.remind.received"),
    ],
)
def test_each_waiting_step_reminds_its_side_once(clock, product, buyer, status, wait, party, kind):
    bulk_at(status, product=product, buyer=buyer)
    recipient = buyer.user if party == "buyer" else product.factory.owner
    other = product.factory.owner if party == "buyer" else buyer.user
    clock.move_to(T0 + wait - timedelta(seconds=1))
    assert tasks.bulk_orders_send_reminders() == 0
    clock.move_to(T0 + wait)
    assert tasks.bulk_orders_send_reminders() == 1
    assert tasks.bulk_orders_send_reminders() == 0
    assert Notification.objects.filter(recipient=recipient, kind=kind).count() == 1
    assert not Notification.objects.filter(recipient=other, kind=kind).exists()


def test_a_passed_delivery_date_reminds_the_factory_the_day_after(clock, product, buyer):
    order = bulk_at("in_production", product=product, buyer=buyer)
    promised = order.delivery_date  # 30 days after T0 (bulk_at)
    clock.move_to(T0.replace(hour=23, minute=59) + (promised - T0.date()))
    assert tasks.bulk_orders_send_reminders() == 0  # still the promised day
    clock.move_to(T0.replace(hour=0, minute=1) + (promised - T0.date()) + timedelta(days=1))
    assert tasks.bulk_orders_send_reminders() == 1
    assert (
        Notification.objects.filter(recipient=product.factory.owner, kind="bulk.remind.in_production").count()
        == 1
    )


def test_reminded_in_one_step_is_reminded_again_in_the_next(clock, product, buyer):
    order = bulk_at("placed", product=product, buyer=buyer)
    clock.move_to(T0 + timedelta(hours=48))
    assert tasks.bulk_orders_send_reminders() == 1
    bulk_service.bulk_confirm(
        bulk=order, actor=product.factory.owner, delivery_date=(T0 + timedelta(days=40)).date()
    )
    clock.move_to(T0 + timedelta(hours=48) + timedelta(days=3))
    assert tasks.bulk_orders_send_reminders() == 1
    assert Notification.objects.filter(recipient=buyer.user, kind="bulk.remind.confirmed").count() == 1


def test_the_deposit_paid_by_card_moves_the_order_through_the_signed_webhook(
    stripe_live, api, product, buyer
):
    # given: a confirmed order of 200 × ¥12.35 = ¥2,470.00, 30% deposit ¥741.00
    order = bulk_at("confirmed", product=product, buyer=buyer)
    # when
    response = api.as_user(buyer.user).post(f"/api/v1/bulk-orders/{order.pk}/pay/", {"provider": "stripe"})
    # then: one PaymentIntent of 74,100 fen in CNY, for the deposit
    assert response.status_code == 200, response.json()
    payment = Payment.objects.get(bulk_order=order)
    intent = stripe_client().v1.payment_intents.retrieve(payment.provider_reference)
    assert (intent.amount, intent.currency, intent.metadata["purpose"], intent.metadata["bulk_order_id"]) == (
        74100,
        "cny",
        "deposit",
        str(order.pk),
    )
    # when: the card is charged and localstripe calls our webhook
    _card_pays(intent.id)
    # then
    wait_until(lambda: _status(order) == "deposit_paid", message="no webhook arrived")
    assert Payment.objects.get(pk=payment.pk).status == "succeeded"
