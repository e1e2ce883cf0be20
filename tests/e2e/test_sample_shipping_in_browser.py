"""Issue 18 in a real headless Chromium: a streamer adds an address with the province → city →
district pickers, asks for a sample; the factory sees only the city until it accepts, then the
full address and the packing slip, and ships with a checked tracking number. The factory's pages
name the streamer by display name, never by login. Screenshots go to test-output/sample-shipping/."""

from decimal import Decimal

import pytest

from tests import makers
from tests.e2e.conftest import Shots, needs_chromium, new_page, sign_in
from tests.e2e.test_trial_to_bulk_order_in_browser import act, buttons
from trials.models import SampleRequest

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium, pytest.mark.timeout(120)]


def test_address_sample_accept_packing_slip_and_ship(live_server, browser):
    shot = Shots("sample-shipping")
    base = live_server.url
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂")
    product = makers.ProductMaker(
        factory=factory, title="桌面收纳盒", factory_price=Decimal("22.00"), moq=100
    )
    streamer = makers.BuyerMaker(display_name="小鹿主播", address=False)
    # given: the streamer adds an address on a phone, picking the divisions from the lists
    phone = sign_in(
        new_page(browser, language="zh-hans", width=390, height=844),
        base,
        streamer.user.username,
        "/me/addresses/",
    )
    phone.fill("#id_recipient", "林小鹿")
    phone.fill("#id_mobile", "138 1234 5678")
    phone.locator("#id_province_code option[value='330000']").wait_for(state="attached")
    phone.select_option("#id_province_code", "330000")
    phone.locator("#id_city_code option[value='330100']").wait_for(state="attached")
    phone.select_option("#id_city_code", "330100")
    phone.locator("#id_district_code option[value='330106']").wait_for(state="attached")
    phone.select_option("#id_district_code", "330106")
    phone.fill("#id_street", "文三路 90 号 3 幢 501")
    shot(phone, "streamer-adds-address-phone-zh")
    phone.locator("#address-new button[type=submit]").click()
    phone.wait_for_load_state()
    assert (
        "林小鹿 13812345678 浙江省杭州市西湖区文三路 90 号 3 幢 501"
        in phone.locator("#address-book").inner_text()
    )
    shot(phone, "address-book-phone-zh")

    # when: the streamer asks for a sample from the product page
    phone.goto(f"{base}/products/{product.pk}/")
    phone.locator("#sample-request button[type=submit]").click()
    phone.wait_for_load_state()
    sample = SampleRequest.objects.get()
    url = f"/me/samples/{sample.pk}/"

    # then: the factory sees the city only, and the streamer's name, never the login
    owner = sign_in(new_page(browser), base, factory.owner.username, url)
    panel = owner.locator("#shipping-address").inner_text()
    assert "浙江省 杭州市" in panel and "林小鹿" not in panel and "5678" not in panel
    assert streamer.user.username not in owner.locator("main").inner_text()
    assert "小鹿主播" in owner.locator("main").inner_text()
    shot(owner, "factory-sees-city-only")

    # when: it accepts (after confirming nothing irreversible: accept asks nothing)
    assert buttons(owner) == ["accept", "decline"]
    act(owner, "accept")

    # then: the full address with the number, and the packing slip
    assert "林小鹿 13812345678" in owner.locator("#shipping-address").inner_text()
    owner.locator("#packing-slip-link").click()
    owner.wait_for_selector("#packing-slip")
    slip = owner.locator("#packing-slip").inner_text()
    assert ("桌面收纳盒" in slip and "文三路 90 号 3 幢 501" in slip and f"S{sample.pk:06d}" in slip) or str(
        sample
    ) in slip
    shot(owner, "packing-slip")
    owner.go_back()

    # and: a tracking number that cannot be SF's is refused, the right one ships
    act(owner, "ship", carrier="顺丰速运", tracking_number="SF123")
    assert "This is not a 顺丰速运 tracking number" in owner.locator(".messages").inner_text()
    act(owner, "ship", carrier="顺丰速运", tracking_number="SF1234567890123")
    sample.refresh_from_db()
    assert (sample.status, sample.tracking_number) == ("shipped", "SF1234567890123")
    # after shipping the number is masked again
    assert "138****5678" in owner.locator("#shipping-address").inner_text()
    shot(owner, "factory-shipped")
