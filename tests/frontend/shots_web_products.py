"""Screenshots of the product and matching pages (not a test module: run explicitly)."""

import io
from decimal import Decimal

from django.test import Client
from PIL import Image
from playwright.sync_api import sync_playwright

from factories.models import FactoryTier, ProductImage, ProductStatus
from tests import makers
from tests.search.conftest import index_all

OUT = "/work/shots-web-products"


def jpeg_bytes(size, colour):
    b = io.BytesIO()
    Image.new("RGB", size, colour).save(b, "JPEG")
    return b.getvalue()


def cookie_for(user, live_server):
    c = Client()
    c.force_login(user)
    return {"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}


def test_shots(live_server, tmp_path):
    factory = makers.FactoryMaker(
        name="义乌市好物收纳用品厂",
        province="广东",
        categories=["facial-masks", "storage"],
        tier=FactoryTier.SUPER,
        trial_conversion_rate=Decimal("0.4"),
        return_rate=Decimal("0.05"),
        response_rate=Decimal("0.9"),
    )
    for title, status, reason in [
        ("桌面收纳盒 三层抽屉式 大容量", ProductStatus.ACTIVE, ""),
        ("补水保湿面膜 10片装", ProductStatus.PENDING_REVIEW, ""),
        ("冰川泥清洁面膜", ProductStatus.REJECTED, "主图含有“最好”“第一”等极限用语，请修改后重新提交。"),
        ("旧款收纳筐", ProductStatus.DELISTED, ""),
        ("新款化妆刷收纳桶（草稿）", ProductStatus.DRAFT, ""),
    ]:
        makers.ProductMaker(
            factory=factory,
            title=title,
            status=status,
            status_reason=reason,
            category=makers.category("facial-masks" if "面膜" in title else "storage"),
            factory_price=Decimal("38.00"),
            moq=200,
        )
    makers.BuyerMaker(
        display_name="小鹿主播",
        categories=["facial-masks"],
        price_min=Decimal("30"),
        price_max=Decimal("60"),
        province="广东",
    )
    makers.BuyerMaker(
        display_name="收纳好物主播阿杰",
        categories=["storage"],
        price_min=Decimal("20"),
        price_max=Decimal("50"),
        needs_customization=True,
    )
    makers.BuyerMaker(display_name="茶叶主播", categories=["tea"], province="福建")
    streamer = makers.BuyerMaker(
        display_name="美妆主播小雨",
        categories=["facial-masks", "storage"],
        price_min=Decimal("30"),
        price_max=Decimal("60"),
        province="广东",
    )
    other = makers.FactoryMaker(name="浙江护肤厂", categories=["beauty"])
    makers.ProductMaker(
        factory=other,
        title="玻尿酸精华面膜",
        category=makers.category("facial-masks"),
        factory_price=Decimal("45"),
    )
    index_all()
    active = factory.products.get(status=ProductStatus.ACTIVE)
    # photos through the web form itself
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(factory.owner)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        for width, tag in [(1280, "desktop"), (390, "phone")]:
            for lang in ["zh-hans", "en"]:
                ctx = browser.new_context(
                    viewport={"width": width, "height": 900},
                    locale=lang,
                    extra_http_headers={"Accept-Language": lang},
                )
                ctx.add_cookies([cookie_for(factory.owner, live_server)])
                page = ctx.new_page()
                page.goto(f"{live_server.url}/me/products/")
                page.screenshot(path=f"{OUT}/my-products-{tag}-{lang}.png", full_page=True)
                # the form with errors: bad price, 0 MOQ, a 41-char key, a text file named .jpg
                page.goto(f"{live_server.url}/me/products/new/")
                page.fill("#id_title", "304不锈钢保温杯 500ml")
                page.select_option("#id_category", "cups-mugs")
                page.fill("#id_factory_price", "1e20")
                page.fill("#id_moq", "0")
                page.fill("#id_lead_time_days", "10")
                page.fill("#id_attr-0-key", "k" * 41)
                page.fill("#id_attr-0-value", "304不锈钢")
                notes = tmp_path / "notes.jpg"
                notes.write_bytes(b"not an image")
                good = tmp_path / "good.jpg"
                good.write_bytes(jpeg_bytes((300, 300), (200, 60, 60)))
                page.set_input_files("#id_images", [str(good), str(notes)])
                page.click("button[name=submit]")
                page.screenshot(path=f"{OUT}/product-form-errors-{tag}-{lang}.png", full_page=True)
                ctx.close()
        # an edit page with three photos
        photos = [tmp_path / f"p{n}.jpg" for n in range(3)]
        for n, path in enumerate(photos):
            path.write_bytes(jpeg_bytes((400, 400), [(230, 120, 40), (40, 120, 230), (60, 180, 90)][n]))
        for width, tag in [(1280, "desktop"), (390, "phone")]:
            ctx = browser.new_context(
                viewport={"width": width, "height": 900}, extra_http_headers={"Accept-Language": "zh-hans"}
            )
            ctx.add_cookies([cookie_for(factory.owner, live_server)])
            page = ctx.new_page()
            page.goto(f"{live_server.url}/me/products/{active.pk}/")
            if tag == "desktop":
                page.set_input_files("#id_images", [str(p) for p in photos])
                page.click("button[name=save]")
            page.screenshot(path=f"{OUT}/product-edit-{tag}.png", full_page=True)
            page.goto(f"{live_server.url}/me/products/{active.pk}/delist/")
            page.screenshot(path=f"{OUT}/delist-confirm-{tag}.png", full_page=True)
            page.goto(f"{live_server.url}/me/fit/")
            page.screenshot(path=f"{OUT}/fit-streamers-{tag}.png", full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            print(tag, "fit scrollWidth", scroll)
            ctx.close()
            ctx = browser.new_context(
                viewport={"width": width, "height": 900}, extra_http_headers={"Accept-Language": "zh-hans"}
            )
            ctx.add_cookies([cookie_for(streamer.user, live_server)])
            page = ctx.new_page()
            page.goto(f"{live_server.url}/me/recommended/")
            page.screenshot(path=f"{OUT}/recommended-{tag}.png", full_page=True)
            print(tag, "recommended scrollWidth", page.evaluate("document.documentElement.scrollWidth"))
            page.goto(f"{live_server.url}/me/")
            ctx.close()
        browser.close()
    assert ProductImage.objects.filter(product=active).count() == 3
