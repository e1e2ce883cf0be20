"""Screenshots of a live listing with changes waiting for review (not a test module: run explicitly
with `pytest tests/frontend/shots_listing_changes.py`; the PNGs land in /work/shots-listing-changes)."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from playwright.sync_api import sync_playwright

from factories.services import product_update
from factories.services.images import product_image_add
from tests import makers

OUT = "/work/shots-listing-changes"


def jpeg(colour) -> SimpleUploadedFile:
    b = io.BytesIO()
    Image.new("RGB", (400, 400), colour).save(b, "JPEG")
    return SimpleUploadedFile("p.jpg", b.getvalue(), content_type="image/jpeg")


def cookie_for(user, live_server):
    c = Client()
    c.force_login(user)
    return {"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}


def test_shots(live_server):
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂")
    product = makers.ProductMaker(
        factory=factory,
        title="桌面收纳盒 三层抽屉式",
        factory_price=Decimal("38.00"),
        attributes={"材质": "PP", "层数": "3"},
    )
    owner = factory.owner
    product_update(
        product=product,
        actor=owner,
        data={
            "title": "桌面收纳盒 三层抽屉式 加厚款",
            "factory_price": Decimal("42.50"),
            "attributes": {"材质": "PP加厚", "层数": "3"},
        },
    )
    product_image_add(product=product, actor=owner, upload=jpeg((40, 120, 230)))
    cookie = cookie_for(owner, live_server)  # before Playwright's event loop: the ORM is sync-only
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width, tag in [(1280, "desktop"), (390, "phone")]:
            for lang in ["zh-hans", "en"]:
                ctx = browser.new_context(
                    viewport={"width": width, "height": 900}, extra_http_headers={"Accept-Language": lang}
                )
                ctx.add_cookies([cookie])
                page = ctx.new_page()
                page.goto(f"{live_server.url}/me/products/{product.pk}/")
                page.screenshot(path=f"{OUT}/edit-{tag}-{lang}.png", full_page=True)
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                page.goto(f"{live_server.url}/me/products/")
                page.screenshot(path=f"{OUT}/list-{tag}-{lang}.png", full_page=True)
                ctx.close()
        browser.close()
