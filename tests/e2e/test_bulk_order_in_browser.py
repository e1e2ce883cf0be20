"""Issue 17, point 1, in a real headless Chromium against the live server: a converted trial's bulk
order runs to completion. The factory confirms a delivery date; the streamer pays the deposit by
bank transfer; staff confirm it in the admin; the factory starts production and ships; the
streamer receives and pays the balance; staff confirm; the streamer completes. Each side sees only
its own buttons at each step, the money adds up to the total, and the factory reads its page in
Chinese. Screenshots per step go to test-output/bulk-order/ (desktop, and the streamer on a phone)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import makers
from tests.e2e.conftest import Shots, needs_chromium, new_page, sign_in, staff_confirms
from tests.e2e.test_trial_to_bulk_order_in_browser import act, buttons
from tests.trials.conftest import trial_at
from trials.models import BulkOrder, Payment

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium, pytest.mark.timeout(150)]


def test_bulk_order_from_conversion_to_completed(live_server, browser):
    shot = Shots("bulk-order")
    base = live_server.url
    # given: a trial converted into 300 units at ¥22.00 (¥6,600.00; the factory asks 30%)
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂", max_trial_quantity=50, trial_days=30)
    product = makers.ProductMaker(
        factory=factory, title="桌面收纳盒", factory_price=Decimal("22.00"), moq=100
    )
    buyer = makers.BuyerMaker(display_name="小鹿主播")
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    staff = makers.StaffUserMaker()
    streamer = sign_in(
        new_page(browser, width=390, height=844), base, buyer.user.username, f"/me/trials/{trial.pk}/"
    )
    act(streamer, "convert", quantity=300)
    order = BulkOrder.objects.get()
    assert (order.total, order.deposit_amount, order.balance_amount) == (
        Decimal("6600.00"),
        Decimal("1980.00"),
        Decimal("4620.00"),
    )
    # the trial page leads to the order
    streamer.locator(f"a[href='/me/bulk-orders/{order.pk}/']").first.click()
    streamer.wait_for_selector("#bulk-status")
    url = f"/me/bulk-orders/{order.pk}/"
    owner = sign_in(new_page(browser, language="zh-hans"), base, factory.owner.username, url)
    assert owner.inner_text("#bulk-status") == "待工厂确认"
    assert buttons(streamer) == ["cancel"]
    assert buttons(owner) == ["confirm", "decline"]
    shot(owner, "factory-sees-the-order-zh")

    # when: the factory confirms a delivery date three weeks out
    date = (timezone.localdate() + timedelta(days=21)).isoformat()
    act(owner, "confirm", delivery_date=date)
    assert owner.inner_text("#bulk-status") == "已确认，待付定金"

    # and: the streamer pays the deposit by bank transfer
    streamer.reload()
    assert "¥1,980.00" in streamer.locator("#pay-hint").inner_text()
    assert buttons(streamer) == ["cancel", "pay"]
    act(streamer, "pay")
    deposit = Payment.objects.get(bulk_order=order, purpose="deposit")
    instructions = streamer.locator("#pay-instructions").inner_text()
    assert deposit.reference_code in instructions and "¥1,980.00" in instructions
    shot(streamer, "streamer-deposit-instructions-phone")
    staff_confirms(browser, base, staff, deposit, shot, "staff-confirms-deposit")

    # and: the factory starts production and ships
    owner.reload()
    assert owner.inner_text("#bulk-status") == "定金已付"
    assert buttons(owner) == ["dispute", "start_production"]
    act(owner, "start_production")
    act(owner, "ship", carrier="德邦物流", tracking_number="DB20261204")
    assert owner.inner_text("#bulk-status") == "已发货"
    shot(owner, "factory-shipped-zh")

    # and: the streamer receives and pays the balance
    streamer.reload()
    assert "DB20261204" in streamer.locator("main").inner_text()
    act(streamer, "receive")
    assert streamer.inner_text("#bulk-status") == "received, awaiting the balance"
    act(streamer, "pay")
    balance = Payment.objects.get(bulk_order=order, purpose="balance")
    assert "¥4,620.00" in streamer.locator("#pay-instructions").inner_text()
    staff_confirms(browser, base, staff, balance, shot, "staff-confirms-balance")

    # when: the streamer completes
    streamer.reload()
    assert buttons(streamer) == ["complete", "dispute"]
    act(streamer, "complete")

    # then
    assert streamer.inner_text("#bulk-status") == "completed"
    owner.reload()
    assert buttons(streamer) == [] and buttons(owner) == []
    steps = streamer.locator("#bulk-steps li.done").count()
    assert steps == 8
    paid = streamer.locator("#payments").inner_text()
    assert "¥1,980.00" in paid and "¥4,620.00" in paid
    assert "桌面收纳盒" in streamer.locator("#specification").inner_text()
    shot(streamer, "streamer-completed-phone")
    shot(owner, "factory-completed-zh")
    order.refresh_from_db()
    assert order.status == "completed"
    assert sum(
        Payment.objects.filter(bulk_order=order, status="succeeded").values_list("amount", flat=True)
    ) == (order.total)
