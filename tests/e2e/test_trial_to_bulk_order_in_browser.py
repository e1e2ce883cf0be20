"""Issue 9, journey (d), in a real headless Chromium against the live server: the factory accepts a
streamer's 50%-off trial on its workspace; the streamer pays by bank transfer; staff confirm the
transfer in the admin; the factory ships; the streamer receives, reports results and converts to a
bulk order after reading its unit price and total. Each side sees only its own buttons. A
screenshot per step goes to test-output/trial-to-bulk-order/."""

from decimal import Decimal

import pytest

from tests import makers
from tests.e2e.conftest import Shots, needs_chromium, new_page, sign_in, staff_confirms
from trials.models import BulkOrder, Payment, TrialOrder
from trials.services.trials import trial_create

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium, pytest.mark.timeout(120)]


def buttons(page) -> list[str]:
    """The actions the page offers this person now (one form per allowed transition)."""
    return sorted(
        c.removeprefix("action-")
        for c in page.locator("form[class^='action-']").evaluate_all("fs => fs.map(f => f.className)")
    )


def act(page, name: str, **fields) -> None:
    form = page.locator(f"form.action-{name}")
    for field, value in fields.items():
        form.locator(f"[name={field}]").fill(str(value))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_accept_pay_confirm_ship_receive_feedback_and_bulk_order(live_server, browser):
    shot = Shots("trial-to-bulk-order")
    base = live_server.url
    # given: a trial of 20 units requested by the streamer (¥22.00 → ¥11.00 each)
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂", max_trial_quantity=50, trial_days=30)
    product = makers.ProductMaker(
        factory=factory, title="桌面收纳盒", factory_price=Decimal("22.00"), moq=100
    )
    buyer = makers.BuyerMaker(display_name="小鹿主播")
    trial = trial_create(actor=buyer.user, product_id=product.pk, quantity=20)
    url = f"/me/trials/{trial.pk}/"
    owner = sign_in(new_page(browser), base, factory.owner.username, url)
    streamer = sign_in(new_page(browser), base, buyer.user.username, url)

    # when: the factory accepts (the streamer has no factory buttons)
    assert buttons(streamer) == ["cancel"]
    assert buttons(owner) == ["accept", "decline"]
    shot(owner, "factory-sees-request")
    act(owner, "accept")
    assert "Trial accepted." in owner.locator(".messages").inner_text()

    # and: the streamer pays by bank transfer and reads the instructions
    streamer.reload()
    assert streamer.inner_text("#trial-status") == "accepted"
    assert buttons(streamer) == ["cancel", "pay"]
    act(streamer, "pay")
    instructions = streamer.locator("#pay-instructions").inner_text()
    payment = Payment.objects.get(trial=trial)
    assert payment.reference_code in instructions and "¥220.00" in instructions
    shot(streamer, "bank-transfer-instructions")

    # and: staff confirm the transfer in the admin
    staff_confirms(browser, base, makers.StaffUserMaker(), payment, shot, "staff-confirms-transfer")

    # and: the factory ships with a carrier and tracking number
    owner.reload()
    assert owner.inner_text("#trial-status") == "paid"
    assert "ship" in buttons(owner)
    act(owner, "ship", carrier="顺丰速运", tracking_number="SF1234567890123")
    shot(owner, "factory-shipped")

    # and: the streamer receives, then reports results
    streamer.reload()
    assert streamer.inner_text("#trial-status") == "shipped"
    assert "SF1234567890123" in streamer.locator("main").inner_text()
    act(streamer, "receive")
    assert streamer.inner_text("#trial-status") == "in trial"
    act(streamer, "feedback", units_sold=18, units_returned=1, rating=5, comment="卖得很好，回购")
    assert streamer.inner_text("#trial-status") == "feedback submitted"
    shot(streamer, "feedback-reported")

    # then: the bulk price is shown before the order button, at the full factory price
    preview = streamer.locator("#bulk-preview").inner_text()
    assert "¥22.00" in preview and "¥2,200.00" in preview
    page_text = streamer.locator("main").inner_text()
    assert page_text.index("Bulk order price") < page_text.index("Place a bulk order")
    assert buttons(owner) == []  # nothing for the factory to do meanwhile

    # when
    act(streamer, "convert", quantity=300)

    # then
    streamer.wait_for_selector("#trial-status")
    assert streamer.inner_text("#trial-status") == "converted to an order"
    shot(streamer, "bulk-order-placed")
    bulk = BulkOrder.objects.get()
    assert (bulk.quantity, bulk.unit_price, bulk.total) == (300, Decimal("22.00"), Decimal("6600.00"))
    trial = TrialOrder.objects.get()
    assert (trial.status, trial.units_sold, trial.units_returned, trial.rating) == ("converted", 18, 1, 5)
    assert "¥6,600.00" in streamer.locator("main").inner_text()
