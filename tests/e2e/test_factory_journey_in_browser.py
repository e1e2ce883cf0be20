"""Issue 9, journeys (a) and (b), in a real headless Chromium against the live server:
(a) a factory signs up in Chinese, is led to its profile, fills it, lists a product with two photos
through the product form and finds it under review in "my products";
(b) staff verify the factory and approve the product in the Django admin, and the product is then
on the public search page. A screenshot per step goes to test-output/factory-journey/."""

import io
import re
from decimal import Decimal

import pytest
from PIL import Image

from factories.models import Factory, Product, ProductImage
from marketplace.accounts.models import User
from tests import makers
from tests.e2e.conftest import Shots, needs_chromium, new_page
from tests.search.conftest import index_all

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium, pytest.mark.timeout(120)]


def photo(path, colour) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_factory_signs_up_lists_a_product_with_two_photos_and_staff_approve_it(
    live_server, browser, tmp_path
):
    shot = Shots("factory-journey")
    base = live_server.url
    credit_code = makers.valid_credit_code()
    page = new_page(browser, language="zh-hans")

    # (a) when: sign-up as a factory
    page.goto(f"{base}/sign-up/")
    page.locator("input[name=role][value=factory]").check()
    page.fill("#id_username", "haowu_factory")
    page.fill("#id_email", "boss@haowu.example.com")
    page.fill("#id_password1", makers.PASSWORD)
    page.fill("#id_password2", makers.PASSWORD)
    shot(page, "sign-up")
    page.locator("main form button[type=submit]").click()

    # then: the first-run page leads to the factory profile before anything else
    page.wait_for_url(f"{base}/welcome/")
    assert User.objects.get(username="haowu_factory").role == "factory"
    shot(page, "first-run")
    page.goto(f"{base}/me/trials/")  # anything else first…
    page.wait_for_url(re.compile(r"/welcome/"))  # …sends it back to complete the profile
    page.goto(f"{base}/me/profile/factory/")

    # when: the factory profile
    page.fill("#id_name", "义乌市好物收纳用品厂")
    page.fill("#id_credit_code", credit_code)
    page.select_option("#id_province", "浙江")
    page.fill("#id_city", "义乌")
    page.locator("input[name=categories][value=storage]").check()
    page.fill("#id_description", "专注收纳用品二十年，自有模具车间。")
    page.fill("#id_max_trial_quantity", "50")
    shot(page, "factory-profile")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))
    factory = Factory.objects.get(owner__username="haowu_factory")
    assert (factory.name, factory.province, factory.credit_code, factory.verification_status) == (
        "义乌市好物收纳用品厂",
        "浙江",
        credit_code,
        "pending",
    )

    # when: a product with two photos through the form
    page.goto(f"{base}/me/products/new/")
    page.fill("#id_title", "桌面收纳盒 三层抽屉式")
    page.select_option("#id_category", "storage")
    page.fill("#id_factory_price", "23.50")
    page.fill("#id_moq", "200")
    page.fill("#id_lead_time_days", "10")
    page.fill("#id_description", "PP材质，三层抽屉。")
    page.fill("#id_attr-0-key", "材质")
    page.fill("#id_attr-0-value", "PP")
    page.set_input_files(
        "#id_images",
        [photo(tmp_path / "front.jpg", (220, 80, 40)), photo(tmp_path / "side.jpg", (40, 90, 200))],
    )
    shot(page, "product-form")
    page.locator("button[name=submit]").click()
    page.wait_for_url(re.compile(r"/me/products/\d+/$"))

    # then: both photos stored, the listing waits for review, and "my products" says so
    product = Product.objects.get(factory=factory)
    assert (product.title, product.factory_price, product.moq, product.status) == (
        "桌面收纳盒 三层抽屉式",
        Decimal("23.50"),
        200,
        "pending_review",
    )
    assert product.attributes == {"材质": "PP"}
    assert list(ProductImage.objects.filter(product=product).values_list("width", flat=True)) == [640, 640]
    assert "已提交。运营审核通过后主播才能看到，届时会通知你。" in page.locator(".messages").inner_text()
    shot(page, "product-saved")
    page.goto(f"{base}/me/products/")
    row = page.locator(".row", has_text="桌面收纳盒 三层抽屉式")
    assert "待审核" in row.inner_text() and "2 张图片" in row.inner_text()
    shot(page, "my-products")

    # (b) when: staff sign in to the admin, verify the factory, approve the product
    staff = makers.StaffUserMaker(username="ops_li")
    admin = new_page(browser, language="en")
    admin.goto(f"{base}/admin/login/?next=/admin/")
    admin.fill("#id_username", staff.username)
    admin.fill("#id_password", makers.PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(f"{base}/admin/")
    admin.goto(f"{base}/admin/factories/factory/{factory.pk}/change/")
    shot(admin, "admin-factory")
    admin.get_by_role("link", name="Verify", exact=True).click()
    admin.get_by_label("business licence").check()  # what staff checked: at least one
    admin.locator("input[type=submit], button[type=submit]").last.click()
    admin.wait_for_url(f"{base}/admin/factories/factory/{factory.pk}/change/")
    assert f"Verified: {factory.name}." in admin.locator(".messagelist").inner_text()
    admin.goto(f"{base}/admin/factories/product/{product.pk}/change/")
    shot(admin, "admin-product")
    admin.get_by_role("link", name="Approve", exact=True).click()
    admin.locator("input[type=submit], button[type=submit]").last.click()
    admin.wait_for_url(f"{base}/admin/factories/product/{product.pk}/change/")
    assert f"Approved: {product.title}." in admin.locator(".messagelist").inner_text()
    shot(admin, "admin-approved")

    # then: the factory is public, the listing live, and (once the indexer ran) searchable
    factory.refresh_from_db()
    product.refresh_from_db()
    assert (factory.verification_status, product.status) == ("verified", "active")
    index_all()
    visitor = new_page(browser, language="zh-hans")
    visitor.goto(f"{base}/search/?q=收纳盒")
    card = visitor.locator("main").get_by_role("link", name="桌面收纳盒 三层抽屉式")
    assert card.count() >= 1
    shot(visitor, "public-search")
    card.first.click()
    visitor.wait_for_url(f"{base}/products/{product.pk}/")
    text = visitor.locator("main").inner_text()
    assert "¥23.50" in text and "¥11.75" in text  # the factory price and the 50%-off trial price
    assert visitor.locator("main img[src*='products/']").count() >= 2
    shot(visitor, "public-product")
