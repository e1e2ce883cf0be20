"""Search results are read as plain values (search/results.py): they must be exactly what
ProductOutputSerializer — the documented product output — renders for the same products."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation
from PIL import Image
from rest_framework.request import Request

from factories.api.serializers import ProductOutputSerializer
from factories.models import ProductImage, ProductStatus
from factories.selectors import product_visible_to
from factories.services.images import product_image_add
from search.results import product_results
from tests import makers

from .conftest import index_all, product

pytestmark = pytest.mark.django_db


def jpeg(size: tuple[int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def request_(path="/api/v1/search/products/?q=x", host="shop.example.com"):
    return Request(RequestFactory().get(path, HTTP_HOST=host))


def serializer_output(ids, request):
    products = {p.pk: p for p in product_visible_to(None).filter(pk__in=ids)}
    rows = [products[pk] for pk in ids if pk in products]
    return ProductOutputSerializer(rows, many=True, context={"request": request}).data


@pytest.fixture
def catalog(settings):
    settings.ALLOWED_HOSTS = ["shop.example.com", "testserver"]
    no_trials = makers.FactoryMaker(accepts_trials=False)
    with_images = product(
        "补水睡眠面膜",
        category="facial-masks",
        price="12.35",
        attributes={"容量": "500ml", "颜色": ["白", "粉"]},
        description="敷完即睡",
        trial_eligible=True,
    )
    owner = makers.StaffUserMaker()  # a factory's new photos of a live listing would wait for review
    first = product_image_add(product=with_images, actor=owner, upload=jpeg((320, 200)))
    second = product_image_add(product=with_images, actor=owner, upload=jpeg((100, 100)))
    # A reorder: the second upload shows first (ordering is position, then id).
    ProductImage.objects.filter(pk=second.pk).update(position=0)
    ProductImage.objects.filter(pk=first.pk).update(position=1)
    plain = product("折叠收纳箱", price="30", moq=500, customizable=True, status_reason="")
    factory_off = product("保温杯", factory=no_trials, trial_eligible=True, price="9.99")
    not_eligible = product("汉服", category="storage", trial_eligible=False)
    hidden = product("下架商品", status=ProductStatus.PENDING_REVIEW)
    index_all()
    return {
        "visible": [factory_off.pk, with_images.pk, not_eligible.pk, plain.pk],
        "hidden": hidden.pk,
        "with_images": with_images,
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_results_equal_the_product_serializer_field_for_field(catalog, language):
    # given
    ids = catalog["visible"]
    request = request_()
    # when
    with translation.override(language):
        expected = serializer_output(ids, request)
        results = product_results(ids=ids, request=request)
    # then
    assert results == expected
    assert [r["id"] for r in results] == ids
    assert [list(r) for r in results] == [list(e) for e in expected]  # same keys, same order
    assert [r["trial_eligible"] for r in results] == [False, True, False, True]
    assert results[1]["trial_unit_price"] == "6.18"
    assert results[0]["trial_unit_price"] is None
    images = results[1]["images"]
    assert [(i["width"], i["height"]) for i in images] == [(100, 100), (320, 200)]
    assert all(i["url"].startswith("http://shop.example.com/media/") for i in images)
    assert results[1]["category_name"] == ("Facial masks" if language == "en" else "面膜")


def test_results_keep_the_index_order_and_leave_out_what_is_no_longer_public(catalog):
    # given: the index still answers with a product that went out of view, and one deleted
    ids = [catalog["hidden"], *reversed(catalog["visible"]), 999_999]
    # when
    results = product_results(ids=ids, request=request_())
    # then
    assert [r["id"] for r in results] == list(reversed(catalog["visible"]))


def test_search_api_answers_with_these_results_in_three_queries(catalog, api, django_assert_num_queries):
    # given
    api.get("/api/v1/search/products/")  # a running server knows every facet combination
    # when: one statement for the search (counts + page), one for the rows, one for the images
    # (the price / MOQ / yes-no facets are counted in the search's statement: ranges.py)
    with django_assert_num_queries(3):
        response = api.get("/api/v1/search/products/", {"q": "面膜"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"] == serializer_output([catalog["with_images"].pk], response.wsgi_request)
