"""The factory's pages for changes to a live listing (issue 10, point 6): the edit page shows the
live version next to what waits for review, the form continues the pending changes, new photos
wait with a remove button, a rejection shows its reason; "my products" flags pending changes.
Staff decide in the admin (tests/admin/test_revision_actions.py)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from factories.models import Product, ProductImage, ProductRevision, RevisionStatus
from factories.services import product_revision_reject, product_update
from factories.services.images import product_image_add
from tests.frontend.helpers import html

pytestmark = pytest.mark.django_db


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("new.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def mine(web, product):
    return web.as_user(product.factory.owner)


def form_fields(product, **overrides) -> dict:
    data = {
        "title": product.title,
        "description": product.description,
        "category": product.category.slug,
        "factory_price": str(product.factory_price),
        "moq": str(product.moq),
        "lead_time_days": str(product.lead_time_days),
        "trial_eligible": "on",
        "attr-TOTAL_FORMS": "1",
        "attr-INITIAL_FORMS": "0",
        "attr-MIN_NUM_FORMS": "0",
        "attr-MAX_NUM_FORMS": "30",
        "attr-0-key": "",
        "attr-0-value": "",
    }
    data.update(overrides)
    return data


def test_edit_page_shows_live_and_waiting_values_side_by_side(mine, product):
    # given
    product_update(product=product, actor=product.factory.owner, data={"factory_price": Decimal("15.00")})
    # when
    page = html(mine.get(f"/me/products/{product.pk}/"))
    # then: the panel compares, and the form holds the factory's latest version
    panel = page[page.index('id="changes"') : page.index("</section>", page.index('id="changes"'))]
    assert "Changes waiting for review" in panel
    assert "Factory price per unit (CNY)" in panel and "¥12.35" in panel and "¥15.00" in panel
    assert 'name="factory_price" value="15.00"' in page


def test_saving_the_form_again_keeps_the_pending_change_and_adds_the_new_one(mine, product):
    # given: the price waits for review
    product_update(product=product, actor=product.factory.owner, data={"factory_price": Decimal("15.00")})
    # when: the factory saves the form it sees (price 15.00) with a new title
    mine.post(
        f"/me/products/{product.pk}/",
        form_fields(product, factory_price="15.00", title="桌面收纳盒 加大款", save="1"),
        follow=True,
    )
    # then
    assert ProductRevision.objects.get().changes == {"factory_price": "15.00", "title": "桌面收纳盒 加大款"}
    assert Product.objects.get().title == "桌面收纳盒"


def test_a_new_photo_waits_with_a_remove_button_and_removing_it_withdraws_the_change(
    mine, product, _isolated_media
):
    # given
    photo = product_image_add(product=product, actor=product.factory.owner, upload=jpeg())
    # when
    page = html(mine.get(f"/me/products/{product.pk}/"))
    # then
    assert "New photos waiting for review" in page
    remove = f"/me/products/{product.pk}/images/{photo.pk}/remove/"
    assert f'action="{remove}"' in page
    # when
    mine.post(remove, follow=True)
    # then
    assert ProductImage.all_objects.count() == 0
    assert ProductRevision.objects.get().status == RevisionStatus.WITHDRAWN


def test_a_rejection_shows_its_reason_in_both_languages(web, web_zh, product, staff):
    # given
    product_update(product=product, actor=product.factory.owner, data={"title": "大牌同款收纳盒"})
    product_revision_reject(product=product, actor=staff, reason="标题涉嫌冒用品牌")
    # when
    en = html(web.as_user(product.factory.owner).get(f"/me/products/{product.pk}/"))
    zh = html(web_zh.as_user(product.factory.owner).get(f"/me/products/{product.pk}/"))
    # then
    assert "streamers still see the approved version. Reviewer's reason: 标题涉嫌冒用品牌" in en
    assert "审核理由：标题涉嫌冒用品牌" in zh
    assert 'name="title" value="桌面收纳盒"' in en  # the form is back at the live version


def test_my_products_flags_listings_with_changes_waiting(mine, product, factory):
    # given
    other = type(product).objects.create(
        factory=factory,
        title="无改动的商品",
        category=product.category,
        factory_price=Decimal("9.00"),
        moq=10,
        lead_time_days=3,
        status="active",
    )
    product_update(product=product, actor=product.factory.owner, data={"description": "新描述"})
    # when
    page = html(mine.get("/me/products/"))
    # then: exactly one flag, on the edited listing
    assert page.count("Changes waiting for review") == 1
    flagged = page.index("Changes waiting for review")
    assert page.rfind(product.title, 0, flagged) > page.rfind(other.title, 0, flagged)


def test_buyers_product_page_shows_the_approved_version_only(web, product, buyer):
    # given
    product_update(product=product, actor=product.factory.owner, data={"title": "未审核的新标题"})
    # when
    page = html(web.as_user(buyer.user).get(f"/products/{product.pk}/"))
    # then
    assert "桌面收纳盒" in page and "未审核的新标题" not in page
    assert "Changes waiting for review" not in page
