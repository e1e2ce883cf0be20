"""Signing in and out with our pages, the header that says who is signed in, and the dashboards."""

import pytest

from tests import makers
from tests.frontend.helpers import html
from tests.trials.conftest import trial_at

pytestmark = pytest.mark.django_db


def test_sign_in_page_renders_in_both_languages(web, web_zh):
    # when
    en, zh = web.get("/sign-in/"), web_zh.get("/sign-in/")
    # then
    assert (en.status_code, zh.status_code) == (200, 200)
    assert "<h1>Sign in</h1>" in html(en)
    assert '<html lang="zh-hans">' in html(zh)


def test_signing_in_goes_to_next_and_the_header_shows_who_it_is(web, buyer):
    # when
    response = web.post(
        "/sign-in/", {"username": buyer.user.username, "password": makers.PASSWORD, "next": "/me/trials/"}
    )
    # then
    assert (response.status_code, response["Location"]) == (302, "/me/trials/")
    page = html(web.get("/"))
    assert f"Signed in as {buyer.user.username} (Streamer)" in page
    assert '<a href="/me/">Dashboard</a>' in page
    assert '<a href="/me/trials/">My trials</a>' in page


def test_signing_in_without_next_lands_on_the_dashboard(web, factory):
    # when
    response = web.post("/sign-in/", {"username": factory.owner.username, "password": makers.PASSWORD})
    # then
    assert response["Location"] == "/me/"
    assert '<a href="/me/trials/">Incoming trials</a>' in html(web.get("/me/"))


def test_signing_in_refuses_an_unsafe_next(web, buyer):
    # when
    response = web.post(
        "/sign-in/",
        {"username": buyer.user.username, "password": makers.PASSWORD, "next": "https://evil.example/"},
    )
    # then
    assert response["Location"] == "/me/"


def test_a_wrong_password_is_refused_with_a_message(web, buyer):
    # when
    response = web.post("/sign-in/", {"username": buyer.user.username, "password": "wrong"})
    # then
    assert response.status_code == 200
    assert "Please enter a correct username and password." in html(response)
    assert "_auth_user_id" not in web.session


def test_sign_out_is_a_post_and_ends_the_session(web, buyer):
    # given
    web.as_user(buyer.user)
    # when
    refused = web.get("/sign-out/")
    response = web.post("/sign-out/")
    # then
    assert refused.status_code == 405
    assert (response.status_code, response["Location"]) == (302, "/")
    assert "Sign in</a>" in html(web.get("/"))


@pytest.mark.parametrize("url", ["/me/", "/me/trials/", "/me/samples/", "/me/custom/", "/me/custom/new/"])
def test_signed_in_pages_send_anonymous_visitors_to_sign_in(web, url):
    # when
    response = web.get(url)
    # then
    assert (response.status_code, response["Location"]) == (302, f"/sign-in/?next={url}")


def test_streamer_dashboard_shows_their_record_and_open_deals_first(web, product, buyer):
    # given
    closed = trial_at("cancelled", product=product, buyer=buyer)
    open_ = trial_at("requested", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    # when
    response = web.as_user(buyer.user).get("/me/")
    # then
    page = html(response)
    assert response.status_code == 200
    assert "<h2>小鹿主播</h2>" in page
    assert "Your record, as factories see it" in page
    assert "<tr><th>Cancellations</th><td>1</td></tr>" in page
    assert page.index(f">{open_}<") < page.index(f">{closed}<")


def test_factory_dashboard_shows_its_record(web, factory):
    # when
    response = web.as_user(factory.owner).get("/me/")
    # then
    page = html(response)
    assert response.status_code == 200
    assert "义乌市好物收纳用品厂</a>" in page
    assert "Your record, as streamers see it" in page
    assert "<tr><th>Trials completed</th><td>0</td></tr>" in page


def test_dashboard_leads_a_user_without_a_profile_to_the_first_run_page(web):
    # when
    response = web.as_user(makers.UserMaker()).get("/me/")
    # then
    assert (response.status_code, response["Location"]) == (302, "/welcome/?next=%2Fme%2F")


def test_dashboard_speaks_chinese(web_zh, buyer):
    # when
    response = web_zh.as_user(buyer.user).get("/me/")
    # then
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html(response)


def test_factory_profile_page_shows_its_record_to_everyone(web, factory):
    # given: the record the trials app keeps
    type(factory).objects.filter(pk=factory.pk).update(response_rate="0.875", trials_completed=4)
    # when
    page = html(web.get(f"/factories/{factory.pk}/"))
    # then
    assert '<div class="panel" id="factory-record">' in page
    assert "<tr><th>Response rate</th><td>88%</td></tr>" in page
    assert "<tr><th>Trials completed</th><td>4</td></tr>" in page


def test_factory_record_shows_the_counts_behind_its_rates(web, web_zh, factory):
    # given: 4 of 20 units came back, 1 of 2 decided trials became a bulk order
    type(factory).objects.filter(pk=factory.pk).update(
        return_rate="0.200",
        units_returned=4,
        units_sold=20,
        trial_conversion_rate="0.500",
        trials_converted=1,
        trials_decided=2,
    )
    # when
    page, page_zh = (html(client.get(f"/factories/{factory.pk}/")) for client in (web, web_zh))
    # then
    assert '<td>20% <span class="muted">(4 of 20 units sold)</span></td>' in page
    assert '<td>50% <span class="muted">(1 of 2 trials)</span></td>' in page
    assert '<td>20% <span class="muted">（售出 20 件中退货 4 件）</span></td>' in page_zh
    assert '<td>50% <span class="muted">（2 次中 1 次）</span></td>' in page_zh
