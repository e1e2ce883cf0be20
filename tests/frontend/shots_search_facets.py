"""Screenshots of the search page with every facet (not a test module: run explicitly with
`pytest tests/frontend/shots_search_facets.py`; PNGs in /work/shots-search-facets)."""

from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.frontend.test_search_page import catalog  # noqa: F401 - a fixture

OUT = Path("/work/shots-search-facets")


def test_shots(live_server, catalog, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width, tag in [(1280, "desktop"), (390, "phone")]:
            for lang in ["zh-hans", "en"]:
                ctx = browser.new_context(
                    viewport={"width": width, "height": 900}, extra_http_headers={"Accept-Language": lang}
                )
                page = ctx.new_page()
                page.goto(f"{live_server.url}/search/?q=面")
                page.screenshot(path=OUT / f"search-{tag}-{lang}.png", full_page=True)
                assert page.evaluate("document.scrollingElement.scrollWidth") <= width
                ctx.close()
        browser.close()
