"""Friendly 403 / 404 / 500 pages in both languages; the API keeps its JSON errors."""

import pytest
from django.test import Client

from tests import makers
from tests.frontend.helpers import html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/no-such-page/", "/products/999999/", "/factories/999999/", "/me/trials/999999/"]
)
def test_a_missing_page_is_friendly_in_english(web, buyer, url):
    # when
    response = web.as_user(buyer.user).get(url)
    # then
    assert response.status_code == 404
    page = html(response)
    assert "<h1>Page not found</h1>" in page
    assert '<a class="button" href="/">Go to the home page</a>' in page
    assert "Signed in as" in page  # the site's own header, not a bare error


def test_a_missing_page_is_friendly_in_chinese(web_zh):
    # when
    response = web_zh.get("/no-such-page/")
    # then
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in html(response)
    assert "<h1>页面不存在</h1>" in html(response)


def test_a_forbidden_page_is_friendly_in_both_languages(web, web_zh, buyer):
    # when: a streamer opens the factory profile form
    en = web.as_user(buyer.user).get("/me/profile/factory/")
    zh = web_zh.as_user(buyer.user).get("/me/profile/factory/")
    # then
    assert (en.status_code, zh.status_code) == (403, 403)
    assert "<h1>Not allowed</h1>" in html(en)
    assert "<h1>无权访问</h1>" in html(zh)


def test_the_api_keeps_its_json_errors(buyer):
    # given
    api = Client(HTTP_ACCEPT_LANGUAGE="en")
    # when
    unknown_path = api.get("/api/v1/no-such-endpoint/")
    unknown_object = api.get("/api/v1/products/999999/")
    forbidden = Client(HTTP_AUTHORIZATION=f"Token {makers.token_for(buyer.user)}").post(
        "/api/v1/factories/", {}, content_type="application/json"
    )
    # then
    assert (unknown_path.status_code, unknown_path["Content-Type"]) == (404, "application/json")
    assert unknown_path.json() == {"detail": "Not found."}
    assert (unknown_object.status_code, unknown_object.json()) == (
        404,
        {"detail": "No Product matches the given query."},
    )
    assert forbidden.status_code == 403
    assert forbidden["Content-Type"] == "application/json"
    assert set(forbidden.json()) == {"detail"}


@pytest.mark.urls("tests.frontend.boom_urls")
def test_a_server_error_is_a_friendly_page_in_both_languages():
    # given: the error is not re-raised into the test, as in production
    en = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    zh = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    # when
    en_page, zh_page = en.get("/boom/"), zh.get("/boom/")
    # then
    assert (en_page.status_code, zh_page.status_code) == (500, 500)
    assert "<h1>Something went wrong</h1>" in html(en_page)
    assert '<html lang="en">' in html(en_page)
    assert "<h1>出错了</h1>" in html(zh_page)
    assert '<html lang="zh-hans">' in html(zh_page)


@pytest.mark.urls("tests.frontend.boom_urls")
def test_a_server_error_under_the_api_is_json():
    # when
    response = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/boom/")
    # then
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert response.json() == {"detail": "Server error. Please try again later."}


def test_a_stale_form_gets_a_friendly_csrf_page_in_both_languages(buyer):
    # given: a browser that posts without the form's token
    en = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    zh = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    # when
    en_page = en.post("/sign-in/", {"username": buyer.user.username, "password": makers.PASSWORD})
    zh_page = zh.post("/sign-in/", {"username": buyer.user.username, "password": makers.PASSWORD})
    # then
    assert (en_page.status_code, zh_page.status_code) == (403, 403)
    assert "<h1>This form has expired</h1>" in html(en_page)
    assert "<h1>表单已过期</h1>" in html(zh_page)
    assert "_auth_user_id" not in en.session


def test_a_request_with_too_many_fields_is_a_friendly_400(web, settings):
    # given
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    # when
    response = web.post("/sign-up/", {f"f{n}": "x" for n in range(100)})
    # then
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in html(response)


def test_a_bad_request_under_the_api_is_json(settings):
    # given
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    # when
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/", {f"f{n}": "x" for n in range(100)}
    )
    # then
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
