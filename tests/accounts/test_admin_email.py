"""Staff typing an e-mail already in use (in any case) get a form error, not a server error."""

import pytest
from django.test import Client

from marketplace.accounts.models import User
from tests import makers

pytestmark = pytest.mark.django_db

TAKEN = "An account with this e-mail already exists."


@pytest.fixture
def staff_client(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client


def test_admin_add_user_with_an_email_taken_in_another_case_is_a_form_error(staff_client):
    makers.UserMaker(username="owner", email="Boss@Example.com")
    body = {
        "username": "newcomer",
        "email": "boss@example.COM",
        "role": "buyer",
        "password1": makers.PASSWORD,
        "password2": makers.PASSWORD,
        "usable_password": "true",
    }
    response = staff_client.post("/admin/accounts/user/add/", body)
    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_admin_add_user_with_a_case_variant_of_a_taken_name_is_a_form_error(staff_client):
    makers.UserMaker(username="Owner")
    body = {
        "username": "OWNER",
        "email": "x@example.com",
        "role": "buyer",
        "password1": makers.PASSWORD,
        "password2": makers.PASSWORD,
        "usable_password": "true",
    }
    response = staff_client.post("/admin/accounts/user/add/", body)
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(username__iexact="owner").count() == 1
