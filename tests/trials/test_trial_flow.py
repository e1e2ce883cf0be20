"""Every person-fired transition of the trial flow through the API: the allowed actor, the wrong
role (403), someone else's trial (404), the wrong state (409), and nothing changed on refusal."""

import pytest

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import snapshot, trial_at
from trials.flows.trial import FLOW, TABLE

FEEDBACK = {"units_sold": 8, "units_returned": 1, "rating": 4, "comment": "卖得不错"}
SHIP = {"carrier": "顺丰", "tracking_number": "SF1234567"}

# action, from, actor, to, body, a state it is not allowed from, that state's label
TRANSITIONS = [
    ("accept", "requested", "factory", "accepted", {}, "accepted", "accepted"),
    ("decline", "requested", "factory", "declined", {}, "accepted", "accepted"),
    ("cancel", "requested", "buyer", "cancelled", {}, "paid", "paid"),
    ("cancel", "accepted", "buyer", "cancelled", {}, "shipped", "shipped"),
    ("ship", "paid", "factory", "shipped", SHIP, "accepted", "accepted"),
    ("receive", "shipped", "buyer", "in_trial", {}, "paid", "paid"),
    ("feedback", "in_trial", "buyer", "feedback_submitted", FEEDBACK, "shipped", "shipped"),
    ("convert", "feedback_submitted", "buyer", "converted", {"quantity": 100}, "in_trial", "in trial"),
    ("end", "feedback_submitted", "buyer", "ended", {}, "in_trial", "in trial"),
]
IDS = [f"{t[0]}-from-{t[1]}" for t in TRANSITIONS]


def _user(side, trial):
    return trial.buyer.user if side == "buyer" else trial.factory.owner


def _other(side, trial):
    return trial.factory.owner if side == "buyer" else trial.buyer.user


@pytest.mark.parametrize(("action", "source", "actor", "target", "body", "_w", "_l"), TRANSITIONS, ids=IDS)
def test_allowed_actor_moves_the_trial(api, product, buyer, action, source, actor, target, body, _w, _l):
    # given
    trial = trial_at(source, product=product, buyer=buyer)
    # when
    response = api.as_user(_user(actor, trial)).post(f"/api/v1/trials/{trial.pk}/{action}/", body)
    # then
    assert response.status_code == (201 if action == "convert" else 200), response.json()
    trial.refresh_from_db()
    assert trial.status == target
    event = Event.objects.filter(verb=TABLE.verb(action), target_id=trial.pk).get()
    assert event.data == {"from": source, "to": target}
    assert event.actor == _user(actor, trial)
    # the other party is told, once
    assert Notification.objects.filter(recipient=_other(actor, trial), kind=TABLE.verb(action)).count() == 1
    assert not Notification.objects.filter(recipient=_user(actor, trial), kind=TABLE.verb(action)).exists()


@pytest.mark.parametrize(("action", "source", "actor", "target", "body", "_w", "_l"), TRANSITIONS, ids=IDS)
def test_wrong_role_is_forbidden_and_changes_nothing(
    api, product, buyer, action, source, actor, target, body, _w, _l
):
    # given
    trial = trial_at(source, product=product, buyer=buyer)
    before = snapshot(trial)
    # when: the other side of the deal tries it
    response = api.as_user(_other(actor, trial)).post(f"/api/v1/trials/{trial.pk}/{action}/", body)
    # then
    assert response.status_code == 403
    assert response.json() == {"detail": f"You are not allowed to {FLOW.transitions[action].verb} this."}
    assert snapshot(trial) == before


@pytest.mark.parametrize(("action", "source", "actor", "target", "body", "_w", "_l"), TRANSITIONS, ids=IDS)
def test_someone_elses_trial_is_not_found(api, product, buyer, action, source, actor, target, body, _w, _l):
    # given
    trial = trial_at(source, product=product, buyer=buyer)
    stranger = makers.BuyerMaker().user if actor == "buyer" else makers.FactoryMaker().owner
    before = snapshot(trial)
    # when
    response = api.as_user(stranger).post(f"/api/v1/trials/{trial.pk}/{action}/", body)
    # then
    assert response.status_code == 404
    assert snapshot(trial) == before


@pytest.mark.parametrize(
    ("action", "source", "actor", "target", "body", "wrong", "label"), TRANSITIONS, ids=IDS
)
def test_wrong_state_is_a_conflict(api, product, buyer, action, source, actor, target, body, wrong, label):
    # given
    trial = trial_at(wrong, product=product, buyer=buyer)
    before = snapshot(trial)
    # when
    response = api.as_user(_user(actor, trial)).post(f"/api/v1/trials/{trial.pk}/{action}/", body)
    # then
    assert response.status_code == 409
    assert response.json() == {"detail": f"Cannot {FLOW.transitions[action].verb}: it is {label}."}
    assert snapshot(trial) == before


