"""The token check (partners/authentication.py) reads the caller's profiles in its own query; what it
refuses must stay what DRF's check refused, in the JSON error shape."""

import pytest
from rest_framework.test import APIClient

from tests import makers
from trials.services import trials

pytestmark = pytest.mark.django_db


def _get_trials(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")
    return client.get("/api/v1/trials/")


def test_an_unknown_token_is_401():
    response = _get_trials("0" * 40)
    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})


def test_a_deactivated_account_is_refused_with_its_token():
    buyer = makers.BuyerMaker()
    token = makers.token_for(buyer.user)
    buyer.user.is_active = False
    buyer.user.save(update_fields=["is_active"])
    response = _get_trials(token)
    assert (response.status_code, response.json()) == (401, {"detail": "User inactive or deleted."})


def test_the_callers_profile_comes_with_the_token(product, django_assert_num_queries):
    # given: a streamer and a factory owner, each with a trial to list
    buyer = makers.BuyerMaker()
    trials.trial_create(actor=buyer.user, product_id=product.pk, quantity=5)
    streamer_token, owner_token = makers.token_for(buyer.user), makers.token_for(product.factory.owner)
    # then: token with profile, count, page: nobody's profile is read a second time
    for token in (streamer_token, owner_token):
        with django_assert_num_queries(3):
            response = _get_trials(token)
        assert [row["buyer"] for row in response.json()["results"]] == [buyer.pk]
