"""Sign-in throttling (django-axes) on the API token, the web sign-in and the admin login, counted
in Redis as in production: per account and per address, 429 with Retry-After, then nothing let in."""

import os
import uuid

import pytest
import redis
from django.test import Client as WebClient
from rest_framework.authtoken.models import Token

from tests import makers

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
LIMIT = 10
COOLOFF_SECONDS = "900"
LOCKED_EN = "Too many failed sign-in attempts. Try again in 15 minutes."
LOCKED_ZH = "登录失败次数过多。请在 15 分钟后再试。"
WRONG = {"detail": "Wrong username or password."}


@pytest.fixture(autouse=True)
def redis_counts(settings):
    """The production cache (Redis), under a prefix of this test only, removed afterwards."""
    prefix = f"yt-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)


def _token(api, username, password, address="10.0.0.1"):
    response = api.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code, response.json(), response.headers.get("Retry-After")


def test_api_token_locks_an_account_after_the_limit_with_429_and_retry_after(api, buyer_user):
    # given: the limit of wrong passwords, each answered as usual
    for i in range(LIMIT - 1):
        assert _token(api, buyer_user.username, f"wrong{i}") == (400, WRONG, None)
    # when: the attempt that reaches the limit, then the right password
    last = _token(api, buyer_user.username, "wrong-last")
    right = _token(api, buyer_user.username, makers.PASSWORD)
    # then
    assert last == (429, {"detail": LOCKED_EN}, COOLOFF_SECONDS)
    assert right == (429, {"detail": LOCKED_EN}, COOLOFF_SECONDS)
    assert not Token.objects.filter(user=buyer_user).exists()


def test_api_counts_one_account_across_addresses_and_name_variants(api, buyer_user):
    # given: a guesser spreading attempts over addresses and case / width variants of the name
    variants = [buyer_user.username, buyer_user.username.upper(), buyer_user.username.title()]
    for i in range(LIMIT - 1):
        assert _token(api, variants[i % 3], "wrong", address=f"10.1.0.{i}")[0] == 400
    # then
    assert _token(api, buyer_user.username, "wrong", address="10.1.1.1")[0] == 429
    assert _token(api, buyer_user.username, makers.PASSWORD, address="10.1.1.2")[0] == 429


def test_api_locks_one_address_trying_many_accounts_and_spares_other_addresses(api, buyer_user):
    for i in range(LIMIT):
        _token(api, f"nobody{i}", "wrong", address="10.2.0.1")
    assert _token(api, buyer_user.username, makers.PASSWORD, address="10.2.0.1")[0] == 429
    # another address, and the account itself, are not locked by that
    assert _token(api, buyer_user.username, makers.PASSWORD, address="10.2.0.2")[0] == 200


def test_web_sign_in_shows_a_friendly_429_page_in_both_languages(buyer_user):
    web = WebClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(LIMIT - 1):
        assert web.post("/sign-in/", {"username": buyer_user.username, "password": "no"}).status_code == 200
    locked = web.post("/sign-in/", {"username": buyer_user.username, "password": "no"})
    zh = WebClient(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/sign-in/", {"username": buyer_user.username, "password": makers.PASSWORD}
    )
    assert (locked.status_code, locked["Retry-After"]) == (429, COOLOFF_SECONDS)
    assert LOCKED_EN in locked.content.decode()
    assert (zh.status_code, zh["Retry-After"]) == (429, COOLOFF_SECONDS)
    assert LOCKED_ZH in zh.content.decode()
    assert "_auth_user_id" not in zh.client.session


def test_admin_login_is_throttled_too(staff):
    admin = WebClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(LIMIT):
        admin.post("/admin/login/", {"username": staff.username, "password": "no"})
    response = admin.post("/admin/login/", {"username": staff.username, "password": makers.PASSWORD})
    assert (response.status_code, response["Retry-After"]) == (429, COOLOFF_SECONDS)
    assert LOCKED_EN in response.content.decode()
    assert admin.get("/admin/").status_code == 302  # still signed out


def test_a_locked_out_api_client_is_answered_in_json_even_in_chinese(api_zh, buyer_user):
    for _ in range(LIMIT):
        _token(api_zh, buyer_user.username, "wrong")
    status, body, retry = _token(api_zh, buyer_user.username, makers.PASSWORD)
    assert (status, body, retry) == (429, {"detail": LOCKED_ZH}, COOLOFF_SECONDS)
