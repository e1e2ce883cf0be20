"""Screenshots of the trial-record reasons (not a test module: run explicitly with
`pytest tests/frontend/shots_trial_records.py`; PNGs in /work/shots-trial-records): a streamer's
recommendations over tests/search/records.py's market, and the good factory's record panel."""

from pathlib import Path

from django.test import Client
from playwright.sync_api import sync_playwright

from tests.search.conftest import index_all
from tests.search.records import mask_streamer, record_market

OUT = Path("/work/shots-trial-records")


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    OUT.mkdir(exist_ok=True)
    market = record_market()
    streamer = mask_streamer()
    index_all()
    client = Client()
    client.force_login(streamer.user)
    session = client.cookies["sessionid"].value
    host = live_server.url.split("//")[1].split(":")[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width, tag in [(1280, "desktop"), (390, "phone")]:
            for lang in ["zh-hans", "en"]:
                ctx = browser.new_context(
                    viewport={"width": width, "height": 900}, extra_http_headers={"Accept-Language": lang}
                )
                ctx.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
                page = ctx.new_page()
                for name, path in [
                    ("recommended", "/me/recommended/"),
                    ("factory", f"/factories/{market['bad'].factory_id}/"),
                ]:
                    page.goto(f"{live_server.url}{path}")
                    page.screenshot(path=OUT / f"{name}-{tag}-{lang}.png", full_page=True)
                    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
                ctx.close()
        browser.close()
