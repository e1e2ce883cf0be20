from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import snapshot
from trials.flows.sample import TABLE
from trials.models import SampleRequest
from trials.services import samples
from trials.services.samples import sample_monthly_cap

SHIP = {"carrier": "中通", "tracking_number": "ZT42"}


def sample_at(status, *, product, buyer):
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk, note="想看看质量")
    f, b = product.factory.owner, buyer.user
    steps = {
        "requested": [],
        "accepted": [lambda: samples.sample_accept(sample=sample, actor=f)],
        "declined": [lambda: samples.sample_decline(sample=sample, actor=f)],
        "cancelled": [lambda: samples.sample_cancel(sample=sample, actor=b)],
        "shipped": [
            lambda: samples.sample_accept(sample=sample, actor=f),
            lambda: samples.sample_ship(sample=sample, actor=f, **SHIP),
        ],
        "received": [
            lambda: samples.sample_accept(sample=sample, actor=f),
            lambda: samples.sample_ship(sample=sample, actor=f, **SHIP),
            lambda: samples.sample_receive(sample=sample, actor=b),
        ],
    }[status]
    for step in steps:
        step()
    sample.refresh_from_db()
    return sample


TRANSITIONS = [
    ("accept", "requested", "factory", "accepted", {}, "declined"),
    ("decline", "requested", "factory", "declined", {"reason": "缺货"}, "accepted"),
    ("cancel", "requested", "buyer", "cancelled", {}, "accepted"),
    ("ship", "accepted", "factory", "shipped", SHIP, "requested"),
    ("receive", "shipped", "buyer", "received", {}, "accepted"),
]
IDS = [t[0] for t in TRANSITIONS]


def _user(side, sample):
    return sample.buyer.user if side == "buyer" else sample.factory.owner


def _other(side, sample):
    return sample.factory.owner if side == "buyer" else sample.buyer.user


@pytest.mark.parametrize(("action", "source", "actor", "target", "body", "wrong"), TRANSITIONS, ids=IDS)
def test_sample_transitions(api, product, buyer, action, source, actor, target, body, wrong):
    # allowed
    sample = sample_at(source, product=product, buyer=buyer)
    response = api.as_user(_user(actor, sample)).post(f"/api/v1/samples/{sample.pk}/{action}/", body)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == target
    assert Event.objects.filter(verb=TABLE.verb(action), target_id=sample.pk).count() == 1
    assert Notification.objects.filter(recipient=_other(actor, sample), kind=TABLE.verb(action)).count() == 1


@pytest.mark.parametrize(("action", "source", "actor", "target", "body", "wrong"), TRANSITIONS, ids=IDS)
def test_sample_refusals_change_nothing(api, product, buyer, action, source, actor, target, body, wrong):
    # given
    sample = sample_at(source, product=product, buyer=buyer)
    before = snapshot(sample)
    # wrong role → 403
    response = api.as_user(_other(actor, sample)).post(f"/api/v1/samples/{sample.pk}/{action}/", body)
    assert (response.status_code, response.json()) == (
        403,
        {"detail": f"You are not allowed to {action} this."},
    )
    # someone else's → 404
    stranger = makers.BuyerMaker().user if actor == "buyer" else makers.FactoryMaker().owner
    assert api.as_user(stranger).post(f"/api/v1/samples/{sample.pk}/{action}/", body).status_code == 404
    assert snapshot(sample) == before
    # wrong state → 409
    other = sample_at(wrong, product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    before_other = snapshot(other)
    response = api.as_user(_user(actor, other)).post(f"/api/v1/samples/{other.pk}/{action}/", body)
    assert (response.status_code, response.json()) == (409, {"detail": f"Cannot {action}: it is {wrong}."})
    assert snapshot(other) == before_other


def test_ship_needs_tracking(api, product, buyer):
    sample = sample_at("accepted", product=product, buyer=buyer)
    before = snapshot(sample)
    response = api.as_user(product.factory.owner).post(
        f"/api/v1/samples/{sample.pk}/ship/", {"carrier": "中通"}
    )
    assert (response.status_code, response.json()) == (
        400,
        {"tracking_number": ["This field is required to ship."]},
    )
    assert snapshot(sample) == before


@pytest.mark.parametrize(
    ("gmv", "cap"), [("0", 5), ("99999.99", 5), ("100000", 20), ("999999", 20), ("1000000", 50)]
)
def test_monthly_cap_grows_with_gmv(db, gmv, cap):
    assert sample_monthly_cap(makers.BuyerMaker(monthly_gmv=Decimal(gmv))) == cap


def test_monthly_cap_is_enforced_and_resets_next_month(api, factory):
    # given: a small streamer (5 a month) who used them all in November
    buyer = makers.BuyerMaker(monthly_gmv=Decimal("20000"))
    products = [makers.ProductMaker(factory=factory) for _ in range(6)]
    with time_machine.travel(datetime(2026, 11, 10, 12, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        for p in products[:5]:
            assert api.as_user(buyer.user).post("/api/v1/samples/", {"product": p.pk}).status_code == 201
        # when
        response = api.post("/api/v1/samples/", {"product": products[5].pk})
        # then
        assert (response.status_code, response.json()) == (
            400,
            {"detail": "You have used all 5 sample requests of this month."},
        )
        assert SampleRequest.objects.count() == 5
    with time_machine.travel(datetime(2026, 12, 1, 0, 1, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert api.post("/api/v1/samples/", {"product": products[5].pk}).status_code == 201


def test_one_open_sample_per_product(api, product, buyer):
    assert api.as_user(buyer.user).post("/api/v1/samples/", {"product": product.pk}).status_code == 201
    response = api.post("/api/v1/samples/", {"product": product.pk})
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "You already have an open sample request for this product."},
    )


def test_sample_of_unknown_product(api, buyer):
    response = api.as_user(buyer.user).post("/api/v1/samples/", {"product": 987654})
    assert (response.status_code, response.json()) == (400, {"product": ["No such product."]})


def test_a_step_locks_the_sample_row_alone_without_joining_its_relations(product, buyer):
    # given
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk, note="想看看质量")
    # when
    with CaptureQueriesContext(connection) as queries:
        samples.sample_accept(sample=sample, actor=product.factory.owner)
    # then: the lock reads trials_samplerequest alone (select_related() with no names would join
    # every foreign key, transitively: on fresh tables PostgreSQL took minutes planning it)
    [lock] = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert 'FROM "trials_samplerequest" WHERE' in lock
    assert "JOIN" not in lock
