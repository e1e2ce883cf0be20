"""大货 from conversion to completion: money exact to the fen (deposit + balance = total, with
volume tiers), both payment providers, cancel and dispute paths with their refunds, one order
from twenty parallel conversions, ordering straight from a quote, and the factory's deposit share."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers
from tests.concurrency import race
from tests.conftest import Client
from tests.trials.conftest import bulk_at, mask_request, quote_from, snapshot, trial_at
from trials.models import BulkOrder, CustomRequest, Payment, Quote, Refund
from trials.services.bulk import bulk_split

TIERS = [{"min_quantity": 500, "unit_price": "10.50"}, {"min_quantity": 2000, "unit_price": "9.80"}]


def _fen(amount: Decimal) -> int:
    return int(amount * 100)


@pytest.mark.parametrize("percent", [10, 29, 30, 33, 50, 67, 90])
@pytest.mark.parametrize("total", ["0.02", "0.03", "1.00", "99.99", "2470.00", "8158.50", "123456789.17"])
def test_split_adds_up_to_the_total_to_the_fen(total, percent):
    total = Decimal(total)
    deposit, balance = bulk_split(total, percent)
    # the expected deposit in whole fen, half-up, computed in integers
    expected = (_fen(total) * percent + 50) // 100
    expected = min(max(expected, 1), _fen(total) - 1)
    assert (_fen(deposit), deposit + balance) == (expected, total)
    assert deposit >= Decimal("0.01") and balance >= Decimal("0.01")


def test_the_database_refuses_a_split_that_does_not_add_up(product, buyer):
    order = bulk_at("placed", product=product, buyer=buyer)
    with pytest.raises(IntegrityError), transaction.atomic():
        BulkOrder.objects.filter(pk=order.pk).update(deposit_amount=F("deposit_amount") + Decimal("0.01"))


def _pay_by_transfer(api, order, staff):
    body = api.as_user(order.buyer.user).post(
        f"/api/v1/bulk-orders/{order.pk}/pay/", {"provider": "bank_transfer"}, format="json"
    )
    assert body.status_code == 200, body.json()
    payment = body.json()["payment"]
    confirmed = api.as_user(staff).post(f"/api/v1/payments/{payment['id']}/confirm/")
    assert confirmed.status_code == 200
    return payment


def test_a_tiered_order_runs_to_completion_and_pays_exactly_its_total(api, buyer, staff):
    # given: 100+ ¥12.35, 500+ ¥10.50, 2,000+ ¥9.80, and a factory asking a 35% deposit
    factory = makers.FactoryMaker(max_trial_quantity=50, deposit_percent=35)
    product = makers.ProductMaker(factory=factory, factory_price=Decimal("12.35"), moq=100, price_tiers=TIERS)
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    # when: 777 units are ordered (the 500+ tier)
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/convert/", {"quantity": 777})
    # then: 777 × 10.50 = 8,158.50; 35% = 2,855.475 → 2,855.48 deposit, 5,303.02 balance
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["unit_price"], body["total"]) == ("placed", "10.50", "8158.50")
    assert (body["deposit_percent"], body["deposit_amount"], body["balance_amount"]) == (
        35,
        "2855.48",
        "5303.02",
    )
    assert body["specification"]["title"] == product.title
    order = BulkOrder.objects.get(pk=body["id"])
    owner = factory.owner
    # the factory confirms with a date, the buyer pays the deposit by transfer, staff see it arrive
    date = (timezone.localdate() + timedelta(days=25)).isoformat()
    confirmed = api.as_user(owner).post(f"/api/v1/bulk-orders/{order.pk}/confirm/", {"delivery_date": date})
    assert (confirmed.json()["status"], confirmed.json()["delivery_date"]) == ("confirmed", date)
    deposit = _pay_by_transfer(api, order, staff)
    assert (deposit["amount"], deposit["instructions"]["reference"]) == ("2855.48", f"YB{order.pk:06d}-D1")
    order.refresh_from_db()
    assert order.status == "deposit_paid"
    for step, body in [
        ("start-production", {}),
        ("ship", {"carrier": "德邦物流", "tracking_number": "DB20261204"}),
    ]:
        assert api.as_user(owner).post(f"/api/v1/bulk-orders/{order.pk}/{step}/", body).status_code == 200
    assert (
        api.as_user(buyer.user).post(f"/api/v1/bulk-orders/{order.pk}/receive/").json()["amount_due"]
        == "5303.02"
    )
    balance = _pay_by_transfer(api, order, staff)
    assert (balance["amount"], balance["instructions"]["reference"]) == ("5303.02", f"YB{order.pk:06d}-B1")
    done = api.as_user(buyer.user).post(f"/api/v1/bulk-orders/{order.pk}/complete/").json()
    # then: completed, and what came in is the total to the fen
    assert done["status"] == "completed"
    assert [(p["purpose"], p["status"], p["amount"]) for p in done["payments"]] == [
        ("balance", "succeeded", "5303.02"),
        ("deposit", "succeeded", "2855.48"),
    ]
    paid = sum(Payment.objects.filter(bulk_order=order, status="succeeded").values_list("amount", flat=True))
    assert paid == Decimal("8158.50")
    events = Event.objects.filter(target_id=order.pk, verb__startswith="bulk.").order_by("pk")
    verbs = list(events.values_list("verb", flat=True))
    assert verbs == [
        "bulk.created",
        "bulk.confirmed",
        "bulk.deposit_paid",
        "bulk.production_started",
        "bulk.shipped",
        "bulk.received",
        "bulk.balance_paid",
        "bulk.completed",
    ]
    # both sides heard of each payment; the trial's specification was carried on every step
    for user in (buyer.user, owner):
        kinds = set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))
        assert {"bulk.deposit_paid", "bulk.balance_paid"} <= kinds
    assert done["specification"] == trial.specification


def test_a_later_deposit_share_applies_to_new_orders_only(api, product, buyer):
    old = bulk_at("placed", product=product, buyer=buyer)
    factory = product.factory
    refused = api.as_user(factory.owner).patch(f"/api/v1/factories/{factory.pk}/", {"deposit_percent": 5})
    assert refused.status_code == 400 and set(refused.json()) == {"deposit_percent"}
    assert (
        api.as_user(factory.owner)
        .patch(f"/api/v1/factories/{factory.pk}/", {"deposit_percent": 50})
        .json()["deposit_percent"]
        == 50
    )
    new = bulk_at(
        "placed",
        product=makers.ProductMaker(factory=factory, factory_price=Decimal("12.35"), moq=100),
        buyer=buyer,
    )
    old.refresh_from_db()
    assert (old.deposit_percent, old.deposit_amount) == (30, Decimal("741.00"))
    assert (new.deposit_percent, new.deposit_amount, new.balance_amount) == (
        50,
        Decimal("1235.00"),
        Decimal("1235.00"),
    )


def test_pay_only_when_something_is_due_and_only_by_the_buyer(api, product, buyer):
    placed = bulk_at("placed", product=product, buyer=buyer)
    response = api.as_user(buyer.user).post(
        f"/api/v1/bulk-orders/{placed.pk}/pay/", {"provider": "bank_transfer"}
    )
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Cannot pay: it is awaiting the factory's confirmation."},
    )
    response = api.as_user(placed.factory.owner).post(f"/api/v1/bulk-orders/{placed.pk}/pay/", {})
    assert (response.status_code, response.json()) == (403, {"detail": "You are not allowed to pay this."})
    assert not Payment.objects.filter(bulk_order=placed).exists()


@pytest.mark.django_db(transaction=True)
def test_paying_twice_reuses_the_attempt(api, product, buyer):
    order = bulk_at("confirmed", product=product, buyer=buyer)
    url = f"/api/v1/bulk-orders/{order.pk}/pay/"
    results = race(*[lambda: _client_post(buyer.user, url, {"provider": "bank_transfer"})] * 5)
    assert [code for code, _ in results] == [200] * 5
    assert len({body["payment"]["id"] for _, body in results}) == 1
    assert Payment.objects.filter(bulk_order=order).count() == 1


def _client_post(user, url, body):
    response = Client().as_user(user).post(url, body, format="json")
    return response.status_code, response.json()


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_conversions_make_one_bulk_order(product, buyer):
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    url = f"/api/v1/trials/{trial.pk}/convert/"
    results = race(*[lambda: _client_post(buyer.user, url, {"quantity": 150})] * 20)
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * 19
    assert BulkOrder.objects.filter(trial=trial).count() == 1
    assert Event.objects.filter(verb="bulk.created").count() == 1


def test_cancel_before_the_deposit_voids_the_attempt_and_a_late_transfer_is_owed_back(
    api, product, buyer, staff
):
    # given: the buyer started a transfer for the deposit
    order = bulk_at("confirmed", product=product, buyer=buyer)
    pay = api.as_user(buyer.user).post(f"/api/v1/bulk-orders/{order.pk}/pay/", {"provider": "bank_transfer"})
    payment = Payment.objects.get(pk=pay.json()["payment"]["id"])
    # when: the buyer cancels
    response = api.as_user(buyer.user).post(
        f"/api/v1/bulk-orders/{order.pk}/cancel/", {"reason": "直播间改期"}
    )
    # then
    assert response.json()["status"] == "cancelled"
    payment.refresh_from_db()
    assert payment.status == "canceled"
    assert Notification.objects.filter(recipient=order.factory.owner, kind="bulk.cancelled").count() == 1
    # when: the transfer arrives anyway
    api.as_user(staff).post(f"/api/v1/payments/{payment.pk}/confirm/")
    # then: the order stays cancelled and the money is owed back
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert list(Refund.objects.values_list("payment_id", "status", "amount")) == [
        (payment.pk, "due", order.deposit_amount)
    ]


def test_staff_cancel_a_dispute_with_refunds_of_what_was_paid(api, product, buyer, staff):
    # given: disputed in production, the deposit paid by transfer
    order = bulk_at("disputed", product=product, buyer=buyer)
    # when
    response = api.as_user(staff).post(
        f"/api/v1/bulk-orders/{order.pk}/cancel-with-refund/", {"reason": "工厂无法按期交货"}
    )
    # then
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    deposit = Payment.objects.get(bulk_order=order, purpose="deposit")
    assert list(Refund.objects.values_list("payment_id", "status", "amount")) == [
        (deposit.pk, "due", Decimal("741.00"))
    ]
    assert Notification.objects.filter(recipient=buyer.user, kind="payment.refund_due").count() == 1
    for user in (buyer.user, order.factory.owner):
        assert Notification.objects.filter(recipient=user, kind="bulk.cancelled_with_refund").count() == 1


def test_a_quote_can_be_ordered_without_a_trial_run(api, buyer):
    # given: two quotes on an open request
    a = makers.FactoryMaker(customization="odm", categories=["facial-masks"], deposit_percent=40)
    b = makers.FactoryMaker(customization="oem", categories=["facial-masks"])
    request = mask_request(buyer)
    qa = quote_from(a, request)
    qb = quote_from(b, request, price="2.90", moq=8000, proposal="一盒 30 条")
    url = f"/api/v1/custom-requests/{request.pk}/quotes/{qa.pk}/order/"
    before = snapshot(request)
    # when: below the quote's MOQ
    response = api.as_user(buyer.user).post(url, {"quantity": 2999})
    # then: refused, nothing chosen
    assert (response.status_code, response.json()) == (
        400,
        {"quantity": ["A bulk order needs at least the MOQ of 3000 units."]},
    )
    assert snapshot(request) == before
    assert set(Quote.objects.values_list("status", flat=True)) == {"submitted"}
    assert not BulkOrder.objects.exists()
    # when: at 5,000 units
    response = api.as_user(buyer.user).post(url, {"quantity": 5000})
    # then: 5,000 × 3.25 = 16,250.00, 40% deposit, no trial
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["quote"], body["trial"], body["total"], body["deposit_amount"], body["balance_amount"]) == (
        qa.pk,
        None,
        "16250.00",
        "6500.00",
        "9750.00",
    )
    assert body["specification"]["proposal"] == "一盒 20 条"
    assert CustomRequest.objects.get(pk=request.pk).status == "accepted"
    assert dict(Quote.objects.values_list("pk", "status")) == {qa.pk: "accepted", qb.pk: "not_chosen"}
    assert Notification.objects.filter(recipient=a.owner, kind="custom.quote_ordered").count() == 1
    assert Notification.objects.filter(recipient=b.owner, kind="custom.quote_not_chosen").count() == 1
    # and the chosen factory confirms it like any bulk order
    order = BulkOrder.objects.get(pk=body["id"])
    assert api.as_user(a.owner).get(f"/api/v1/bulk-orders/{order.pk}/").json()["actions"] == [
        "confirm",
        "decline",
    ]
    assert api.as_user(b.owner).get(f"/api/v1/bulk-orders/{order.pk}/").status_code == 404
