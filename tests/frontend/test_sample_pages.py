"""申请样品 in the browser: request from the product page, the factory's accept / decline / ship,
the streamer's receive; refusals shown as messages that change nothing."""

import pytest

from tests.frontend.helpers import html, messages_of, verbs
from tests.trials.conftest import snapshot
from trials.flows.sample import TABLE
from trials.models import SampleRequest
from trials.services import samples

pytestmark = pytest.mark.django_db


def sample_at(status, *, product, buyer):
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk, note="想先看看做工")
    owner = product.factory.owner
    steps = {"requested": [], "accepted": ["accept"], "declined": ["decline"], "shipped": ["accept", "ship"]}
    for step in steps[status]:
        if step == "accept":
            samples.sample_accept(sample=sample, actor=owner)
        elif step == "decline":
            samples.sample_decline(sample=sample, actor=owner, reason="没货")
        elif step == "ship":
            samples.sample_ship(sample=sample, actor=owner, carrier="中通", tracking_number="ZT1")
    sample.refresh_from_db()
    return sample


def test_requesting_a_sample_from_the_product_page(web, product, buyer):
    # when
    response = web.as_user(buyer.user).post(
        f"/products/{product.pk}/sample/", {"note": "想先看看做工"}, follow=True
    )
    # then
    sample = SampleRequest.objects.get()
    assert response.redirect_chain == [(f"/me/samples/{sample.pk}/", 302)]
    assert (sample.status, sample.note, sample.buyer_id) == ("requested", "想先看看做工", buyer.pk)
    assert verbs(sample) == ["sample.requested"]
    assert messages_of(response) == ["Sample requested. The factory has 7 days to answer."]


def test_a_refused_sample_request_shows_why(web, product, buyer):
    # given
    sample_at("requested", product=product, buyer=buyer)
    factory_user = product.factory.owner
    # when
    twice = web.as_user(buyer.user).post(f"/products/{product.pk}/sample/", {}, follow=True)
    as_factory = web.as_user(factory_user).post(f"/products/{product.pk}/sample/", {}, follow=True)
    # then
    assert messages_of(twice) == ["You already have an open sample request for this product."]
    assert messages_of(as_factory) == ["Create your streamer profile first (POST /api/v1/buyers/)."]
    assert SampleRequest.objects.count() == 1


def test_sample_page_is_for_its_two_parties_only(web, product, buyer, other_buyer, other_factory):
    # given
    sample = sample_at("requested", product=product, buyer=buyer)
    url = f"/me/samples/{sample.pk}/"
    # then
    assert web.as_user(buyer.user).get(url).status_code == 200
    assert web.as_user(product.factory.owner).get(url).status_code == 200
    assert web.as_user(other_buyer.user).get(url).status_code == 404
    assert web.as_user(other_factory.owner).post(f"{url}accept/").status_code == 404
    assert SampleRequest.objects.get().status == "requested"


def test_factory_accepts_ships_and_streamer_receives(web, product, buyer):
    # given
    sample = sample_at("requested", product=product, buyer=buyer)
    url = f"/me/samples/{sample.pk}/"
    page = html(web.as_user(product.factory.owner).get(url))
    assert 'class="action-accept"' in page and 'class="action-decline"' in page
    assert "The streamer's record" in page
    # when / then
    for user, action, data, status in [
        (product.factory.owner, "accept", {}, "accepted"),
        (product.factory.owner, "ship", {"carrier": "中通", "tracking_number": "ZT778899"}, "shipped"),
        (buyer.user, "receive", {}, "received"),
    ]:
        response = web.as_user(user).post(f"{url}{action}/", data)
        assert response["Location"] == url
        sample.refresh_from_db()
        assert sample.status == status
        assert verbs(sample)[-1] == TABLE.verb(action)
    assert (sample.carrier, sample.tracking_number) == ("中通", "ZT778899")


def test_factory_declines_with_a_reason(web, product, buyer):
    # given
    sample = sample_at("requested", product=product, buyer=buyer)
    # when
    response = web.as_user(product.factory.owner).post(
        f"/me/samples/{sample.pk}/decline/", {"reason": "本月样品已发完"}, follow=True
    )
    # then
    sample.refresh_from_db()
    assert (sample.status, sample.decline_reason) == ("declined", "本月样品已发完")
    assert messages_of(response) == ["Sample request declined."]
    assert "本月样品已发完" in html(response)


@pytest.mark.parametrize(
    ("status", "who", "action", "data", "message"),
    [
        ("requested", "buyer", "accept", {}, "You are not allowed to accept this."),
        ("declined", "factory", "accept", {}, "Cannot accept: it is declined."),
        ("accepted", "factory", "ship", {"carrier": "中通"}, "Tracking number: This field is required."),
        ("accepted", "buyer", "receive", {}, "Cannot receive: it is accepted."),
        ("shipped", "buyer", "cancel", {}, "Cannot cancel: it is shipped."),
    ],
)
def test_a_refused_sample_button_shows_the_message_and_changes_nothing(
    web, product, buyer, status, who, action, data, message
):
    # given
    sample = sample_at(status, product=product, buyer=buyer)
    before = snapshot(sample)
    user = buyer.user if who == "buyer" else product.factory.owner
    # when
    response = web.as_user(user).post(f"/me/samples/{sample.pk}/{action}/", data, follow=True)
    # then
    assert messages_of(response) == [message]
    assert snapshot(sample) == before


def test_sample_lists_for_both_sides_and_in_chinese(web, web_zh, product, buyer):
    # given
    sample = sample_at("requested", product=product, buyer=buyer)
    # when
    as_buyer = html(web.as_user(buyer.user).get("/me/samples/"))
    as_factory = html(web.as_user(product.factory.owner).get("/me/samples/"))
    zh = web_zh.as_user(buyer.user).get(f"/me/samples/{sample.pk}/")
    # then
    assert "<h1>My sample requests</h1>" in as_buyer and f">{sample}<" in as_buyer
    assert "<h1>Incoming sample requests</h1>" in as_factory and f">{sample}<" in as_factory
    assert zh.status_code == 200 and '<html lang="zh-hans">' in html(zh)
