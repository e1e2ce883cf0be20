"""The factory's product pages (issue 9, point 3): my products, create / edit with several photos,
photo order and removal, delisting. Writes go through factories.services; every refusal is shown on
the form and leaves the database, the media folder and the event log as they were."""

import io
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from factories.api.serializers import ProductOutputSerializer
from factories.models import Product, ProductImage, ProductRevision, ProductStatus
from factories.services import product_revision_approve
from tests import makers
from tests.frontend.helpers import event_count, html, messages_of, verbs

pytestmark = pytest.mark.django_db

NEW = "/me/products/new/"
LIST = "/me/products/"


def jpeg(size=(300, 200), colour=(200, 30, 30), name="photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def fields(**overrides) -> dict:
    data = {
        "title": "304不锈钢保温杯 500ml",
        "description": "双层真空，12小时保温。",
        "category": "cups-mugs",
        "factory_price": "23.50",
        "moq": "200",
        "lead_time_days": "10",
        "customizable": "on",
        "trial_eligible": "on",
        "attr-TOTAL_FORMS": "3",
        "attr-INITIAL_FORMS": "0",
        "attr-MIN_NUM_FORMS": "0",
        "attr-MAX_NUM_FORMS": "30",
        "attr-0-key": "材质",
        "attr-0-value": "304不锈钢",
        "attr-1-key": "容量",
        "attr-1-value": "500ml",
        "attr-2-key": "",
        "attr-2-value": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def attribute_rows(n: int, key="k", value="v") -> dict:
    data = {"attr-TOTAL_FORMS": str(n)}
    for i in range(n):
        data[f"attr-{i}-key"] = f"{key}{i}"
        data[f"attr-{i}-value"] = value
    return data


def media_files(root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, n), root) for d, _, names in os.walk(root) for n in names)


def errors_of(response) -> dict:
    form, formset = response.context["form"], response.context["formset"]
    out = {k: list(v) for k, v in form.errors.items()}
    if formset.non_form_errors():
        out["attributes"] = list(formset.non_form_errors())
    for i, row in enumerate(formset.errors):
        for k, v in row.items():
            out[f"attr-{i}-{k}"] = list(v)
    return out


@pytest.fixture
def owner(factory):
    return factory.owner


@pytest.fixture
def mine(web, owner):
    return web.as_user(owner)