def test_anonymous_gets_401(api, product, buyer):
    trial = trial_at("requested", product=product, buyer=buyer)
    assert api.post(f"/api/v1/trials/{trial.pk}/accept/").status_code == 401


def test_ship_needs_carrier_and_tracking_number(api, product, buyer):
    # given
    trial = trial_at("paid", product=product, buyer=buyer)
    before = snapshot(trial)
    # when
    response = api.as_user(trial.factory.owner).post(f"/api/v1/trials/{trial.pk}/ship/", {"carrier": " "})
    # then
    assert response.status_code == 400
    assert response.json() == {
        "carrier": ["This field is required to ship."],
        "tracking_number": ["This field is required to ship."],
    }
    assert snapshot(trial) == before


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            {"units_sold": 11, "units_returned": 0, "rating": 5},
            {"units_sold": ["You received 10 units; you cannot have sold more."]},
        ),
        (
            {"units_sold": 3, "units_returned": 4, "rating": 5},
            {"units_returned": ["Returns cannot exceed units sold."]},
        ),
        (
            {"units_sold": 3, "units_returned": 0, "rating": 6},
            {"rating": ["Ensure this value is less than or equal to 5."]},
        ),
    ],
)
def test_feedback_guards(api, product, buyer, body, error):
    # given
    trial = trial_at("in_trial", product=product, buyer=buyer)
    before = snapshot(trial)
    # when
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/feedback/", body)
    # then
    assert response.status_code == 400
    assert response.json() == error
    assert snapshot(trial) == before


def test_convert_below_moq_is_refused_and_creates_no_order(api, product, buyer):
    # given
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    before = snapshot(trial)
    # when
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/convert/", {"quantity": 99})
    # then
    assert response.status_code == 400
    assert response.json() == {"quantity": ["A bulk order needs at least the MOQ of 100 units."]}
    assert snapshot(trial) == before
    assert not hasattr(trial, "bulk_order") or trial.bulk_order is None


def test_convert_creates_bulk_order_with_the_trial_specification(api, product, buyer):
    # given: the product changes after the factory accepted the trial
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    product.attributes = {"颜色": "红"}
    product.save(update_fields=["attributes"])
    # when
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/convert/", {"quantity": 100})
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["trial"], body["quantity"], body["unit_price"], body["total"]) == (
        trial.pk,
        100,
        "12.35",
        "1235.00",
    )
    assert body["specification"]["attributes"] == {}
    assert body["specification"] == trial.specification
    assert api.get(f"/api/v1/trials/{trial.pk}/").json()["bulk_order"] == body["id"]


def test_receive_starts_the_window(api, product, buyer):
    trial = trial_at("shipped", product=product, buyer=buyer)
    api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/receive/")
    trial.refresh_from_db()
    assert (trial.window_ends_at - trial.received_at).days == 30


def test_list_shows_each_side_its_trials_only(api, product, buyer, other_buyer):
    # given
    mine = trial_at("requested", product=product, buyer=buyer)
    theirs = trial_at("requested", product=makers.ProductMaker(), buyer=other_buyer)
    # when
    as_buyer = api.as_user(buyer.user).get("/api/v1/trials/").json()
    as_factory = api.as_user(product.factory.owner).get("/api/v1/trials/").json()
    # then
    assert [t["id"] for t in as_buyer["results"]] == [mine.pk]
    assert [t["id"] for t in as_factory["results"]] == [mine.pk]
    assert as_factory["results"][0]["actions"] == ["accept", "decline"]
    assert as_buyer["results"][0]["actions"] == ["cancel"]
    assert theirs.pk not in [t["id"] for t in as_buyer["results"]]


def test_trial_list_query_count_does_not_grow(api, product, buyer, django_assert_max_num_queries):
    # given
    trial_at("converted", product=product, buyer=buyer)
    for _ in range(5):
        trial_at("requested", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    client = api.as_user(buyer.user)
    # when / then: auth + count + one joined page query, whatever the number of rows
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/trials/").json()
    assert body["count"] == 6


def test_factory_sees_the_streamers_record_on_a_request(api, product, buyer):
    trial = trial_at("requested", product=product, buyer=buyer)
    body = api.as_user(product.factory.owner).get(f"/api/v1/trials/{trial.pk}/").json()
    assert body["buyer_name"] == buyer.display_name
    assert body["buyer_record"] == {
        "trials_count": 0,
        "feedback_on_time_rate": None,
        "sample_followthrough_rate": None,
        "cancellations_count": 0,
        "feedback_due": 0,
        "feedback_on_time": 0,
        "trials_decided": 0,
        "trials_converted": 0,
        "samples_received": 0,
        "samples_followed": 0,
    }


def test_the_buyer_is_offered_pay_once_the_trial_is_accepted(api, product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer)
    assert api.as_user(buyer.user).get(f"/api/v1/trials/{trial.pk}/").json()["actions"] == ["cancel", "pay"]
    assert api.as_user(product.factory.owner).get(f"/api/v1/trials/{trial.pk}/").json()["actions"] == []
