"""The guards of a trial request, each with its exact message, and nothing created on refusal."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from factories.models import ProductStatus, VerificationStatus
from marketplace.notifications.models import Notification
from tests import makers
from trials.models import TrialOrder


def _post(api, user, product_id, quantity=10):
    return api.as_user(user).post("/api/v1/trials/", {"product": product_id, "quantity": quantity})


def test_request_notifies_the_factory(api, product, buyer):
    response = _post(api, buyer.user, product.pk)
    assert response.status_code == 201
    notification = Notification.objects.get(recipient=product.factory.owner)
    assert (notification.kind, notification.key) == (
        "trial.requested",
        f"trial:{response.json()['id']}:requested",
    )


@pytest.mark.parametrize(
    ("change", "quantity", "error"),
    [
        (lambda p: p.delete() or None, 10, {"product": ["No such product."]}),
        (
            lambda p: setattr(p, "status", ProductStatus.DELISTED),
            10,
            {"product": ["This product is not on sale."]},
        ),
        (
            lambda p: setattr(p, "trial_eligible", False),
            10,
            {"product": ["This product is not offered for 50%-off trials."]},
        ),
        (
            lambda p: setattr(p.factory, "accepts_trials", False),
            10,
            {"product": ["This factory is not accepting trials right now."]},
        ),
        (
            lambda p: setattr(p.factory, "verification_status", VerificationStatus.SUSPENDED),
            10,
            {"product": ["This factory is not verified."]},
        ),
        (lambda p: None, 0, {"quantity": ["Choose between 1 and 50 units."]}),
        (lambda p: None, 51, {"quantity": ["Choose between 1 and 50 units."]}),
    ],
    ids=["missing", "inactive", "not-eligible", "no-trials", "unverified", "zero", "over-max"],
)
def test_guards(api, buyer, change, quantity, error):
    # given
    product = makers.ProductMaker(factory=makers.FactoryMaker(max_trial_quantity=50))
    product_id = product.pk
    if change is not None:
        if change.__code__.co_names and "delete" in change.__code__.co_names:
            product_id = 999_999
        else:
            change(product)
            product.save()
            product.factory.save()
    # when
    response = _post(api, buyer.user, product_id, quantity)
    # then
    assert response.status_code == 400
    assert response.json() == error
    assert TrialOrder.objects.count() == 0
    assert Notification.objects.count() == 0


def test_quantity_at_the_max_is_fine(api, product, buyer):
    assert _post(api, buyer.user, product.pk, 50).status_code == 201


def test_one_open_trial_per_buyer_and_product(api, product, buyer):
    # given
    assert _post(api, buyer.user, product.pk).status_code == 201
    # when
    response = _post(api, buyer.user, product.pk)
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": "You already have an open trial of this product."}
    assert TrialOrder.objects.count() == 1


def test_a_closed_trial_allows_a_new_one(api, product, buyer):
    first = _post(api, buyer.user, product.pk).json()
    api.post(f"/api/v1/trials/{first['id']}/cancel/")
    assert _post(api, buyer.user, product.pk).status_code == 201


def test_buyer_needs_a_profile(api, product):
    user = makers.UserMaker()
    response = _post(api, user, product.pk)
    assert response.status_code == 400
    assert response.json() == {"detail": "Create your streamer profile first (POST /api/v1/buyers/)."}


def test_factories_cannot_request_trials(api, product):
    response = _post(api, product.factory.owner, product.pk)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only streamer (buyer) accounts can do this."}


def test_price_frozen_with_odd_prices(api, buyer):
    product = makers.ProductMaker(factory_price=Decimal("0.01"))
    body = _post(api, buyer.user, product.pk, 3).json()
    assert (body["unit_price"], body["total"]) == ("0.01", "0.03")


def test_create_and_cancel_take_a_fixed_number_of_queries(product, buyer, django_assert_num_queries):
    """The busiest write of the load run (issue 11), signed in with a token as a client is: the
    party check, the notifications and the answer read the trial's rows with its lock (one query
    where there were five), and the profile authentication read is not read again. The factory's
    notice is one INSERT … ON CONFLICT (get_or_create took a SELECT, an INSERT and two savepoints),
    and a cancel of a trial still requested, which can have no payment, looks for none; the
    streamer's cancellations are recounted inside the UPDATE that stores them. A cancel is one
    transaction: voiding payments runs inside the step, not in a transaction around it (whose
    savepoint cost two round trips)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {makers.token_for(buyer.user)}")
    ContentType.objects.get_for_model(TrialOrder)  # a process reads it once, and the tests' is fresh
    with django_assert_num_queries(10):
        created = client.post("/api/v1/trials/", {"product": product.pk, "quantity": 10}, format="json")
    assert created.status_code == 201, created.content
    with django_assert_num_queries(11):
        cancelled = client.post(f"/api/v1/trials/{created.json()['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_an_action_checks_visibility_without_the_list_pages_joins(api, product, buyer):
    # given
    trial = _post(api, buyer.user, product.pk).json()
    # when
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"/api/v1/trials/{trial['id']}/cancel/")
    # then: the 404 check joins only what "buyer or factory owner" needs; the lock reads the rest
    assert response.status_code == 200
    [check] = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "trials_trialorder"') and "FOR UPDATE" not in q["sql"]
    ]
    assert check.count(" JOIN ") == 2