# ---- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, NEW, "/me/products/{pk}/", "/me/products/{pk}/delist/"])
def test_anonymous_is_sent_to_sign_in(web, product, url):
    response = web.get(url.format(pk=product.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/me/products/")


@pytest.mark.parametrize("url", [LIST, NEW])
def test_streamer_and_staff_have_no_product_workspace(web, buyer, staff, url):
    assert web.as_user(buyer.user).get(url).status_code == 403
    assert web.as_user(staff).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/me/products/{pk}/", "/me/products/{pk}/delist/"])
def test_someone_elses_product_is_404_for_other_factories_and_streamers(
    web, product, other_factory, buyer, url
):
    assert web.as_user(other_factory.owner).get(url.format(pk=product.pk)).status_code == 404
    assert web.as_user(buyer.user).get(url.format(pk=product.pk)).status_code == 404


def test_other_factory_cannot_edit_delist_or_touch_photos(web, product, other_factory, _isolated_media):
    # given
    image = ProductImage.objects.create(
        product=product, image="x.jpg", thumbnail="x_t.jpg", width=1, height=1
    )
    before = Product.objects.filter(pk=product.pk).values().get()
    events = event_count()
    client = web.as_user(other_factory.owner)
    # when
    responses = [
        client.post(f"/me/products/{product.pk}/", fields(title="改掉", images=[jpeg()])),
        client.post(f"/me/products/{product.pk}/delist/"),
        client.post(f"/me/products/{product.pk}/images/{image.pk}/remove/"),
        client.post(f"/me/products/{product.pk}/images/{image.pk}/later/"),
    ]
    # then
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert Product.objects.filter(pk=product.pk).values().get() == before
    assert list(ProductImage.objects.values_list("pk", flat=True)) == [image.pk]
    assert event_count() == events
    assert media_files(_isolated_media) == []


def test_owner_and_staff_open_the_edit_form(web, product, owner, staff):
    for user in (owner, staff):
        response = web.as_user(user).get(f"/me/products/{product.pk}/")
        assert response.status_code == 200
        assert 'value="桌面收纳盒"' in html(response)


def test_factory_without_profile_is_led_to_the_first_run_page(web, factory_user):
    response = web.as_user(factory_user).get(NEW)
    assert (response.status_code, response["Location"]) == (302, "/welcome/?next=%2Fme%2Fproducts%2Fnew%2F")


# ---- create ------------------------------------------------------------------------------------


def test_form_has_a_label_for_every_input_and_csrf(mine):
    response = mine.get(NEW)
    page = html(response)
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="images" accept="image/jpeg,image/png,image/webp" multiple' in page
    form = response.context["form"]
    for field in form:
        assert f'for="{field.auto_id}"' in page
    for row in response.context["formset"]:
        assert f'for="{row["key"].auto_id}"' in page
        assert f'for="{row["value"].auto_id}"' in page


def test_product_with_two_photos_lands_as_the_api_makes_it(web, api, factory, owner, _isolated_media):
    # given the same listing made through the API: create, then one upload per photo
    api.as_user(owner)
    via_api = api.post(
        "/api/v1/products/",
        {
            "title": "304不锈钢保温杯 500ml",
            "description": "双层真空，12小时保温。",
            "category": "cups-mugs",
            "factory_price": "23.50",
            "moq": 200,
            "lead_time_days": 10,
            "customizable": True,
            "trial_eligible": True,
            "attributes": {"材质": "304不锈钢", "容量": "500ml"},
        },
        format="json",
    ).json()
    for photo in (jpeg((300, 200), name="a.jpg"), jpeg((200, 300), name="b.jpg")):
        assert (
            api.post(
                f"/api/v1/products/{via_api['id']}/images/", {"image": photo}, format="multipart"
            ).status_code
            == 201
        )
    # when the form sends both photos at once
    response = web.as_user(owner).post(
        NEW, fields(images=[jpeg((300, 200), name="a.jpg"), jpeg((200, 300), name="b.jpg")]), follow=True
    )
    # then
    product = Product.objects.exclude(pk=via_api["id"]).get()
    assert response.redirect_chain == [(f"/me/products/{product.pk}/", 302)]
    assert messages_of(response) == [
        "Listed. Staff review it before streamers can see it; you will be notified."
    ]
    assert product.status == ProductStatus.PENDING_REVIEW
    assert list(product.images.values_list("width", "height", "position")) == [(300, 200, 0), (200, 300, 1)]
    ignore = {"id", "images", "created_at", "updated_at"}
    web_view = ProductOutputSerializer(product).data
    api_view = ProductOutputSerializer(Product.objects.get(pk=via_api["id"])).data
    assert {k: v for k, v in web_view.items() if k not in ignore} == {
        k: v for k, v in api_view.items() if k not in ignore
    }
    assert (
        verbs(product)
        == verbs(Product.objects.get(pk=via_api["id"]))
        == [
            "product.created",
            "product.image_added",
            "product.image_added",
        ]
    )
    assert len(media_files(_isolated_media)) == 8  # original + thumbnail, two photos, twice


def test_save_as_draft_keeps_it_private(mine, factory):
    mine.post(NEW, fields(save_draft="1"))
    assert Product.objects.get().status == ProductStatus.DRAFT


def test_trial_flag_follows_the_service_rule_for_a_factory_without_trials(web):
    # given
    factory = makers.FactoryMaker(accepts_trials=False)
    # when
    response = web.as_user(factory.owner).post(NEW, fields())
    # then
    assert response.status_code == 200
    assert errors_of(response) == {
        "trial_eligible": [
            "Your factory does not accept trials; turn trials on in your factory profile first."
        ]
    }
    assert Product.objects.count() == 0


def text_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.jpg", b"this is not a picture", content_type="image/jpeg")


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"title": ""}, {"title": ["This field is required."]}),
        ({"title": "x" * 121}, {"title": ["Ensure this value has at most 120 characters (it has 121)."]}),
        ({"title": "保温杯\x1b[31m"}, {"title": ["Remove the invisible control characters from this text."]}),
        ({"title": "保温杯\x00"}, {"title": ["Null characters are not allowed."]}),
        (
            {"category": "home"},
            {"category": ["Select a valid choice. home is not one of the available choices."]},
        ),
        ({"factory_price": ""}, {"factory_price": ["This field is required."]}),
        ({"factory_price": "-1"}, {"factory_price": ["The factory price must be at least ¥0.01."]}),
        ({"factory_price": "0"}, {"factory_price": ["The factory price must be at least ¥0.01."]}),
        ({"factory_price": "1e20"}, {"factory_price": ["The factory price must be at most ¥9,999,999.99."]}),
        (
            {"factory_price": "十二"},
            {"factory_price": ["Enter the price as a number of yuan, for example 12.50."]},
        ),
        (
            {"factory_price": "NaN"},
            {"factory_price": ["Enter the price as a number of yuan, for example 12.50."]},
        ),
        (
            {"factory_price": "12.345"},
            {"factory_price": ["Give the price in yuan with at most 2 decimals (fen)."]},
        ),
        ({"moq": "0"}, {"moq": ["The MOQ must be at least 1 unit."]}),
        ({"moq": "-5"}, {"moq": ["The MOQ must be at least 1 unit."]}),
        ({"moq": "99999999999999999999"}, {"moq": ["The MOQ must be at most 10,000,000 units."]}),
        ({"moq": "abc"}, {"moq": ["Enter the MOQ as a whole number of units, for example 100."]}),
        ({"lead_time_days": "400"}, {"lead_time_days": ["Ensure this value is less than or equal to 365."]}),
        (attribute_rows(31), {"attributes": ["A product can have at most 30 attributes; remove some rows."]}),
        (
            {"attr-0-key": "k" * 41},
            {"attr-0-key": ["Ensure this value has at most 40 characters (it has 41)."]},
        ),
        (
            {"attr-0-value": "v" * 201},
            {"attr-0-value": ["Ensure this value has at most 200 characters (it has 201)."]},
        ),
        ({"attr-1-key": "材质"}, {"attributes": ["The attribute 材质 appears twice."]}),
        ({"attr-0-key": ""}, {"attr-0-key": ["Give this value a name, e.g. 材质 (material)."]}),
        (
            {"attr-0-value": "a\tb"},
            {"attr-0-value": ["Remove the invisible control characters from this text."]},
        ),
        (
            {"attr-TOTAL_FORMS": None},
            {
                "attributes": [
                    "ManagementForm data is missing or has been tampered with. Missing fields: attr-TOTAL_FORMS. You may need to file a bug report if the issue persists."
                ]
            },
        ),
    ],
)
def test_bad_input_shows_an_error_and_creates_nothing(mine, overrides, errors, _isolated_media):
    # when
    response = mine.post(NEW, fields(images=[jpeg()], **overrides))
    # then
    assert response.status_code == 200
    assert errors_of(response) == errors
    assert 'class="errorlist' in html(response)
    assert Product.objects.count() == 0
    assert ProductImage.objects.count() == 0
    assert event_count() == 0
    assert media_files(_isolated_media) == []


