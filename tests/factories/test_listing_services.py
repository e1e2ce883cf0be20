"""The listing-with-photos services behind the web form (factories/services/listings.py) and
photo reordering: all or nothing, files included."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from factories.models import Product, ProductImage, ProductStatus
from factories.services import images as image_services
from factories.services import (
    product_create_with_images,
    product_image_move,
    product_update_with_images,
)
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.models import Event
from tests import makers

pytestmark = pytest.mark.django_db

DATA = {
    "title": "玻璃密封罐",
    "description": "",
    "category": "storage",
    "factory_price": "8.80",
    "moq": 100,
    "lead_time_days": 7,
}


def jpeg(width=40, height=20, name="a.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 10)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def media_files(root):
    return sorted(os.path.relpath(os.path.join(d, n), root) for d, _, names in os.walk(root) for n in names)


@pytest.fixture
def factory():
    return makers.FactoryMaker()


def test_create_with_images_stores_them_in_order(factory, _isolated_media):
    product = product_create_with_images(
        factory=factory, actor=factory.owner, data=DATA, uploads=[jpeg(40, 20), jpeg(20, 40, "b.jpg")]
    )
    assert product.status == ProductStatus.PENDING_REVIEW
    assert list(product.images.values_list("width", "position")) == [(40, 0), (20, 1)]
    assert len(media_files(_isolated_media)) == 4


def test_a_refused_product_leaves_no_image_row_and_no_file(factory, _isolated_media):
    with pytest.raises(ValidationError):
        product_create_with_images(
            factory=factory, actor=factory.owner, data={**DATA, "category": "home"}, uploads=[jpeg()]
        )
    assert (Product.objects.count(), ProductImage.objects.count(), Event.objects.count()) == (0, 0, 0)
    assert media_files(_isolated_media) == []


def test_a_failure_while_storing_removes_the_files_already_written(factory, _isolated_media, monkeypatch):
    # given the second image's event cannot be written (a database error mid-batch)
    calls = []
    real = image_services.event_record

    def flaky(**kwargs):
        calls.append(kwargs["verb"])
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(image_services, "event_record", flaky)
    # when
    with pytest.raises(RuntimeError):
        product_create_with_images(factory=factory, actor=factory.owner, data=DATA, uploads=[jpeg(), jpeg()])
    # then
    assert (Product.objects.count(), ProductImage.objects.count()) == (0, 0)
    assert media_files(_isolated_media) == []


def test_someone_else_cannot_create_or_update(factory, _isolated_media):
    intruder = makers.FactoryMaker().owner
    with pytest.raises(NotAllowed):
        product_create_with_images(factory=factory, actor=intruder, data=DATA, uploads=[jpeg()])
    product = makers.ProductMaker(factory=factory)
    with pytest.raises(NotAllowed):
        product_update_with_images(product=product, actor=intruder, data={"moq": 5}, uploads=[jpeg()])
    assert ProductImage.objects.count() == 0
    assert media_files(_isolated_media) == []


def test_update_refused_by_the_review_flow_keeps_photos_out(factory, _isolated_media):
    product = makers.ProductMaker(factory=factory, status=ProductStatus.DELISTED)
    with pytest.raises(TransitionNotAllowed):
        product_update_with_images(product=product, actor=factory.owner, data={"moq": 5}, uploads=[jpeg()])
    product.refresh_from_db()
    assert (product.moq, ProductImage.objects.count()) == (100, 0)
    assert media_files(_isolated_media) == []


def test_update_adds_photos_after_the_existing_ones(factory, _isolated_media):
    product = makers.ProductMaker(factory=factory)
    product_update_with_images(product=product, actor=factory.owner, data={}, uploads=[jpeg(40, 20)])
    product_update_with_images(product=product, actor=factory.owner, data={}, uploads=[jpeg(20, 40)])
    # The listing is live, so both photos wait in its one pending revision, in upload order.
    photos = ProductImage.all_objects.filter(product=product)
    assert list(photos.values_list("width", "position")) == [(40, 0), (20, 1)]
    assert len({p.revision_id for p in photos}) == 1 and None not in {p.revision_id for p in photos}
    assert list(product.images.all()) == []


def test_every_bad_file_is_named(factory):
    bad = SimpleUploadedFile("x.png", b"nope")
    worse = SimpleUploadedFile("y.webp", b"nope again")
    with pytest.raises(ValidationError) as caught:
        product_create_with_images(
            factory=factory, actor=factory.owner, data=DATA, uploads=[bad, jpeg(), worse]
        )
    assert caught.value.message_dict == {
        "images": [
            "x.png: The file is not a JPEG, PNG or WebP image.",
            "y.webp: The file is not a JPEG, PNG or WebP image.",
        ]
    }


def test_move_swaps_neighbours_and_stops_at_the_ends(factory):
    product = makers.ProductMaker(factory=factory)
    a, b, c = (
        ProductImage.objects.create(
            product=product, image=f"{n}.jpg", thumbnail=f"{n}t.jpg", position=n, width=n + 1, height=1
        )
        for n in range(3)
    )
    owner = factory.owner
    product_image_move(image=c, actor=owner, offset=-1)
    assert list(product.images.values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    product_image_move(image=a, actor=owner, offset=-1)  # first already
    product_image_move(image=b, actor=owner, offset=1)  # last already
    assert list(product.images.values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    assert list(product.images.values_list("position", flat=True)) == [0, 1, 2]
    with pytest.raises(NotAllowed):
        product_image_move(image=a, actor=makers.FactoryMaker().owner, offset=1)
    assert list(Event.objects.values_list("verb", flat=True)) == ["product.image_moved"]
