"""Sign-up races on real PostgreSQL with real threads: the case-insensitive unique indexes decide."""

import pytest
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from marketplace.accounts.models import User
from marketplace.core.models import Event
from tests import makers
from tests.concurrency import race
from tests.conftest import Client

pytestmark = pytest.mark.django_db(transaction=True)

TAKEN_NAME = {"username": ["This username is taken."]}
TAKEN_EMAIL = {"email": ["An account with this e-mail already exists."]}


def _sign_up(username, email):
    def call():
        body = {"username": username, "password": makers.PASSWORD, "email": email, "role": "buyer"}
        response = Client().post("/api/v1/auth/register/", body)
        return response.status_code, response.json()

    return call


def _outcome(results):
    return sorted(code for code, _ in results), [body for code, body in results if code == 400]


def test_eight_case_variants_of_one_name_at_once_give_one_account():
    # given
    names = ["demo", "Demo", "DEMO", "dEmo", "deMo", "demO", "DEmo", "ｄｅｍｏ"]
    # when
    results = race(*[_sign_up(name, f"p{i}@example.com") for i, name in enumerate(names)])
    # then
    codes, refusals = _outcome(results)
    assert codes == [201] + [400] * 7
    assert refusals == [TAKEN_NAME] * 7
    assert User.objects.count() == 1
    assert Token.objects.count() == 1
    assert Event.objects.filter(verb="user.registered").count() == 1


def test_eight_case_variants_of_one_email_at_once_give_one_account():
    emails = ["shop@example.com", "Shop@example.com", "SHOP@example.com", "shop@EXAMPLE.com"] * 2
    results = race(*[_sign_up(f"seller{i}", email) for i, email in enumerate(emails)])
    codes, refusals = _outcome(results)
    assert codes == [201] + [400] * 7
    assert refusals == [TAKEN_EMAIL] * 7
    assert User.objects.count() == 1
    assert Event.objects.filter(verb="user.registered").count() == 1


def test_eight_sign_ups_of_the_exact_same_name_give_one_account_and_no_server_error():
    results = race(*[_sign_up("samename", f"s{i}@example.com") for i in range(8)])
    codes, refusals = _outcome(results)
    assert codes == [201] + [400] * 7
    assert refusals == [TAKEN_NAME] * 7
    assert User.objects.count() == 1


def test_the_database_itself_refuses_a_name_or_email_differing_only_in_case():
    # given: rows written past the service, as a buggy import or admin form would
    makers.UserMaker(username="Factory1", email="Boss@example.com")
    # then
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="FACTORY1", email="other@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="other", email="boss@EXAMPLE.COM")
    # staff made with createsuperuser may have no e-mail: empty e-mails never collide
    User.objects.create(username="ops1", email="")
    User.objects.create(username="ops2", email="")
    assert User.objects.count() == 3
