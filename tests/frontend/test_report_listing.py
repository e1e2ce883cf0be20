"""Reporting a listing from its page (issue 17, point 5): the staff moderation queue."""

import pytest

from factories.models import ProductReport
from tests import makers
from tests.frontend.helpers import html, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(db):
    return makers.ProductMaker()


def test_a_streamer_reports_a_fake_from_the_product_page(web, product):
    # given
    buyer = makers.BuyerMaker()
    page = html(web.as_user(buyer.user).get(f"/products/{product.pk}/"))
    assert '<details class="panel" id="report"><summary>Report this listing</summary>' in page
    # when
    response = web.post(
        f"/products/{product.pk}/report/", {"reason": "counterfeit", "detail": "商标是别人的"}, follow=True
    )
    # then: one open report in the queue, and the person is told
    assert messages_of(response) == ["Thank you: staff will look at this listing."]
    report = ProductReport.objects.get()
    assert (report.product_id, report.reporter_id, report.reason, report.detail, report.status) == (
        product.pk,
        buyer.user.pk,
        "counterfeit",
        "商标是别人的",
        "open",
    )


def test_a_second_open_report_is_refused_with_a_reason(web, product):
    buyer = makers.BuyerMaker()
    web.as_user(buyer.user).post(f"/products/{product.pk}/report/", {"reason": "misleading"}, follow=True)
    response = web.post(f"/products/{product.pk}/report/", {"reason": "counterfeit"}, follow=True)
    assert messages_of(response) == ["You have already reported this product; staff are looking at it."]
    assert ProductReport.objects.count() == 1


def test_a_factory_cannot_report_its_own_listing_and_sees_no_form(web, product):
    owner = product.factory.owner
    assert 'id="report"' not in html(web.as_user(owner).get(f"/products/{product.pk}/"))
    response = web.post(f"/products/{product.pk}/report/", {"reason": "counterfeit"}, follow=True)
    assert messages_of(response) == ["You cannot report your own product; edit or delist it instead."]
    assert not ProductReport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"reason": "nonsense"},
            "What is wrong: Select a valid choice. nonsense is not one of the available choices.",
        ),
        (
            {"reason": "other", "detail": "x" * 5001},
            "Details for staff (optional): Ensure this value has at most 5000 characters (it has 5001).",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_queued(web, product, data, message):
    buyer = makers.BuyerMaker()
    response = web.as_user(buyer.user).post(f"/products/{product.pk}/report/", data, follow=True)
    assert messages_of(response) == [message]
    assert not ProductReport.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(web, product):
    page = html(web.get(f"/products/{product.pk}/"))
    assert "Sign in to report this listing" in page
    response = web.post(f"/products/{product.pk}/report/", {"reason": "other"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not ProductReport.objects.exists()


def test_the_form_is_in_chinese_for_chinese_readers(web_zh, product):
    buyer = makers.BuyerMaker()
    page = html(web_zh.as_user(buyer.user).get(f"/products/{product.pk}/"))
    assert "<summary>举报这个商品</summary>" in page
