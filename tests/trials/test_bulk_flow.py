"""Every person-fired transition of the bulk-order flow through the API: the allowed actor, the
wrong role (403), someone else's order (404), the wrong state (409), and nothing changed on
refusal; the table itself is checked for every actor × state in test_flow_tables.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import bulk_at, snapshot
from trials.flows.bulk import FLOW, TABLE

SHIP = {"carrier": "德邦物流", "tracking_number": "DB1234567"}
DISPUTE = {"reason": "颜色与试销样品不一致"}


def _delivery():
    return {"delivery_date": (timezone.localdate() + timedelta(days=20)).isoformat()}


# action, from, actor, to, body, a state it is not allowed from
TRANSITIONS = [
    ("confirm", "placed", "factory", "confirmed", _delivery, "confirmed"),
    ("decline", "placed", "factory", "declined", lambda: {"reason": "排期已满"}, "confirmed"),
    ("cancel", "placed", "buyer", "cancelled", dict, "deposit_paid"),
    ("cancel", "confirmed", "buyer", "cancelled", dict, "in_production"),
    ("start_production", "deposit_paid", "factory", "in_production", dict, "confirmed"),
    ("ship", "in_production", "factory", "shipped", lambda: SHIP, "deposit_paid"),
    ("receive", "shipped", "buyer", "received", dict, "in_production"),
    ("complete", "balance_paid", "buyer", "completed", dict, "received"),
    ("dispute", "deposit_paid", "buyer", "disputed", lambda: DISPUTE, "confirmed"),
    ("dispute", "in_production", "factory", "disputed", lambda: DISPUTE, "placed"),
    ("dispute", "received", "buyer", "disputed", lambda: DISPUTE, "completed"),
    ("dispute", "balance_paid", "factory", "disputed", lambda: DISPUTE, "cancelled"),
]
IDS = [f"{t[0]}-from-{t[1]}" for t in TRANSITIONS]
# Either side may open a dispute, so it has no wrong party (staff may not: test_flow_tables.py).
ONE_SIDED = [t for t in TRANSITIONS if t[0] != "dispute"]
URL = {"start_production": "start-production"}


def _user(side, order):
    return order.buyer.user if side == "buyer" else order.factory.owner


def _other(side, order):
    return order.factory.owner if side == "buyer" else order.buyer.user


def _post(api, user, order, action, body):
    return api.as_user(user).post(
        f"/api/v1/bulk-orders/{order.pk}/{URL.get(action, action)}/", body, format="json"
    )


@pytest.mark.parametrize(("action", "source", "actor", "target", "body", "_w"), TRANSITIONS, ids=IDS)
def test_allowed_actor_moves_the_order(api, product, buyer, action, source, actor, target, body, _w):
    # given
    order = bulk_at(source, product=product, buyer=buyer)
    # when
    response = _post(api, _user(actor, order), order, action, body())
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == target
    order.refresh_from_db()
    assert order.status == target
    event = Event.objects.filter(verb=TABLE.verb(action), target_id=order.pk).get()
    assert event.data == {"from": source, "to": target}
    assert event.actor == _user(actor, order)
    # the other side is told, once; the actor is not told about their own step
    assert Notification.objects.filter(recipient=_other(actor, order), kind=TABLE.verb(action)).count() == 1
    assert not Notification.objects.filter(recipient=_user(actor, order), kind=TABLE.verb(action)).exists()


@pytest.mark.parametrize(
    ("action", "source", "actor", "target", "body", "_w"),
    ONE_SIDED,
    ids=[f"{t[0]}-from-{t[1]}" for t in ONE_SIDED],
)
def test_wrong_role_is_forbidden_and_changes_nothing(
    api, product, buyer, action, source, actor, target, body, _w
):
    order = bulk_at(source, product=product, buyer=buyer)
    before = snapshot(order)
    other = "factory" if actor == "buyer" else "buyer"
    response = _post(api, _user(other, order), order, action, body())
    assert response.status_code == 403
    assert response.json() == {"detail": f"You are not allowed to {FLOW.transitions[action].verb} this."}
    assert snapshot(order) == before


@pytest.mark.parametrize(("action", "source", "actor", "target", "body", "_w"), TRANSITIONS, ids=IDS)
def test_someone_elses_order_is_not_found(api, product, buyer, action, source, actor, target, body, _w):
    order = bulk_at(source, product=product, buyer=buyer)
    stranger = makers.BuyerMaker().user if actor == "buyer" else makers.FactoryMaker().owner
    before = snapshot(order)
    response = _post(api, stranger, order, action, body())
    assert response.status_code == 404
    assert snapshot(order) == before


@pytest.mark.parametrize(("action", "source", "actor", "target", "body", "wrong"), TRANSITIONS, ids=IDS)
def test_wrong_state_is_a_conflict_and_changes_nothing(
    api, product, buyer, action, source, actor, target, body, wrong
):
    order = bulk_at(wrong, product=product, buyer=buyer)
    before = snapshot(order)
    response = _post(api, _user(actor, order), order, action, body())
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Cannot {FLOW.transitions[action].verb}: it is {order.get_status_display()}."
    }
    assert snapshot(order) == before


@pytest.mark.parametrize("action", ["resume", "cancel-with-refund"])
def test_only_staff_decide_a_dispute(api, product, buyer, action):
    order = bulk_at("disputed", product=product, buyer=buyer)
    before = snapshot(order)
    for user in (order.buyer.user, order.factory.owner):
        response = api.as_user(user).post(f"/api/v1/bulk-orders/{order.pk}/{action}/", {}, format="json")
        assert response.status_code == 403
    assert snapshot(order) == before


def test_staff_resume_returns_the_order_to_the_step_it_stood_in(api, product, buyer, staff):
    # given: disputed while in production
    order = bulk_at("disputed", product=product, buyer=buyer)
    assert order.disputed_from == "in_production"
    # when
    response = api.as_user(staff).post(f"/api/v1/bulk-orders/{order.pk}/resume/")
    # then
    assert response.status_code == 200
    assert response.json()["status"] == "in_production"
    assert Event.objects.get(verb="bulk.resumed", target_id=order.pk).data == {
        "from": "disputed",
        "to": "in_production",
        "address": "127.0.0.1",  # staff through the API: audited with the client address
    }
    for user in (order.buyer.user, order.factory.owner):
        assert Notification.objects.filter(recipient=user, kind="bulk.resumed").count() == 1
    # and the factory can go on shipping
    assert _post(api, order.factory.owner, order, "ship", SHIP).json()["status"] == "shipped"


def test_a_dispute_needs_a_reason_and_changes_nothing_without_one(api, product, buyer):
    order = bulk_at("in_production", product=product, buyer=buyer)
    before = snapshot(order)
    response = _post(api, buyer.user, order, "dispute", {"reason": "   "})
    assert response.status_code == 400
    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "Choose a date after today and within 365 days."),
        (-3, "Choose a date after today and within 365 days."),
        (366, "Choose a date after today and within 365 days."),
    ],
)
def test_confirm_needs_a_delivery_date_after_today_and_within_a_year(api, product, buyer, days, message):
    order = bulk_at("placed", product=product, buyer=buyer)
    before = snapshot(order)
    date = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = _post(api, order.factory.owner, order, "confirm", {"delivery_date": date})
    assert (response.status_code, response.json()) == (400, {"delivery_date": [message]})
    assert snapshot(order) == before


def test_confirm_without_a_date_is_a_400(api, product, buyer):
    order = bulk_at("placed", product=product, buyer=buyer)
    before = snapshot(order)
    response = _post(api, order.factory.owner, order, "confirm", {})
    assert response.status_code == 400
    assert set(response.json()) == {"delivery_date"}
    assert snapshot(order) == before


def test_actions_list_what_each_side_may_do_now(api, product, buyer):
    order = bulk_at("confirmed", product=product, buyer=buyer)
    as_buyer = api.as_user(buyer.user).get(f"/api/v1/bulk-orders/{order.pk}/").json()
    as_factory = api.as_user(order.factory.owner).get(f"/api/v1/bulk-orders/{order.pk}/").json()
    assert as_buyer["actions"] == ["pay", "cancel"]
    assert as_buyer["amount_due"] == f"{order.deposit_amount:.2f}"
    assert as_factory["actions"] == []
    assert as_factory["amount_due"] == f"{order.deposit_amount:.2f}"
    assert as_buyer["status_label"] == "confirmed, awaiting the deposit"
