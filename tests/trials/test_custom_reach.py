"""Open custom requests (issue 17, point 3): a request that fits nobody says so and how to widen it,
staff see it in a queue, and factories quoting the same request never learn of each other."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.notifications.models import Notification
from tests import makers
from tests.frontend.conftest import Browser
from tests.frontend.helpers import html, messages_of
from trials.models import CustomRequest
from trials.services import custom

pytestmark = pytest.mark.django_db
API = "/api/v1/custom-requests/"


def _customizer(category: str, **fields):
    factory = makers.FactoryMaker(customization="odm", categories=[category], **fields)
    makers.ProductMaker(factory=factory, category=makers.category(category), factory_price=Decimal("10"))
    return factory


def _data(**extra) -> dict:
    return {
        "title": "定制面膜礼盒",
        "requirements": "10 片装，礼盒印 logo",
        "category": "facial-masks",
        "target_unit_price": "10.00",
        "quantity": 1000,
        "deadline": (timezone.now() + timedelta(days=7)).isoformat(),
        **extra,
    }


def _api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---- a request that fits nobody ------------------------------------------------------------------
def test_a_request_nobody_fits_says_so_and_how_to_widen_it(buyer):
    # given: nobody customizes facial masks; one factory does skincare, a sibling under 美妆个护;
    # a ceramics maker is never in reach of a mask request, however wide
    _customizer("skincare")
    ceramics = _customizer("ceramics")
    # when
    response = _api(buyer.user).post(API, _data(), content_type="application/json")
    # then: created, offered to nobody, nobody notified, the parent category would reach one
    assert response.status_code == 201
    assert response.json()["reach"] == {"offered": 0, "widen": [{"category": "beauty", "factories": 1}]}
    assert Notification.objects.filter(kind="custom.offered").count() == 0
    assert not ceramics.owner.notifications.exists()
    # a list shows the count, and leaves the (matching) widening to the request's own page
    listed = _api(buyer.user).get(API).json()["results"][0]
    assert listed["reach"] == {"offered": 0, "widen": None}


def test_without_any_fitting_category_there_is_nothing_to_suggest(buyer):
    response = _api(buyer.user).post(API, _data(category="tea-sets"), content_type="application/json")
    assert response.json()["reach"] == {"offered": 0, "widen": []}


def test_a_request_that_reached_factories_has_nothing_to_widen(buyer):
    _customizer("facial-masks")
    response = _api(buyer.user).post(API, _data(), content_type="application/json")
    assert response.json()["reach"] == {"offered": 1, "widen": []}


def test_the_page_never_says_sent_when_nobody_received_it(buyer):
    # given
    _customizer("skincare")
    web = Browser().as_user(buyer.user)
    form = {k: v for k, v in _data().items() if k != "deadline"}
    form["deadline"] = (timezone.localdate() + timedelta(days=7)).isoformat()
    # when
    response = web.post("/me/custom/new/", form, follow=True)
    # then
    assert messages_of(response) == ["No factory fits this request yet, so nobody has received it."]
    page = html(response)
    assert '<div class="panel" id="unreached"><h2>Nobody has received this request</h2>' in page
    assert "Asked in the wider category “Beauty &amp; Personal Care”, it would reach 1 factory." in page
    assert 'href="/me/custom/new/?category=beauty"' in page
    chinese = html(Browser(language="zh-hans").as_user(buyer.user).get(response.redirect_chain[-1][0]))
    assert "改在更宽的类目“美妆个护”下发布，可以发给 1 家工厂。" in chinese
    # the form opens on the wider category
    assert '<option value="beauty" selected>' in html(web.get("/me/custom/new/?category=beauty"))


def test_a_request_that_reached_factories_is_sent(buyer):
    _customizer("facial-masks")
    web = Browser().as_user(buyer.user)
    form = {**_data(), "deadline": (timezone.localdate() + timedelta(days=7)).isoformat()}
    response = web.post("/me/custom/new/", form, follow=True)
    assert messages_of(response) == ["Request sent. Quotes will appear on this page."]
    assert 'id="unreached"' not in html(response)


def test_staff_see_the_requests_nobody_received_in_a_queue(buyer, staff):
    # given: one request offered to nobody, one offered, one directed to a factory
    nobody = custom.custom_request_create(actor=buyer.user, data={**_data(), "deadline": _deadline()})
    fitting = _customizer("skincare")
    reached = custom.custom_request_create(
        actor=buyer.user, data={**_data(category="skincare", title="精华定制"), "deadline": _deadline()}
    )
    directed = custom.custom_request_create(
        actor=buyer.user, data={**_data(title="定向需求"), "factory": fitting.pk, "deadline": _deadline()}
    )
    assert reached.offers.count() == 1 and directed.offers.count() == 0
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    # when
    page = html(Browser().as_user(staff).get("/admin/trials/customrequest/?reach=nobody"))
    # then
    assert f"/admin/trials/customrequest/{nobody.pk}/change/" in page
    assert f"/admin/trials/customrequest/{reached.pk}/change/" not in page
    assert f"/admin/trials/customrequest/{directed.pk}/change/" not in page


def _deadline():
    return timezone.now() + timedelta(days=7)


# ---- competitors stay unknown to each other ---------------------------------------------------
@pytest.fixture
def contest(buyer):
    """An open request offered to two factories; the first has quoted."""
    first = _customizer("facial-masks", name="甲面膜厂")
    second = _customizer("facial-masks", name="乙面膜厂")
    req = custom.custom_request_create(actor=buyer.user, data={**_data(), "deadline": _deadline()})
    assert req.offers.count() == 2
    custom.quote_submit(
        request=req,
        actor=first.owner,
        data={
            "unit_price": Decimal("9.80"),
            "moq": 500,
            "lead_time_days": 15,
            "proposal": "礼盒方案",
            "trial_quantity": 50,
        },
    )
    return req, first, second


def test_a_factory_reads_nothing_of_its_competitors(contest):
    req, first, second = contest
    rival = first.owner.username
    # the API: the request, the list, the quotes
    api = _api(second.owner)
    detail = api.get(f"{API}{req.pk}/")
    assert detail.json()["quotes_count"] is None and detail.json()["offers"] == []
    assert detail.json()["reach"] is None
    assert api.get(API).json()["results"][0]["quotes_count"] is None
    assert api.get(f"{API}{req.pk}/quotes/").json() == []
    # the page: no quote event, no rival's name, no price
    page = html(Browser().as_user(second.owner).get(f"/me/custom/{req.pk}/"))
    for leak in (rival, first.name, "9.80", "Quote received"):
        assert leak not in page, leak
    for body in (detail.content, api.get(API).content):
        assert rival.encode() not in body and b"9.80" not in body


def test_the_quoting_factory_sees_its_own_step_and_the_streamer_sees_all(contest, buyer):
    req, first, _second = contest
    own = html(Browser().as_user(first.owner).get(f"/me/custom/{req.pk}/"))
    assert 'data-verb="custom.quoted"' in own and first.owner.username in own
    assert _api(buyer.user).get(f"{API}{req.pk}/").json()["quotes_count"] == 1
    streamer_page = html(Browser().as_user(buyer.user).get(f"/me/custom/{req.pk}/"))
    assert 'data-verb="custom.quoted"' in streamer_page
    assert CustomRequest.objects.get(pk=req.pk).quotes_count == 1