def test_a_text_file_named_jpg_is_refused_with_its_name_and_nothing_is_created(mine, _isolated_media):
    response = mine.post(NEW, fields(images=[jpeg(name="good.jpg"), text_file()]))
    assert response.status_code == 200
    assert errors_of(response) == {"images": ["notes.jpg: The file is not a JPEG, PNG or WebP image."]}
    assert (Product.objects.count(), ProductImage.objects.count(), event_count()) == (0, 0, 0)
    assert media_files(_isolated_media) == []


def test_an_oversized_photo_is_refused_before_it_is_buffered(mine, settings, _isolated_media):
    settings.IMAGE_MAX_BYTES = 2 * 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff" * (3 * 1024 * 1024), content_type="image/jpeg")
    response = mine.post(NEW, fields(images=[big]))
    assert response.status_code == 200
    assert errors_of(response) == {
        "images": ["The file is larger than 2 MB; upload an image of at most 2 MB."]
    }
    assert (Product.objects.count(), event_count()) == (0, 0)
    assert media_files(_isolated_media) == []


def test_too_many_photos_at_once_are_refused(mine, _isolated_media):
    response = mine.post(NEW, fields(images=[jpeg((20, 20), name=f"{n}.jpg") for n in range(21)]))
    assert response.status_code == 200
    assert errors_of(response) == {"images": ["Choose at most 20 photos at once."]}
    assert (Product.objects.count(), event_count()) == (0, 0)


def test_price_and_moq_errors_are_in_chinese_for_chinese_readers(web_zh, owner):
    response = web_zh.as_user(owner).post(NEW, fields(factory_price="-3", moq="0"))
    page = html(response)
    assert "出厂价不能低于 ¥0.01。" in page
    assert "起订量至少为 1 件。" in page
    assert Product.objects.count() == 0


