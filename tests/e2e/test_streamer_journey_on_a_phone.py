"""Issue 9, journeys (c) and (f): on a 390×844 phone, in Chinese, a signed-in streamer searches in
Chinese from the header, narrows the results with a facet, opens the product, sees half the price
(unit and total) before confirming a 50%-off trial, and confirms it. Every page it visits fits the
screen (no sideways scrolling); a screenshot per step goes to test-output/streamer-journey/."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from factories.models import IndustrialBelt
from tests import makers
from tests.e2e.conftest import needs_chromium
from tests.search.conftest import index_all
from trials.models import TrialOrder

SHOTS = Path(settings.BASE_DIR) / "test-output" / "streamer-journey"
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_chromium,
    pytest.mark.timeout(120),
]


def fits_the_phone(page) -> bool:
    """The whole document, header included, is no wider than the screen."""
    return page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def step(page, name: str) -> None:
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    assert fits_the_phone(page), f"{name}: the page scrolls sideways on a 390 px phone"


def test_streamer_searches_narrows_and_confirms_a_half_price_trial_on_a_phone(live_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # given: face masks from two provinces, and a streamer with a profile
    guangdong = makers.FactoryMaker(
        name="广州白云美妆厂",
        province="广东",
        city="广州",
        industrial_belt=IndustrialBelt.objects.get(slug="guangzhou-baiyun-cosmetics"),
        categories=["beauty"],
        max_trial_quantity=50,
    )
    zhejiang = makers.FactoryMaker(name="义乌丽人日化厂", province="浙江", city="义乌", categories=["beauty"])
    mask = makers.ProductMaker(
        factory=guangdong,
        title="补水睡眠面膜 120g",
        category=makers.category("facial-masks"),
        factory_price=Decimal("15.00"),
        moq=500,
    )
    makers.ProductMaker(
        factory=zhejiang,
        title="玻尿酸补水面膜 10片",
        category=makers.category("facial-masks"),
        factory_price=Decimal("22.00"),
        moq=300,
    )
    makers.ProductMaker(
        factory=guangdong, title="保湿面霜", category=makers.category("skincare"), factory_price=Decimal("30")
    )
    index_all()
    buyer = makers.BuyerMaker(display_name="小鹿主播")
    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans"}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()

    # when: the streamer signs in and lands on the home page
    page.goto(f"{base}/sign-in/?next=/")
    page.get_by_label("用户名").fill(buyer.user.username)
    page.get_by_label("密码").fill(makers.PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    step(page, "1-home")

    # when: searches 面膜 from the header's search box
    header = page.locator("header form[role=search]")
    header.get_by_label("搜索商品").fill("面膜")
    header.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url(re.compile(r"/search/\?"))
    # then: both masks, not the cream; the province facet counts one each
    results = page.locator(".card .title").all_inner_texts()
    assert sorted(results) == ["玻尿酸补水面膜 10片", "补水睡眠面膜 120g"]
    step(page, "2-search")

    # when: opens the folded filters (a phone shows one "筛选" line above the results) and
    # narrows to 广东 with the province facet
    fold = page.locator("details.filters-fold")
    assert fold.get_attribute("open") is None and not page.locator("details.facet").first.is_visible()
    fold.locator("summary").first.click()
    step(page, "2b-filters-open")
    province = page.locator("details.facet", has_text="省份/地区")
    if province.get_attribute("open") is None:
        province.locator("summary").click()
    assert province.locator("a", has_text="广东").inner_text().split() == ["广东", "1"]
    province.locator("a", has_text="广东").click()
    page.wait_for_url(re.compile(r"province="))
    # then: only the Guangdong mask is left
    assert page.locator(".card .title").all_inner_texts() == ["补水睡眠面膜 120g"]
    step(page, "3-narrowed")

    # when: opens the product
    page.locator(".card a", has_text="补水睡眠面膜 120g").first.click()
    page.wait_for_url(f"{base}/products/{mask.pk}/")
    # then: the factory price and the 50%-off trial price
    assert page.locator("h1").inner_text() == "补水睡眠面膜 120g"
    assert "¥15.00" in page.locator("main").inner_text()
    assert "¥7.50" in page.locator("#trial-request").inner_text()
    step(page, "4-product")

    # when: asks for 12 units; the page shows the total before anything is sent
    page.locator("#trial-request").get_by_label(re.compile("数量")).fill("12")
    assert page.inner_text("#trial-total-live") == "90.00"
    page.locator("#trial-request").get_by_role("button").click()
    # then: the confirmation shows half the price and the total, and nothing is ordered yet
    page.wait_for_url(re.compile(rf"/products/{mask.pk}/trial/"))
    assert page.inner_text("#trial-unit-price") == "¥7.50"
    assert page.inner_text("#trial-total") == "¥90.00"
    assert not TrialOrder.objects.exists()
    step(page, "5-confirm")

    # when: confirms
    page.get_by_role("button", name="确认申请试销").click()
    page.wait_for_url(re.compile(r"/me/trials/\d+/$"))
    # then: one trial at the frozen half price, shown as requested
    trial = TrialOrder.objects.get()
    assert (trial.buyer_id, trial.product_id, trial.quantity, trial.unit_price, trial.total) == (
        buyer.pk,
        mask.pk,
        12,
        Decimal("7.50"),
        Decimal("90.00"),
    )
    assert page.inner_text("#trial-status") == "已申请"
    step(page, "6-trial")
    context.close()
