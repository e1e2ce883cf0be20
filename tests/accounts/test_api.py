import pytest
from rest_framework.authtoken.models import Token

from marketplace.accounts.models import ApiKey, User
from marketplace.accounts.services import api_key_create
from marketplace.core.models import Event
from tests import makers

pytestmark = pytest.mark.django_db


def test_register_creates_user_token_and_event(api):
    # when
    response = api.post(
        "/api/v1/auth/register/",
        {
            "username": "jdz_ceramics",
            "password": makers.PASSWORD,
            "email": "jdz@example.com",
            "role": "factory",
        },
    )
    # then
    assert response.status_code == 201
    user = User.objects.get(username="jdz_ceramics")
    assert response.json() == {
        "id": user.id,
        "username": "jdz_ceramics",
        "role": "factory",
        "token": Token.objects.get(user=user).key,
    }
    assert user.check_password(makers.PASSWORD)
    assert list(Event.objects.values_list("verb", flat=True)) == ["user.registered"]


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"role": "staff"}, {"role": ['"staff" is not a valid choice.']}),
        (
            {"password": "123"},
            {
                "password": [
                    "This password is too short. It must contain at least 8 characters.",
                    "This password is too common.",
                    "This password is entirely numeric.",
                ]
            },
        ),
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        ({"username": "has space"}, {"username": ["Use letters, digits and @ . + - _ only."]}),
    ],
)
def test_register_rejects_bad_input_and_creates_nothing(api, payload, errors):
    body = {
        "username": "newbie",
        "password": makers.PASSWORD,
        "email": "n@example.com",
        "role": "buyer",
    } | payload
    response = api.post("/api/v1/auth/register/", body)
    assert response.status_code == 400
    assert response.json() == errors
    assert User.objects.count() == 0
    assert Event.objects.count() == 0


def test_register_refuses_taken_username_case_insensitively(api, buyer_user):
    body = {
        "username": buyer_user.username.upper(),
        "password": makers.PASSWORD,
        "email": "x@example.com",
        "role": "buyer",
    }
    response = api.post("/api/v1/auth/register/", body)
    assert response.status_code == 400
    assert response.json() == {"username": ["This username is taken."]}
    assert User.objects.count() == 1


def test_register_messages_in_chinese(api_zh, buyer_user):
    body = {
        "username": buyer_user.username,
        "password": makers.PASSWORD,
        "email": "x@example.com",
        "role": "buyer",
    }
    response = api_zh.post("/api/v1/auth/register/", body)
    assert response.json() == {"username": ["该用户名已被使用。"]}


def test_token_for_right_and_wrong_password(api, buyer_user):
    ok = api.post("/api/v1/auth/token/", {"username": buyer_user.username, "password": makers.PASSWORD})
    assert ok.status_code == 200
    assert ok.json() == {"token": Token.objects.get(user=buyer_user).key}
    wrong = api.post("/api/v1/auth/token/", {"username": buyer_user.username, "password": "nope-nope-nope"})
    assert wrong.status_code == 400
    assert wrong.json() == {"detail": "Wrong username or password."}


def test_me_requires_authentication(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401


def test_me_shows_role_and_profile_ids(api):
    factory = makers.FactoryMaker()
    buyer = makers.BuyerMaker()
    staff = makers.StaffUserMaker()
    assert api.as_user(factory.owner).get("/api/v1/me/").json() == {
        "id": factory.owner.id,
        "username": factory.owner.username,
        "email": factory.owner.email,
        "role": "factory",
        "factory_id": factory.id,
        "buyer_id": None,
    }
    assert api.as_user(buyer.user).get("/api/v1/me/").json()["buyer_id"] == buyer.id
    assert api.as_user(staff).get("/api/v1/me/").json()["role"] == "staff"


def test_api_key_authenticates_and_read_only_key_cannot_write(api, factory_user):
    _key, raw = api_key_create(user=factory_user, name="MCN tool", read_only=True)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert api.get("/api/v1/me/").json()["id"] == factory_user.id
    response = api.post("/api/v1/factories/", {})
    assert response.status_code == 403
    assert response.json() == {"detail": "This API key is read-only."}
    assert ApiKey.objects.get().last_used_at is not None


def test_revoked_or_wrong_api_key_is_401(api, factory_user):
    key, raw = api_key_create(user=factory_user, name="old")
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}x")
    assert api.get("/api/v1/me/").status_code == 401
    ApiKey.objects.filter(pk=key.pk).update(revoked_at="2026-01-01T00:00:00Z")
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert api.get("/api/v1/me/").status_code == 401


def test_createsuperuser_gets_staff_role(db):
    user = User.objects.create_superuser("boss", "boss@example.com", makers.PASSWORD)
    assert user.role == "staff"


def test_register_stores_a_full_width_name_nfkc_normalized_and_it_signs_in_either_way(api):
    # when
    response = api.post(
        "/api/v1/auth/register/",
        {"username": "ｄｅｍｏ", "password": makers.PASSWORD, "email": "d@example.com", "role": "buyer"},
    )
    # then
    assert response.status_code == 201
    assert response.json()["username"] == "demo"
    assert list(User.objects.values_list("username", flat=True)) == ["demo"]
    for typed in ("demo", "DEMO", "ｄｅｍｏ"):
        signed = api.post("/api/v1/auth/token/", {"username": typed, "password": makers.PASSWORD})
        assert (signed.status_code, signed.json()) == (200, {"token": response.json()["token"]})


def test_register_refuses_a_full_width_variant_of_a_taken_name(api, buyer_user):
    body = {"username": "ｄｅｍｏ", "password": makers.PASSWORD, "email": "x@example.com", "role": "buyer"}
    makers.UserMaker(username="Demo")
    response = api.post("/api/v1/auth/register/", body)
    assert (response.status_code, response.json()) == (400, {"username": ["This username is taken."]})
    assert User.objects.count() == 2


def test_register_refuses_an_email_taken_in_another_case(api, buyer_user):
    body = {
        "username": "fresh",
        "password": makers.PASSWORD,
        "email": buyer_user.email.upper(),
        "role": "buyer",
    }
    response = api.post("/api/v1/auth/register/", body)
    assert (response.status_code, response.json()) == (
        400,
        {"email": ["An account with this e-mail already exists."]},
    )
    assert User.objects.count() == 1
    assert Event.objects.count() == 0
