"""What the screenshot scripts (tests/frontend/shots_*.py, run explicitly) share: each page at a
desktop and a 390 px phone width, in Chinese and English, with no sideways scrolling."""

from pathlib import Path

from django.test import Client
from playwright.sync_api import sync_playwright

SIZES = [(1280, "desktop"), (390, "phone")]
LANGUAGES = ["zh-hans", "en"]


def login_cookie(user, live_server) -> dict:
    """A session cookie for `user`; make it before Playwright starts (the ORM is sync-only)."""
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def shoot(live_server, pages: dict[str, str], out: Path, *, cookie: dict | None = None, check=None) -> None:
    """Screenshot each of `pages` (name → path) into `out` as <name>-<size>-<language>.png;
    `check(page)` runs on each loaded page."""
    out.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width, tag in SIZES:
            for lang in LANGUAGES:
                ctx = browser.new_context(
                    viewport={"width": width, "height": 900}, extra_http_headers={"Accept-Language": lang}
                )
                if cookie:
                    ctx.add_cookies([cookie])
                page = ctx.new_page()
                for name, path in pages.items():
                    page.goto(f"{live_server.url}{path}")
                    if check:
                        check(page)
                    page.screenshot(path=out / f"{name}-{tag}-{lang}.png", full_page=True)
                    assert page.evaluate("document.scrollingElement.scrollWidth") <= width, (name, tag)
                ctx.close()
        browser.close()
