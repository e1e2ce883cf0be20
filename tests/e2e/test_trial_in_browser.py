"""A real headless Chromium (Debian's, never a downloaded one) against the live server: a streamer
requests a 50%-off trial, the factory accepts it, the streamer sees it accepted and how to pay."""

import re
import time
from decimal import Decimal

import pytest

from tests import makers
from tests.e2e import conftest as e2e
from trials.models import TrialOrder

pytestmark = [
    pytest.mark.django_db(transaction=True),
    e2e.needs_chromium,
    pytest.mark.timeout(60),
]


def sign_in(browser, base_url: str, username: str, next_path: str):
    return e2e.sign_in(e2e.new_page(browser), base_url, username, next_path)


def test_streamer_requests_a_trial_factory_accepts_streamer_sees_pay_instructions(live_server, browser):
    started = time.monotonic()
    # given
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂", max_trial_quantity=50)
    product = makers.ProductMaker(factory=factory, title="桌面收纳盒", factory_price=Decimal("12.35"))
    buyer = makers.BuyerMaker(display_name="小鹿主播")
    base = live_server.url

    # when: the streamer signs in and asks for 10 units at half price
    streamer = sign_in(browser, base, buyer.user.username, f"/products/{product.pk}/")
    assert (
        streamer.locator(".user")
        .first.inner_text()
        .startswith(f"Signed in as {buyer.user.username} (Streamer)")
    )
    streamer.fill("#id_quantity", "10")
    assert streamer.inner_text("#trial-total-live") == "61.80"  # the live total, before submitting
    streamer.locator("#trial-request").get_by_role("button", name="Request a 50%-off trial").click()
    assert streamer.inner_text("#trial-unit-price") == "¥6.18"
    assert streamer.inner_text("#trial-total") == "¥61.80"
    streamer.get_by_role("button", name="Confirm trial request").click()
    streamer.wait_for_url(re.compile(r"/me/trials/\d+/$"))

    # then
    trial = TrialOrder.objects.get()
    assert (trial.status, trial.quantity, trial.total) == ("requested", 10, Decimal("61.80"))
    assert streamer.inner_text("#trial-status") == "requested"

    # when: the factory signs in, finds it among incoming trials and accepts
    owner = sign_in(browser, base, factory.owner.username, "/me/trials/")
    owner.get_by_role("link", name=str(trial)).click()
    owner.get_by_role("button", name="Accept").click()
    owner.wait_for_selector("text=Trial accepted.")

    # then: the streamer sees it accepted, pays by bank transfer and gets the instructions
    streamer.reload()
    assert streamer.inner_text("#trial-status") == "accepted"
    streamer.get_by_role("button", name="Pay").click()
    instructions = streamer.locator("#pay-instructions")
    instructions.wait_for()
    text = instructions.inner_text()
    assert f"YT{trial.pk:06d}-1" in text
    assert "¥61.80" in text
    trial.refresh_from_db()
    assert trial.status == "accepted"  # paid only when the transfer arrives
    assert time.monotonic() - started < 60
