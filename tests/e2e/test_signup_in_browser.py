"""A real headless Chromium at phone width (390×844) against the live server: a streamer signs up in
Chinese, is led to the first-run page, fills the profile (first with a price band upside down, which
the page explains in Chinese), and lands on the dashboard. One screenshot per step under
test-output/e2e-signup/ (override with E2E_SHOTS)."""

import os
from pathlib import Path

import pytest

from buyers.models import BuyerProfile
from marketplace.accounts.models import User
from tests import makers
from tests.e2e.conftest import needs_chromium

SHOTS = Path(os.environ.get("E2E_SHOTS", "test-output/e2e-signup"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_chromium,
    pytest.mark.timeout(90),
]


def main_fits(page) -> bool:
    """The page's own content needs no sideways scrolling at this width (the shared header is
    checked by the layout's own tests)."""
    return page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")


def test_a_streamer_signs_up_and_completes_the_profile_on_a_phone(live_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-hans"},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    base = live_server.url

    # when: sign-up as a streamer
    page.goto(f"{base}/sign-up/")
    assert page.locator("h1").inner_text() == "注册"
    page.get_by_label("主播：我做直播带货，正在找工厂").check()
    page.get_by_label("用户名").fill("xiaolu")
    page.get_by_label("电子邮箱").fill("xiaolu@example.com")
    page.get_by_label("密码:", exact=True).fill(makers.PASSWORD)
    page.get_by_label("再次输入密码").fill(makers.PASSWORD)
    page.screenshot(path=SHOTS / "1-sign-up.png", full_page=True)
    assert main_fits(page)
    page.get_by_role("button", name="创建账号").click()

    # then: the first-run page, which leads to the profile form
    page.wait_for_url(f"{base}/welcome/")
    assert page.locator("h1").inner_text() == "欢迎来到源头"
    page.screenshot(path=SHOTS / "2-first-run.png", full_page=True)
    assert main_fits(page)
    assert User.objects.get(username="xiaolu").role == "buyer"
    page.locator("main").get_by_role("link", name="完善主播资料").click()
    page.wait_for_url(f"{base}/me/profile/streamer/")

    # when: the profile, with the price band upside down
    page.get_by_label("向工厂展示的名称").fill("小鹿主播")
    page.get_by_label("平台 1").select_option("douyin")
    page.get_by_label("账号 1").fill("xiaolu_dy")
    page.get_by_label("粉丝数 1").fill("120000")
    page.get_by_label("护肤").check()
    page.get_by_label("客单价下限（元）").fill("100")
    page.get_by_label("客单价上限（元）").fill("50")
    page.get_by_label("每场直播通常销量（件）").fill("800")
    page.locator("main").get_by_role("button", name="保存资料").click()

    # then: the service's refusal, in Chinese, under the field; nothing saved
    page.wait_for_selector("#id_price_max_error")
    assert page.locator("#id_price_max_error").inner_text() == "客单价上限不能低于下限。"
    page.screenshot(path=SHOTS / "3-profile-error.png", full_page=True)
    assert main_fits(page)
    assert not BuyerProfile.objects.exists()

    # when: fixed
    page.get_by_label("客单价上限（元）").fill("150")
    page.locator("main").get_by_role("button", name="保存资料").click()

    # then: the dashboard, with the profile saved
    page.wait_for_url(f"{base}/me/")
    assert "资料已保存。欢迎来到源头！" in page.locator(".messages").inner_text()
    page.screenshot(path=SHOTS / "4-dashboard.png", full_page=True)
    profile = BuyerProfile.objects.get(user__username="xiaolu")
    assert (str(profile.price_min), str(profile.price_max), profile.units_per_session) == (
        "100.00",
        "150.00",
        800,
    )
    assert list(profile.channels.values_list("platform", "handle", "followers")) == [
        ("douyin", "xiaolu_dy", 120000)
    ]
    context.close()
