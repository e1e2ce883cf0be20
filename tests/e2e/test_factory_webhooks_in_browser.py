"""Issue 12: in a real headless Chromium (Chinese, desktop and a 390 px phone), a factory's owner
opens Webhooks from the workspace, subscribes an https URL to product.* and reads the secret
once, sees a failed delivery in the log with its attempts, sends it again, and deletes the
webhook (saying yes to the confirmation). Screenshots under test-output/factory-webhooks-<width>/."""

import re

import pytest

from partners.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from partners.webhooks.sealing import unseal
from tests import makers
from tests.e2e.conftest import Shots, needs_chromium, new_page, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium, pytest.mark.timeout(90)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_factory_manages_its_webhooks_in_the_browser(live_server, browser, width):
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂")
    page = new_page(browser, language="zh-hans", width=width)
    shots = Shots(f"factory-webhooks-{width}")
    # when: from the workspace to the webhooks page
    sign_in(page, live_server.url, factory.owner.username, "/me/")
    page.locator("main").get_by_role("link", name="Webhook", exact=True).click()
    page.wait_for_url(re.compile(r".*/me/factory/webhooks/$"))
    assert "还没有 Webhook" in page.locator("main").inner_text()
    shots(page, "empty")
    page.fill("#webhook-url", "https://erp.example.com/yuantou")
    assert page.locator("input[name=event_types][value='product.*']").is_checked()
    page.locator("main").get_by_role("button", name="订阅").click()
    page.wait_for_selector("#webhook-url")
    # then: the secret shown this once, the subscription the factory's own
    subscription = WebhookSubscription.objects.get()
    assert (subscription.factory_id, subscription.event_types) == (factory.pk, ["product.*"])
    assert unseal(subscription.secret_sealed) in page.locator("body").inner_text()
    shots(page, "subscribed")
    # given: a delivery that failed
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id="8b0c9c1e-1c1a-4c33-9a57-3f1f3c1a2001",
        event_type="product.updated",
        object_key="product:41",
        payload={},
        status=DeliveryStatus.FAILED,
        attempts=11,
        last_status_code=503,
    )
    page.reload()
    log = page.locator(f"#webhook-{subscription.pk}").inner_text()
    assert "product.updated" in log and "HTTP 503" in log and "11" in log
    assert unseal(subscription.secret_sealed) not in page.locator("body").inner_text()
    shots(page, "log")
    # when: sent again
    page.locator("main").get_by_role("button", name="重新发送").click()
    page.locator(f"#webhook-{subscription.pk} .address").nth(1).wait_for()
    # then: a new pending delivery of the same event
    again = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert (again.redelivery_of_id, again.status) == (delivery.pk, "pending")
    shots(page, "redelivered")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    # when: deleted (the confirmation is accepted)
    page.locator("main").get_by_role("button", name="删除").click()
    page.locator(f"#webhook-{subscription.pk}").wait_for(state="detached")
    assert WebhookSubscription.objects.count() == 0
    shots(page, "deleted")
