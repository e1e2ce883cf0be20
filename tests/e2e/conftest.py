"""What every browser test shares: Debian's headless Chromium, signing in through the real form,
and a screenshot per step under test-output/<journey>/ (look at them: they show the Chinese text)."""

from pathlib import Path

import pytest
from django.conf import settings

from tests import makers

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (.ci/run installs it)"
)


@pytest.fixture
def browser(monkeypatch):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls (making
    # data, checking rows) are plain blocking calls between browser steps, so Django's
    # "called from an async context" guard is a false alarm here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()
        # While Playwright's loop runs, Django keeps this test's connections per async context,
        # not per thread: close the ones the test opened here, or they outlive the test run.
        connections.close_all()


def new_page(browser, *, language: str = "en", width: int = 1280, height: int = 900):
    """A fresh browser profile (its own cookies) reading the site in `language`."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN" if language == "zh-hans" else "en-US",
        extra_http_headers={"Accept-Language": language},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Steps that commit money or cannot be undone ask first (confirm.js): the person says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def sign_in(page, base_url: str, username: str, next_path: str, *, password: str = makers.PASSWORD):
    page.goto(f"{base_url}/sign-in/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main").get_by_role("button").first.click()
    page.wait_for_url(f"{base_url}{next_path}")
    return page


class Shots:
    """Numbered full-page screenshots of one journey: test-output/<name>/01-<step>.png, …"""

    def __init__(self, name: str):
        self.folder = Path(settings.BASE_DIR) / "test-output" / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.n = 0

    def __call__(self, page, step: str) -> None:
        self.n += 1
        page.screenshot(path=self.folder / f"{self.n:02d}-{step}.png", full_page=True)


def staff_confirms(browser, base, staff, payment, shot, step):
    """Staff mark a bank transfer received in the admin (the changelist action), in their own window."""
    admin = new_page(browser)
    admin.goto(f"{base}/admin/login/?next=/admin/trials/payment/")
    admin.fill("#id_username", staff.username)
    admin.fill("#id_password", makers.PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(f"{base}/admin/trials/payment/")
    admin.locator(f"input[name=_selected_action][value='{payment.pk}']").check()
    admin.select_option("select[name=action]", "mark_received")
    admin.locator("button[name=index]").click()
    admin.wait_for_load_state()
    assert "1 payment(s) marked received." in admin.locator(".messagelist").inner_text()
    shot(admin, step)
    admin.context.close()
