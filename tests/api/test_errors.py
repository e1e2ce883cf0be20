"""Every API error is JSON in the one shape, with DEBUG off: no HTML, no traceback, no path."""

import hashlib
import hmac
import json
import time

import pytest

from factories.models import Product
from marketplace.accounts.models import User
from marketplace.core.models import Event
from tests import makers
from tests.conftest import Client
from tests.trials.conftest import WEBHOOK_SECRET, trial_at
from trials.models import Payment, StripeEvent

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
WEBHOOK = "/api/v1/payments/stripe/webhook/"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _body(**overrides):
    return {"username": "newbie", "password": makers.PASSWORD, "email": "n@example.com", "role": "buyer"} | (
        overrides
    )


def _json(response):
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nowhere/",
        "/api/v1/products/abc/",
        "/api/v1/trials/1.5/accept/",
        "/api/nothing",
    ],
)
def test_unknown_paths_and_non_integer_ids_are_json_404(api, path):
    assert _json(api.get(path)) == (404, {"detail": "Not found."})


def test_an_id_past_the_integer_range_is_json_404(api):
    response = api.get("/api/v1/products/99999999999999999999999/")
    assert _json(response) == (404, {"detail": "No Product matches the given query."})


def test_a_page_past_the_end_is_404_and_a_huge_search_page_is_400(api):
    assert _json(api.get("/api/v1/products/?page=999")) == (404, {"detail": "Invalid page."})
    assert _json(api.get("/api/v1/products/?page=abc")) == (404, {"detail": "Invalid page."})
    assert _json(api.get(f"/api/v1/search/products/?page={10**20}")) == (
        400,
        {"page": ["Ensure this value is less than or equal to 1000."]},
    )


def test_method_not_allowed_is_json_405(api):
    assert _json(api.delete(REGISTER)) == (405, {"detail": 'Method "DELETE" not allowed.'})


def test_json_nested_deeper_than_the_limit_is_400_and_writes_nothing(api):
    deep = "[" * 100_000 + "]" * 100_000
    response = api.post(REGISTER, data=deep, content_type="application/json")
    assert _json(response) == (400, {"detail": "JSON is nested too deeply."})
    nested = _body(email=json.loads("[" * 21 + "]" * 21))  # one level past the limit of 20
    assert _json(api.post(REGISTER, nested)) == (400, {"detail": "JSON is nested too deeply."})
    assert User.objects.count() == 0


def test_invalid_json_and_nan_are_400(api):
    for raw in ("{", '{"quantity": NaN}', b"\xff\xfe"):
        response = api.post(REGISTER, data=raw, content_type="application/json")
        assert _json(response) == (400, {"detail": "The request body is not valid JSON."})
    assert User.objects.count() == 0


def test_nul_anywhere_in_json_is_400_and_writes_nothing(api):
    for body in (_body(username="a\x00b"), _body() | {"x\x00": 1}, _body(email=["\x00"])):
        response = api.post(REGISTER, body)
        assert _json(response) == (400, {"detail": "Text may not contain NUL characters."})
    assert User.objects.count() == 0


def test_nul_in_a_query_parameter_is_400(api):
    response = api.get("/api/v1/search/products/?q=%00")
    assert _json(response) == (400, {"detail": "Text may not contain NUL characters."})


def test_json_body_over_the_limit_is_413_and_writes_nothing(api, settings):
    settings.API_JSON_MAX_BYTES = 1000
    response = api.post(REGISTER, _body(password="x" * 2000))
    assert _json(response) == (413, {"detail": "The request body is too large."})
    assert User.objects.count() == 0


def test_any_body_over_the_upload_limit_is_413_before_it_is_read(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post(REGISTER, data="a=" + "x" * 2000, content_type="application/x-www-form-urlencoded")
    assert _json(response) == (413, {"detail": "The request body is too large."})
    assert User.objects.count() == 0


def test_a_crash_is_a_json_500_with_no_traceback_path_or_setting(monkeypatch, settings):
    # given: a view that fails with an exception carrying internals
    def boom(*args, **kwargs):
        raise RuntimeError(f"secret {settings.BASE_DIR} {settings.SECRET_KEY}")

    monkeypatch.setattr("marketplace.accounts.services.user_register", boom)
    client = Client(raise_request_exception=False)
    # when
    response = client.post(REGISTER, _body())
    # then
    assert _json(response) == (500, {"detail": "Server error. Please try again later."})
    assert str(settings.BASE_DIR) not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_unauthenticated_and_forbidden_writes_are_json(api, buyer_user):
    assert _json(api.post("/api/v1/products/", {})) == (
        401,
        {"detail": "Authentication credentials were not provided."},
    )
    assert Product.objects.count() == 0


# --- Stripe: signed but malformed events change nothing -------------------------------------


@pytest.fixture
def client():
    """Stripe's requests carry no Accept-Language; English here because the tests assert exact words."""
    from django.test import Client as DjangoClient

    return DjangoClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def payment(settings, db):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    product = makers.ProductMaker(moq=100)
    trial = trial_at("accepted", product=product, buyer=makers.BuyerMaker(), quantity=10)
    return Payment.objects.create(
        trial=trial,
        provider="stripe",
        idempotency_key=f"trial-{trial.pk}-attempt-1",
        amount=trial.total,
        provider_reference="pi_test_9",
        client_secret="pi_test_9_secret_x",
    )


def _signed(client, payload: bytes, secret=WEBHOOK_SECRET):
    ts = int(time.time())
    sig = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=f"t={ts},v1={sig}"
    )


GOOD = {
    "id": "evt_1",
    "type": "payment_intent.succeeded",
    "created": 1_800_000_000,
    "data": {"object": {"id": "pi_test_9", "object": "payment_intent", "amount": 6180, "currency": "cny"}},
}


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b"[" * 50_000,
        json.dumps({k: v for k, v in GOOD.items() if k != "created"}).encode(),
        json.dumps(GOOD | {"created": "yesterday"}).encode(),
        json.dumps(GOOD | {"created": 10**30}).encode(),
        json.dumps(GOOD | {"data": {}}).encode(),
        json.dumps(GOOD | {"data": {"object": {"object": "payment_intent"}}}).encode(),
        json.dumps(
            GOOD | {"data": {"object": {"id": "pi_test_9", "object": "payment_intent", "amount": "x"}}}
        ).encode(),
        json.dumps(GOOD | {"id": "evt\x00"}).encode(),
    ],
)
def test_signed_but_malformed_stripe_event_is_400_logged_and_changes_nothing(
    client, payment, payload, caplog
):
    response = _signed(client, payload)
    assert _json(response) == (400, {"detail": "Malformed Stripe event."})
    assert "signed but malformed" in caplog.text or "Stripe webhook" in caplog.text
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert StripeEvent.objects.count() == 0
    assert not Event.objects.filter(verb__startswith="payment.").exists()


def test_only_a_bad_signature_says_invalid_signature(client, payment):
    response = _signed(client, json.dumps(GOOD).encode(), secret="whsec_wrong")
    assert _json(response) == (400, {"detail": "Invalid signature."})
    no_header = client.post(WEBHOOK, data=json.dumps(GOOD), content_type="application/json")
    assert _json(no_header) == (400, {"detail": "Invalid signature."})
    assert StripeEvent.objects.count() == 0
