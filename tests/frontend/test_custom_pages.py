"""定制 in the browser: the request form (to one factory or open), the factory's quote form, the
side-by-side comparison with "accept" (which starts a trial run), messages and cancel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import makers
from tests.frontend.helpers import html, messages_of, verbs
from tests.trials.conftest import snapshot
from trials.models import CustomRequest, Quote, TrialOrder
from trials.services import custom

pytestmark = pytest.mark.django_db

FORM = {
    "title": "定制款硅胶收纳袋",
    "requirements": "加厚硅胶，印我们的logo，三种颜色",
    "benchmark_url": "https://example.com/item/1",
    "target_unit_price": "9.50",
    "quantity": 1000,
}


def in_days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def request_to(factory, buyer, **extra) -> CustomRequest:
    data = {
        **FORM,
        "factory": factory.pk if factory else None,
        "deadline": timezone.now() + timedelta(days=7),
    }
    return custom.custom_request_create(actor=buyer.user, data={**data, **extra})


def quote_from(factory, req, **extra) -> Quote:
    data = {
        "unit_price": Decimal("8.80"),
        "moq": 500,
        "lead_time_days": 15,
        "proposal": "加厚方案",
        "trial_quantity": 50,
    }
    return custom.quote_submit(request=req, actor=factory.owner, data={**data, **extra})


def test_factory_page_links_streamers_to_a_directed_request_form(web, factory, buyer):
    # when
    page = html(web.as_user(buyer.user).get(f"/factories/{factory.pk}/"))
    form = web.get(f"/me/custom/new/?factory={factory.pk}")
    # then
    assert f'href="/me/custom/new/?factory={factory.pk}"' in page
    assert form.status_code == 200
    assert "To 义乌市好物收纳用品厂 only." in html(form)
    assert f'name="factory" value="{factory.pk}"' in html(form)


def test_sending_a_directed_request(web, factory, buyer):
    # when
    response = web.as_user(buyer.user).post(
        "/me/custom/new/", {**FORM, "factory": factory.pk, "deadline": in_days(10)}, follow=True
    )
    # then
    req = CustomRequest.objects.get()
    assert response.redirect_chain == [(f"/me/custom/{req.pk}/", 302)]
    assert (req.factory_id, req.title, req.quantity, req.status) == (
        factory.pk,
        "定制款硅胶收纳袋",
        1000,
        "open",
    )
    assert timezone.localtime(req.deadline).date().isoformat() == in_days(10)
    assert verbs(req) == ["custom.requested"]
    assert messages_of(response) == ["Request sent. Quotes will appear on this page."]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": in_days(-1)}, "The deadline must be in the future."),
        ({"title": ""}, "Title: This field is required."),
        ({"category": "no-such-thing"}, "Unknown category."),
    ],
)
def test_a_refused_request_is_shown_again_with_why_and_nothing_is_created(web, buyer, change, message):
    # when
    response = web.as_user(buyer.user).post("/me/custom/new/", {**FORM, "deadline": in_days(5), **change})
    # then
    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert "加厚硅胶，印我们的logo，三种颜色" in html(response)  # what was typed is kept
    assert CustomRequest.objects.count() == 0


def test_factory_quotes_from_the_request_page(web, factory, buyer):
    # given
    req = request_to(factory, buyer)
    url = f"/me/custom/{req.pk}/"
    assert 'id="quote-form"' in html(web.as_user(factory.owner).get(url))
    # when
    response = web.post(
        f"{url}quote/",
        {
            "unit_price": "8.80",
            "moq": 500,
            "lead_time_days": 15,
            "proposal": "加厚方案",
            "trial_quantity": 50,
        },
        follow=True,
    )
    # then
    quote = Quote.objects.get()
    assert (quote.factory_id, quote.unit_price, quote.moq) == (factory.pk, Decimal("8.80"), 500)
    assert verbs(req)[-1] == "custom.quoted"
    assert messages_of(response) == ["Quote sent to the streamer."]
    assert 'id="quote-form"' not in html(response) and "<h2>Your quote</h2>" in html(response)


def test_a_refused_quote_shows_why_and_creates_nothing(web, factory, buyer):
    # given
    req = request_to(factory, buyer)
    before = snapshot(req)
    # when
    response = web.as_user(factory.owner).post(
        f"/me/custom/{req.pk}/quote/",
        {"unit_price": "8.80", "moq": 100, "lead_time_days": 15, "proposal": "x", "trial_quantity": 200},
        follow=True,
    )
    # then
    assert messages_of(response) == ["The trial run can't be larger than the MOQ."]
    assert Quote.objects.count() == 0
    assert snapshot(req) == before


def test_streamer_compares_quotes_side_by_side_and_accepts_one(web, buyer):
    # given: an open request quoted by two fitting factories
    cheap, quick = makers.FactoryMaker(categories=["storage"]), makers.FactoryMaker(categories=["storage"])
    req = request_to(None, buyer, category="storage")
    quote_from(quick, req, unit_price=Decimal("9.90"), lead_time_days=7)
    chosen = quote_from(cheap, req, unit_price=Decimal("8.80"), lead_time_days=20, trial_quantity=40)
    # when
    page = html(web.as_user(buyer.user).get(f"/me/custom/{req.pk}/"))
    # then: cheapest total for 1000 units first
    assert "¥8,800.00" in page and "¥9,900.00" in page
    assert page.index("¥8,800.00") < page.index("¥9,900.00")
    assert "40 × ¥4.40 = ¥176.00" in page
    # when
    response = web.post(f"/me/custom/{req.pk}/quotes/{chosen.pk}/accept/", follow=True)
    # then
    trial = TrialOrder.objects.get()
    assert response.redirect_chain == [(f"/me/trials/{trial.pk}/", 302)]
    assert (trial.status, trial.quote_id, trial.quantity, trial.total) == (
        "accepted",
        chosen.pk,
        40,
        Decimal("176.00"),
    )
    req.refresh_from_db()
    assert req.status == "accepted"
    assert "custom.accepted" in verbs(req)
    assert messages_of(response) == ["Quote accepted: its trial run is ready to pay."]
    assert 'class="action-pay"' in html(response)


def test_accepting_after_cancelling_is_refused_and_changes_nothing(web, factory, buyer):
    # given
    req = request_to(factory, buyer)
    quote = quote_from(factory, req)
    cancelled = web.as_user(buyer.user).post(f"/me/custom/{req.pk}/cancel/", follow=True)
    assert messages_of(cancelled) == ["Request cancelled."]
    req.refresh_from_db()
    assert req.status == "cancelled"
    assert verbs(req)[-1] == "custom.cancelled"
    before = snapshot(req)
    # when
    response = web.post(f"/me/custom/{req.pk}/quotes/{quote.pk}/accept/", follow=True)
    # then
    assert messages_of(response) == ["Cannot accept: it is cancelled."]
    assert snapshot(req) == before
    assert TrialOrder.objects.count() == 0


def test_a_factory_cannot_accept_a_quote(web, factory, buyer):
    # given
    req = request_to(factory, buyer)
    quote = quote_from(factory, req)
    before = snapshot(req)
    # when
    response = web.as_user(factory.owner).post(f"/me/custom/{req.pk}/quotes/{quote.pk}/accept/", follow=True)
    # then
    assert messages_of(response) == ["You are not allowed to accept this."]
    assert snapshot(req) == before


def test_request_page_is_for_the_streamer_and_the_factories_it_went_to(
    web, factory, buyer, other_buyer, other_factory
):
    # given
    req = request_to(factory, buyer)
    url = f"/me/custom/{req.pk}/"
    # then
    assert web.as_user(buyer.user).get(url).status_code == 200
    assert web.as_user(factory.owner).get(url).status_code == 200
    assert web.as_user(other_buyer.user).get(url).status_code == 404
    assert web.as_user(other_factory.owner).get(url).status_code == 404
    assert web.as_user(other_factory.owner).post(f"{url}quote/", {}).status_code == 404
    assert web.as_user(other_buyer.user).post(f"{url}cancel/").status_code == 404
    req.refresh_from_db()
    assert req.status == "open"


def test_both_sides_write_in_the_thread(web, factory, buyer):
    # given
    req = request_to(factory, buyer)
    url = f"/me/custom/{req.pk}/"
    # when
    web.as_user(buyer.user).post(f"{url}messages/", {"body": "能做磨砂款吗？"})
    response = web.as_user(factory.owner).post(f"{url}messages/", {"body": "可以，加0.5元"}, follow=True)
    empty = web.post(f"{url}messages/", {"body": ""}, follow=True)
    # then
    page = html(response)
    assert "能做磨砂款吗？" in page and "可以，加0.5元" in page
    assert messages_of(empty) == ["Message: This field is required."]
    assert req.messages.count() == 2


def test_custom_lists_and_chinese_page(web, web_zh, factory, buyer):
    # given
    req = request_to(factory, buyer)
    # when
    as_buyer = html(web.as_user(buyer.user).get("/me/custom/"))
    as_factory = html(web.as_user(factory.owner).get("/me/custom/"))
    zh = web_zh.as_user(buyer.user).get(f"/me/custom/{req.pk}/")
    # then
    assert "<h1>My custom requests</h1>" in as_buyer and "定制款硅胶收纳袋</a>" in as_buyer
    assert "<h1>Incoming custom requests</h1>" in as_factory and "定制款硅胶收纳袋</a>" in as_factory
    assert zh.status_code == 200 and '<html lang="zh-hans">' in html(zh)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # refused by the service (a rule across fields)
        ({"trial_quantity": 200}, "The trial run can't be larger than the MOQ."),
        # refused by the form (one field)
        ({"lead_time_days": "abc"}, "Lead time (days): Enter a whole number."),
    ],
)
def test_a_refused_quote_keeps_everything_typed(web, factory, buyer, typed, message):
    req = request_to(factory, buyer)
    data = {
        "unit_price": "8.80",
        "moq": 100,
        "lead_time_days": 15,
        "proposal": "加厚硅胶方案，三色可选",
        "trial_quantity": 50,
        **typed,
    }
    response = web.as_user(factory.owner).post(f"/me/custom/{req.pk}/quote/", data)
    assert response.status_code == 200
    assert messages_of(response) == [message]
    page = html(response)
    assert 'value="8.80"' in page and "加厚硅胶方案，三色可选</textarea>" in page
    assert Quote.objects.count() == 0
