"""Database down: 503 with Retry-After (the API's JSON error shape, a plain page for browsers),
never a 500; readiness reports the database and the broker."""

import pytest
from django.db import OperationalError, connection
from django.test import Client as PageClient
from django.test import RequestFactory
from django.urls import get_resolver

from tests.conftest import REDIS_URL, Client
from tests.core.conftest import DEAD_BROKER

MESSAGE = "The service is briefly unavailable. Please try again in a moment."


@pytest.fixture
def database_down(transactional_db):
    """Point the connection at a port where nothing listens, as if PostgreSQL had stopped."""
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    yield
    connection.close()
    connection.settings_dict["PORT"] = port


def test_an_api_request_gets_a_json_503_with_retry_after(database_down):
    # when
    response = Client().get("/api/v1/products/")
    # then
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": MESSAGE}
    assert response["Retry-After"] == "30"


def test_an_authenticated_api_write_gets_the_503_too(database_down):
    # the token lookup itself is the first query to fail
    response = Client().post(
        "/api/v1/trials/", {"product": 1, "quantity": 1}, HTTP_AUTHORIZATION="Token 0123456789abcdef"
    )
    assert response.status_code == 503
    assert response.json() == {"detail": MESSAGE}


def test_a_page_gets_a_plain_503_page_in_the_visitors_language(database_down):
    # when
    response = PageClient().get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    # then
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "服务暂时不可用，请稍后再试。" in body
    assert "Traceback" not in body


def test_a_database_error_outside_the_views_is_a_503_and_others_stay_500():
    server_error = get_resolver().resolve_error_handler(500)  # the project's handler500
    request = RequestFactory().get("/api/v1/products/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_readiness_with_the_database_down(database_down):
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "broker": "not used",
        "search": "not used",
    }
    assert response["Retry-After"] == "30"
    # liveness does not depend on the database
    assert Client().get("/health/live").json() == {"status": "ok"}


def test_readiness_when_all_is_up(db):
    response = Client().get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "not used",
        "search": "not used",
        "outbox_pending": {},
    }
    # the conventional names answer the same
    assert Client().get("/readyz").json() == response.json()
    assert Client().get("/healthz").json() == {"status": "ok"}


def test_readiness_reports_the_broker(db, broker):
    broker(REDIS_URL)
    assert Client().get("/health/ready").json()["broker"] == "ok"
    broker(DEAD_BROKER)
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