# ---- edit ------------------------------------------------------------------------------------


def edit(client, product, **overrides):
    return client.post(f"/me/products/{product.pk}/", fields(**overrides), follow=True)


def test_edit_shows_the_current_values_and_attribute_rows(mine, product):
    Product.objects.filter(pk=product.pk).update(attributes={"材质": "PP", "尺寸": [10, 20]})
    page = html(mine.get(f"/me/products/{product.pk}/"))
    assert 'value="12.35"' in page
    assert 'value="材质"' in page and 'value="PP"' in page
    assert 'value="10、20"' in page


def test_changing_the_price_of_a_live_product_keeps_it_live_and_waits_for_review(mine, product):
    """The page side of tests/frontend/test_listing_changes_page.py: the message and the rows."""
    response = edit(
        mine,
        product,
        title=product.title,
        description=product.description,
        category="storage",
        factory_price="15.00",
    )
    product.refresh_from_db()
    assert messages_of(response) == [
        "Saved. Your changes wait for staff review; streamers see the approved version until then."
    ]
    assert (product.factory_price, product.status) == (Decimal("12.35"), ProductStatus.ACTIVE)
    # the price (and the form's attribute rows) wait; nothing else changed
    assert verbs(product) == ["product.revision_opened", "product.revision_updated", "product.updated"]
    assert ProductRevision.objects.get().changes["factory_price"] == "15.00"


def test_changing_only_the_moq_keeps_a_live_product_live(mine, product):
    edit(
        mine,
        product,
        title=product.title,
        description=product.description,
        category="storage",
        factory_price="12.35",
        moq="150",
    )
    product.refresh_from_db()
    assert (product.moq, product.status) == (150, ProductStatus.ACTIVE)


def test_an_unchanged_list_attribute_keeps_its_stored_type(mine, product):
    Product.objects.filter(pk=product.pk).update(attributes={"尺寸": [10, 20]})
    edit(
        mine,
        product,
        **{"attr-0-key": "尺寸", "attr-0-value": "10、20", "attr-1-key": "", "attr-1-value": ""},
    )
    product.refresh_from_db()
    assert product.attributes == {"尺寸": [10, 20]}


def test_rejected_product_shows_the_reason_and_resubmits(mine, product, staff):
    Product.objects.filter(pk=product.pk).update(
        status=ProductStatus.REJECTED, status_reason="图片与实物不符"
    )
    page = html(mine.get(f"/me/products/{product.pk}/"))
    assert "Reviewer's reason: 图片与实物不符" in page
    edit(mine, product, title="桌面收纳盒（新图）", category="storage", factory_price="12.35", submit="1")
    product.refresh_from_db()
    assert product.status == ProductStatus.PENDING_REVIEW


def test_delisted_product_cannot_be_saved_without_resubmitting(mine, product):
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.DELISTED)
    response = edit(mine, product, title="新标题", category="storage")
    assert response.redirect_chain == []
    assert errors_of(response) == {"__all__": ["This product is delisted; submit it again before editing."]}
    product.refresh_from_db()
    assert (product.title, product.status) == ("桌面收纳盒", ProductStatus.DELISTED)


@pytest.mark.parametrize(
    "overrides",
    [{"factory_price": "1e20"}, {"moq": "-1"}, {"title": ""}, {"images": None, "attr-0-key": "k" * 41}],
)
def test_bad_edit_changes_nothing(mine, product, overrides, _isolated_media):
    before = Product.objects.filter(pk=product.pk).values().get()
    response = mine.post(f"/me/products/{product.pk}/", fields(**{"images": [jpeg()], **overrides}))
    assert response.status_code == 200
    assert Product.objects.filter(pk=product.pk).values().get() == before
    assert (ProductImage.objects.count(), event_count()) == (0, 0)
    assert media_files(_isolated_media) == []


def test_bad_photo_on_edit_leaves_the_fields_unchanged_too(mine, product, _isolated_media):
    before = Product.objects.filter(pk=product.pk).values().get()
    response = mine.post(f"/me/products/{product.pk}/", fields(category="storage", images=[text_file()]))
    assert errors_of(response) == {"images": ["notes.jpg: The file is not a JPEG, PNG or WebP image."]}
    assert Product.objects.filter(pk=product.pk).values().get() == before
    assert event_count() == 0


def test_photos_beyond_twenty_in_total_are_refused(mine, product, _isolated_media):
    # given 19 photos already
    for n in range(19):
        ProductImage.objects.create(
            product=product, image=f"{n}.jpg", thumbnail=f"{n}_t.jpg", position=n, width=1, height=1
        )
    # when two more are added
    response = mine.post(f"/me/products/{product.pk}/", fields(category="storage", images=[jpeg(), jpeg()]))
    # then
    assert errors_of(response) == {
        "images": ["A product can have at most 20 images; it has 19, you added 2."]
    }
    assert ProductImage.objects.count() == 19
    assert event_count() == 0


# ---- photos: order and removal ------------------------------------------------------------------


@pytest.fixture
def photos(mine, product):
    mine.post(
        f"/me/products/{product.pk}/",
        fields(
            title=product.title,
            description=product.description,
            category="storage",
            factory_price="12.35",
            images=[jpeg((30, 10), name="a.jpg"), jpeg((20, 10), name="b.jpg"), jpeg((10, 10), name="c.jpg")],
        ),
        follow=True,  # shows (and so consumes) the message
    )
    # New photos of a live listing wait for review; these tests are about approved ones.
    product_revision_approve(product=product, actor=makers.StaffUserMaker())
    return list(product.images.all())


def widths(product) -> list[int]:
    return list(product.images.values_list("width", flat=True))


def test_photos_show_as_previews_in_order(mine, product, photos):
    page = html(mine.get(f"/me/products/{product.pk}/"))
    positions = [page.index(p.thumbnail.url) for p in photos]
    assert positions == sorted(positions)
    assert 'data-label="Cover"' in page


def test_moving_a_photo_later_and_earlier(mine, product, photos):
    a, b, c = photos
    response = mine.post(f"/me/products/{product.pk}/images/{a.pk}/later/")
    assert response.status_code == 302 and response["Location"] == f"/me/products/{product.pk}/#photos"
    assert widths(product) == [20, 30, 10]
    mine.post(f"/me/products/{product.pk}/images/{c.pk}/earlier/")
    assert widths(product) == [20, 10, 30]
    mine.post(f"/me/products/{product.pk}/images/{b.pk}/earlier/")  # already first: nothing moves
    assert widths(product) == [20, 10, 30]
    assert verbs(product)[-2:] == ["product.image_moved", "product.image_moved"]


def test_removing_a_photo(mine, product, photos, _isolated_media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # files go once the row is really gone
        response = mine.post(f"/me/products/{product.pk}/images/{photos[1].pk}/remove/", follow=True)
    assert messages_of(response) == ["Photo removed."]
    assert widths(product) == [30, 10]
    assert len(media_files(_isolated_media)) == 4


def test_unknown_photo_action_changes_nothing(mine, product, photos):
    response = mine.post(f"/me/products/{product.pk}/images/{photos[0].pk}/rotate/", follow=True)
    assert messages_of(response) == ["Unknown action."]
    assert widths(product) == [30, 20, 10]


def test_photo_actions_need_post(mine, product, photos):
    assert mine.get(f"/me/products/{product.pk}/images/{photos[0].pk}/remove/").status_code == 405
    assert product.images.count() == 3


# ---- delist ----------------------------------------------------------------------------------


def test_delist_asks_first_then_delists(mine, product):
    confirm = mine.get(f"/me/products/{product.pk}/delist/")
    assert confirm.status_code == 200
    assert "Yes, delist it" in html(confirm)
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
    response = mine.post(f"/me/products/{product.pk}/delist/", follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    product.refresh_from_db()
    assert product.status == ProductStatus.DELISTED
    assert verbs(product) == ["product.delisted"]


def test_delisting_twice_is_refused_with_a_message(mine, product):
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.DELISTED)
    response = mine.post(f"/me/products/{product.pk}/delist/", follow=True)
    assert len(messages_of(response)) == 1
    assert event_count() == 0


# ---- my products -------------------------------------------------------------------------------


def test_my_products_lists_every_status_with_the_reviewers_reason(mine, factory, other_factory):
    # given
    for title, status, reason in [
        ("草稿杯", ProductStatus.DRAFT, ""),
        ("待审杯", ProductStatus.PENDING_REVIEW, ""),
        ("在售杯", ProductStatus.ACTIVE, ""),
        ("驳回杯", ProductStatus.REJECTED, "标题含有夸大宣传用语"),
        ("下架杯", ProductStatus.DELISTED, ""),
    ]:
        makers.ProductMaker(factory=factory, title=title, status=status, status_reason=reason)
    makers.ProductMaker(factory=other_factory, title="别人的杯子")
    # when
    page = html(mine.get(LIST))
    # then
    for title, label in [
        ("草稿杯", "draft"),
        ("待审杯", "pending review"),
        ("在售杯", "active"),
        ("驳回杯", "rejected"),
        ("下架杯", "delisted"),
    ]:
        assert title in page
        assert (
            f'<span class="status {dict((v.label, v.value) for v in ProductStatus)[label]}">{label}</span>'
            in page
        )
    assert "Reviewer's reason: 标题含有夸大宣传用语" in page
    assert "别人的杯子" not in page


def test_my_products_in_chinese(web_zh, owner, product):
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.REJECTED, status_reason="图片模糊")
    page = html(web_zh.as_user(owner).get(LIST))
    assert "我的商品" in page
    assert "审核意见：图片模糊" in page


@pytest.mark.parametrize("count", [3, 30])
def test_my_products_query_count_does_not_grow(mine, factory, count, django_assert_max_num_queries):
    for n in range(count):
        p = makers.ProductMaker(factory=factory, title=f"杯{n}")
        ProductImage.objects.create(product=p, image=f"{n}.jpg", thumbnail=f"{n}_t.jpg", width=1, height=1)
    # session, user, factory, status counts, page count, products, their images
    with django_assert_max_num_queries(8):  # + the header's unread count
        response = mine.get(LIST)
    assert html(response).count('class="row"') == count


def test_edit_page_query_count(mine, product, django_assert_max_num_queries):
    for n in range(5):
        ProductImage.objects.create(
            product=product, image=f"{n}.jpg", thumbnail=f"{n}_t.jpg", position=n, width=1, height=1
        )
    # session, user, product (+factory, category), categories for the picker, images, the latest
    # change under review (none here)
    with django_assert_max_num_queries(7):  # + the header's unread count
        assert mine.get(f"/me/products/{product.pk}/").status_code == 200


def test_a_wrong_price_and_a_bad_photo_are_both_reported_in_one_round(mine, _isolated_media):
    response = mine.post(NEW, fields(factory_price="-1", images=[jpeg(name="good.jpg"), text_file()]))
    assert errors_of(response) == {
        "factory_price": ["The factory price must be at least ¥0.01."],
        "images": ["notes.jpg: The file is not a JPEG, PNG or WebP image."],
    }
    assert "Nothing was saved. Choose your photos again" in html(response)
    assert (Product.objects.count(), event_count()) == (0, 0)
    assert media_files(_isolated_media) == []


def test_an_untouched_trial_flag_does_not_block_an_edit_after_the_factory_stopped_trials(
    mine, factory, product
):
    # given the factory stopped trials after listing (the product keeps its own flag)
    factory.accepts_trials = False
    factory.save(update_fields=["accepts_trials"])
    # when the owner changes only the MOQ, leaving the form as shown
    response = edit(
        mine,
        product,
        title=product.title,
        description=product.description,
        category="storage",
        factory_price="12.35",
        customizable=None,
        moq="150",
        **{"attr-0-key": "", "attr-0-value": "", "attr-1-key": "", "attr-1-value": ""},
    )
    # then
    assert messages_of(response) == ["Saved."]
    product.refresh_from_db()
    assert (product.moq, product.trial_eligible, product.status) == (150, True, ProductStatus.ACTIVE)


@pytest.mark.parametrize("url", [NEW, "/me/products/{pk}/"])
def test_form_posts_without_a_csrf_token_are_refused(product, owner, url):
    # The form views are csrf_exempt outside (to install the upload size limit before the body is
    # read) and csrf_protect inside: the check must still happen.
    from tests.frontend.conftest import Browser

    strict = Browser(enforce_csrf_checks=True).as_user(owner)
    response = strict.post(url.format(pk=product.pk), fields(images=[jpeg()]))
    assert response.status_code == 403
    assert Product.objects.count() == 1
    assert ProductImage.objects.count() == 0


def test_form_posts_with_the_pages_csrf_token_go_through(owner, factory):
    from tests.frontend.conftest import Browser

    strict = Browser(enforce_csrf_checks=True).as_user(owner)
    strict.get(NEW)
    token = strict.cookies["csrftoken"].value
    response = strict.post(NEW, {**fields(images=[jpeg()]), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert list(Product.objects.values_list("status", flat=True)) == [ProductStatus.PENDING_REVIEW]
    assert ProductImage.objects.count() == 1
