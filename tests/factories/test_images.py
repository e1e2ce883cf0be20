"""Product images (issue 2, point 3): POST/DELETE products/{id}/images/ with real Pillow-made files.

Every failure path also checks that nothing was left behind: no ProductImage row, no file under
MEDIA_ROOT (a temporary folder per test, see conftest `_isolated_media`) and no event.
"""

import io
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from factories.images import image_process
from factories.models import ProductImage, ProductStatus, VerificationStatus
from factories.services import images as image_services
from marketplace.core.errors import ValidationError
from marketplace.core.models import Event
from tests import makers

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
NOT_AN_IMAGE = "The file is not a JPEG, PNG or WebP image."
DAMAGED = "The image file is damaged or incomplete; export it again and upload the new file."
TOO_LARGE = "The file is larger than 10 MB; upload an image of at most 10 MB."
RED, BLUE = (255, 0, 0), (0, 0, 255)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


# ---- helpers -------------------------------------------------------------------------------


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def two_colour(size=(200, 100), mode="RGB") -> Image.Image:
    """Left half red, right half blue: shows which way an orientation was applied."""
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_image(api, product, file):
    return api.post(f"/api/v1/products/{product.pk}/images/", {"image": file}, format="multipart")


def media_files(media_root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), media_root)
        for folder, _, names in os.walk(media_root)
        for name in names
    )


def assert_nothing_stored(media_root):
    assert ProductImage.objects.count() == 0
    assert media_files(media_root) == []
    assert Event.objects.count() == 0


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height but carries almost no data (a decompression bomb's
    shape: it would need width×height bytes of memory to decode)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def product(db):
    # Not yet live: photos of a live listing wait for review (tests/factories/test_revisions.py);
    # here it is how photos are processed and stored that is under test.
    return makers.ProductMaker(status=ProductStatus.PENDING_REVIEW)


@pytest.fixture
def owner(product):
    return product.factory.owner


# ---- success paths ----------------------------------------------------------------------------


def test_jpeg_with_gps_exif_is_stored_without_metadata_and_upright(api, product, owner, _isolated_media):
    # given a phone photo: 200×100 pixels stored sideways with Orientation 6, GPS, serial, XMP, comment
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SecretPhone"
    exif[ExifTags.Base.Model] = "SN-4242"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (29.0, 17.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (117.0, 12.0, 0.0),
    }
    data = encode(
        two_colour(),
        "JPEG",
        quality=95,
        exif=exif,
        xmp=b"<x:xmpmeta>factory-floor-location</x:xmpmeta>",
        comment=b"owner phone 13800000000",
    )
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the GPS is really there
    # when
    response = post_image(api.as_user(owner), product, upload(data))
    # then
    assert response.status_code == 201
    image = ProductImage.objects.get()
    assert re.fullmatch(rf"products/{product.pk}/[0-9a-f]{{32}}\.jpg", image.image.name)
    assert image.thumbnail.name == image.image.name.replace(".jpg", "_thumb.jpg")
    assert response.json() == {
        "id": image.pk,
        "url": f"http://testserver/media/{image.image.name}",
        "thumbnail_url": f"http://testserver/media/{image.thumbnail.name}",
        "width": 100,
        "height": 200,
        "awaiting_review": False,  # the listing is not live yet: it is reviewed as a whole
    }
    assert (image.width, image.height, image.position) == (100, 200, 0)
    assert media_files(_isolated_media) == [image.image.name, image.thumbnail.name]
    for name in (image.image.name, image.thumbnail.name):
        raw = (Path(_isolated_media) / name).read_bytes()
        for secret in (b"Exif", b"SecretPhone", b"SN-4242", b"factory-floor", b"13800000000"):
            assert secret not in raw
        stored = Image.open(io.BytesIO(raw))
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert not {"exif", "xmp", "comment"} & set(stored.info)
        # rotated 90° clockwise: the red left half is now on top
        assert stored.size == (100, 200)
        assert_close(stored.getpixel((50, 40)), RED)
        assert_close(stored.getpixel((50, 160)), BLUE)
    event = Event.objects.get()
    assert (event.verb, event.actor, event.target_id, event.data) == (
        "product.image_added",
        owner,
        product.pk,
        {"image_id": image.pk},
    )
    product.refresh_from_db()
    assert product.search_index_dirty is True


def assert_close(pixel, expected, tolerance=12):
    assert all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True)), (pixel, expected)


def test_png_with_alpha_keeps_alpha_and_thumbnail_keeps_aspect(api, product, owner, _isolated_media):
    # given a 900×600 RGBA image, left half opaque red, right half 30% opaque blue, with an sRGB
    # profile, a text chunk and EXIF
    source = Image.new("RGBA", (900, 600), (0, 0, 255, 77))
    source.paste((255, 0, 0, 255), (0, 0, 450, 600))
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "workshop at 29.17N 117.2E")
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SN-4242"
    data = encode(source, "PNG", pnginfo=text, exif=exif, icc_profile=SRGB)
    assert b"workshop" in data and b"eXIf" in data
    # when
    response = post_image(api.as_user(owner), product, upload(data, "p.png", "image/png"))
    # then
    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (900, 600)
    image = ProductImage.objects.get()
    assert image.image.name.endswith(".png")
    original = Image.open(image.image.path)
    assert (original.format, original.mode, original.size) == ("PNG", "RGBA", (900, 600))
    assert original.getpixel((10, 10)) == (255, 0, 0, 255)
    assert original.getpixel((890, 590)) == (0, 0, 255, 77)
    assert original.info["icc_profile"] == SRGB  # colours stay as the factory exported them
    raw = Path(image.image.path).read_bytes()
    assert b"workshop" not in raw and b"SN-4242" not in raw and b"eXIf" not in raw
    thumb = Image.open(image.thumbnail.path)
    assert (thumb.format, thumb.mode, thumb.size) == ("PNG", "RGBA", (400, 267))
    assert thumb.getpixel((395, 260)) == (0, 0, 255, 77)


def test_webp_is_accepted_and_stays_webp(api, product, owner):
    # given a WebP carrying GPS EXIF
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (29.0, 17.0, 30.0),
    }
    exif[ExifTags.Base.Model] = "SN-4242"
    data = encode(two_colour((1000, 250)), "WEBP", quality=90, exif=exif)
    assert b"SN-4242" in data
    # when
    response = post_image(api.as_user(owner), product, upload(data, "p.webp", "image/webp"))
    # then
    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (1000, 250)
    image = ProductImage.objects.get()
    assert image.image.name.endswith(".webp")
    stored = Image.open(image.image.path)
    assert stored.format == "WEBP"
    assert dict(stored.getexif()) == {}
    assert b"SN-4242" not in Path(image.image.path).read_bytes()
    assert Image.open(image.thumbnail.path).size == (400, 100)


@pytest.mark.parametrize(
    ("size", "thumb_size"),
    [((1000, 250), (400, 100)), ((300, 1200), (100, 400)), ((400, 400), (400, 400)), ((120, 80), (120, 80))],
)
def test_thumbnail_is_at_most_400px_on_the_long_side_with_aspect_kept(size, thumb_size):
    # when
    processed = image_process(ContentFile(encode(two_colour(size), "PNG"), name="p.png"))
    # then
    assert (processed.width, processed.height) == size
    assert Image.open(io.BytesIO(processed.thumbnail)).size == thumb_size


@pytest.mark.parametrize(
    ("mode", "fmt", "params", "stored_format", "stored_mode"),
    [
        ("P", "PNG", {"transparency": 0}, "PNG", "RGBA"),  # palette with a transparent entry
        ("P", "PNG", {}, "PNG", "RGB"),
        ("LA", "PNG", {}, "PNG", "RGBA"),
        ("I;16", "PNG", {}, "PNG", "L"),  # 16-bit greyscale scans
        ("1", "PNG", {}, "PNG", "L"),
        ("L", "JPEG", {}, "JPEG", "L"),
        ("CMYK", "JPEG", {}, "JPEG", "RGB"),  # print-shop exports
        ("RGB", "MPO", {"save_all": True, "append_images": [Image.new("RGB", (64, 48))]}, "JPEG", "RGB"),
    ],
)
def test_unusual_modes_and_phone_multi_picture_jpegs_are_normalised(
    mode, fmt, params, stored_format, stored_mode
):
    # given
    data = encode(Image.new(mode, (64, 48)), fmt, **params)
    # when
    processed = image_process(ContentFile(data, name="x"))
    # then
    stored = Image.open(io.BytesIO(processed.original))
    assert (stored.format, stored.mode, stored.size) == (stored_format, stored_mode, (64, 48))
    assert processed.extension == {"PNG": "png", "JPEG": "jpg"}[stored_format]


def test_a_file_of_exactly_10_mb_is_accepted_and_trailing_payload_dropped(api, product, owner):
    # given a valid PNG padded with an appended payload to exactly the limit
    png = encode(two_colour((64, 64)), "PNG")
    data = png + b"PAYLOAD!" * ((10 * MB - len(png)) // 8)
    data += b"!" * (10 * MB - len(data))
    assert len(data) == 10 * MB
    # when
    response = post_image(api.as_user(owner), product, upload(data, "p.png", "image/png"))
    # then
    assert response.status_code == 201
    stored = Path(ProductImage.objects.get().image.path).read_bytes()
    assert b"PAYLOAD" not in stored and len(stored) < 10_000


@pytest.mark.parametrize("who", ["staff", "owner_draft"])
def test_staff_and_owner_of_a_draft_may_upload(api, product, owner, staff, who):
    # given
    user = staff if who == "staff" else owner
    if who == "owner_draft":
        product.status = ProductStatus.DRAFT
        product.save(update_fields=["status"])
    # when
    response = post_image(api.as_user(user), product, upload(encode(two_colour(), "JPEG")))
    # then
    assert response.status_code == 201
    assert Event.objects.get().actor == user


def test_positions_follow_upload_order(api, product, owner):
    # when
    for _ in range(3):
        assert (
            post_image(api.as_user(owner), product, upload(encode(two_colour(), "JPEG"))).status_code == 201
        )
    # then
    assert list(ProductImage.objects.values_list("position", flat=True)) == [0, 1, 2]


# ---- refusals ---------------------------------------------------------------------------------


def test_image_over_40_megapixels_is_refused_from_its_header(api, product, owner, _isolated_media):
    # given an 8000×6000 (48 MP) mostly blank PNG: tiny on disk, 48 MB+ once decoded
    bomb = Image.new("1", (8000, 6000))
    bomb.paste(1, (0, 0, 10, 10))
    data = encode(bomb, "PNG")
    assert len(data) < 100_000
    # when
    response = post_image(api.as_user(owner), product, upload(data, "big.png", "image/png"))
    # then
    assert response.status_code == 400
    assert response.json() == {
        "image": [
            "The image is 8000×6000 pixels (48.0 megapixels); the limit is 40 megapixels. "
            "Resize it and upload again."
        ]
    }
    assert_nothing_stored(_isolated_media)


def test_exactly_40_megapixels_is_accepted():
    # given 8000×5000, the limit itself
    data = encode(Image.new("1", (8000, 5000)), "PNG")
    # when
    processed = image_process(ContentFile(data, name="big.png"))
    # then
    assert (processed.width, processed.height) == (8000, 5000)
    assert Image.open(io.BytesIO(processed.thumbnail)).size == (400, 250)


def test_header_claiming_100_megapixels_is_refused_with_its_size(api, product, owner, _isolated_media):
    # given 10000×10000: above Pillow's warning threshold, below its own refusal
    data = png_header_only(10000, 10000)
    # when
    with pytest.warns(Image.DecompressionBombWarning):
        response = post_image(api.as_user(owner), product, upload(data, "bomb.png", "image/png"))
    # then
    assert response.status_code == 400
    assert response.json() == {
        "image": [
            "The image is 10000×10000 pixels (100.0 megapixels); the limit is 40 megapixels. "
            "Resize it and upload again."
        ]
    }
    assert_nothing_stored(_isolated_media)


def test_header_claiming_200_megapixels_is_refused_by_pillows_bomb_guard(
    api, product, owner, _isolated_media
):
    # given a PNG that claims 20000×10000 pixels (Pillow itself refuses this at open)
    data = png_header_only(20000, 10000)
    # when
    response = post_image(api.as_user(owner), product, upload(data, "bomb.png", "image/png"))
    # then
    assert response.status_code == 400
    assert response.json() == {
        "image": ["The image has more than 40 megapixels; resize it and upload again."]
    }
    assert_nothing_stored(_isolated_media)


def test_file_over_10_mb_is_refused(api, product, owner, _isolated_media):
    # given a valid JPEG padded to one byte over the limit
    jpeg = encode(two_colour(), "JPEG")
    data = jpeg + b"\0" * (10 * MB + 1 - len(jpeg))
    # when
    response = post_image(api.as_user(owner), product, upload(data))
    # then
    assert response.status_code == 400
    assert response.json() == {"image": [TOO_LARGE]}
    assert_nothing_stored(_isolated_media)


def test_size_is_checked_before_the_file_is_decoded():
    # given bytes that are not an image at all: decoding would give another message
    data = ContentFile(b"x" * (10 * MB + 1), name="big.jpg")
    # when
    with pytest.raises(ValidationError) as caught:
        image_process(data)
    # then
    assert caught.value.message_dict == {"image": [TOO_LARGE]}


def truncated_jpeg() -> bytes:
    noise = Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3))
    data = encode(noise, "JPEG", quality=90)
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("make_data", "name", "message"),
    [
        (lambda: b"Quarterly report, not a photo.\n" * 50, "photo.jpg", NOT_AN_IMAGE),
        (lambda: b"%PDF-1.7\n" + b"0" * 500, "catalogue.jpg", NOT_AN_IMAGE),
        (truncated_jpeg, "cut.jpg", DAMAGED),
        (lambda: encode(two_colour(), "PNG")[:-40], "cut.png", DAMAGED),
        (lambda: encode(two_colour(), "GIF"), "anim.gif", NOT_AN_IMAGE),
        (lambda: encode(two_colour(), "BMP"), "scan.bmp", NOT_AN_IMAGE),
        (lambda: encode(two_colour(), "TIFF"), "scan.tiff", NOT_AN_IMAGE),
        (lambda: encode(two_colour(), "GIF"), "renamed.png", NOT_AN_IMAGE),
    ],
    ids=["text-as-jpg", "pdf-as-jpg", "truncated-jpeg", "truncated-png", "gif", "bmp", "tiff", "gif-as-png"],
)
def test_bad_files_are_refused_with_a_clear_message(
    api, product, owner, _isolated_media, make_data, name, message
):
    # when
    response = post_image(api.as_user(owner), product, upload(make_data(), name))
    # then
    assert response.status_code == 400
    assert response.json() == {"image": [message]}
    assert_nothing_stored(_isolated_media)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"image": ["Attach an image file in the field 'image'."]}),
        (
            {"image": "not-a-file"},
            {"image": ["The submitted data was not a file. Check the encoding type on the form."]},
        ),
        ({"image": upload(b"", "empty.jpg")}, {"image": ["The submitted file is empty."]}),
    ],
    ids=["missing", "text-field", "empty-file"],
)
def test_missing_or_empty_field_is_refused(api, product, owner, _isolated_media, body, errors):
    # when
    response = api.as_user(owner).post(f"/api/v1/products/{product.pk}/images/", body, format="multipart")
    # then
    assert response.status_code == 400
    assert response.json() == errors
    assert_nothing_stored(_isolated_media)


def test_json_body_is_refused_as_unsupported(api, product, owner, _isolated_media):
    # when
    response = api.as_user(owner).post(
        f"/api/v1/products/{product.pk}/images/", {"image": "x"}, format="json"
    )
    # then
    assert response.status_code == 415
    assert_nothing_stored(_isolated_media)


def test_product_with_20_images_refuses_another(api, product, owner, _isolated_media):
    # given
    ProductImage.objects.bulk_create(
        ProductImage(
            product=product, image=f"products/{product.pk}/{i}.jpg", thumbnail="t.jpg", width=1, height=1
        )
        for i in range(20)
    )
    # when
    response = post_image(api.as_user(owner), product, upload(encode(two_colour(), "JPEG")))
    # then
    assert response.status_code == 400
    assert response.json() == {"image": ["A product can have at most 20 images."]}
    assert ProductImage.objects.count() == 20
    assert media_files(_isolated_media) == []
    assert Event.objects.count() == 0


def test_failure_after_files_are_written_removes_them(product, owner, monkeypatch, _isolated_media):
    # given the audit insert fails (fault injection: nothing real makes it fail on demand)
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(image_services, "event_record", broken)
    # when
    with pytest.raises(RuntimeError):
        image_services.product_image_add(
            product=product, actor=owner, upload=ContentFile(encode(two_colour(), "JPEG"), name="p.jpg")
        )
    # then
    assert_nothing_stored(_isolated_media)


# ---- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "visibility", "status_code", "body"),
    [
        ("anonymous", "public", 401, {"detail": "Authentication credentials were not provided."}),
        ("other_factory", "public", 403, {"detail": "Only the owner can change this."}),
        ("other_factory", "draft", 404, {"detail": "No Product matches the given query."}),
        ("buyer", "public", 403, {"detail": "Only the owner can change this."}),
        ("buyer", "unverified_factory", 404, {"detail": "No Product matches the given query."}),
    ],
)
def test_upload_permission_matrix(
    api, product, buyer_user, _isolated_media, who, visibility, status_code, body
):
    # given
    product.status = ProductStatus.DRAFT if visibility == "draft" else ProductStatus.ACTIVE
    product.save(update_fields=["status"])
    if visibility == "unverified_factory":
        product.factory.verification_status = VerificationStatus.PENDING
        product.factory.save(update_fields=["verification_status"])
    user = {"anonymous": None, "other_factory": makers.FactoryMaker().owner, "buyer": buyer_user}[who]
    # when
    response = post_image(api.as_user(user), product, upload(encode(two_colour(), "JPEG")))
    # then
    assert response.status_code == status_code
    assert response.json() == body
    assert_nothing_stored(_isolated_media)


# ---- delete -----------------------------------------------------------------------------------


@pytest.fixture
def stored_image(api, product, owner):
    response = post_image(api.as_user(owner), product, upload(encode(two_colour(), "JPEG")))
    assert response.status_code == 201
    Event.objects.all().delete()
    return ProductImage.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_delete_removes_row_now_and_files_after_commit(
    api, product, owner, staff, stored_image, django_capture_on_commit_callbacks, who
):
    # given
    user = owner if who == "owner" else staff
    paths = [stored_image.image.path, stored_image.thumbnail.path]
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.as_user(user).delete(f"/api/v1/products/{product.pk}/images/{stored_image.pk}/")
        # then the files survive until the transaction commits
        assert response.status_code == 204
        assert not ProductImage.objects.exists()
        assert all(os.path.exists(p) for p in paths)
    for callback in callbacks:
        callback()
    assert not any(os.path.exists(p) for p in paths)
    event = Event.objects.get()
    assert (event.verb, event.actor, event.data) == (
        "product.image_deleted",
        user,
        # staff acting through the API are audited with their address (issue 12)
        {"image_id": stored_image.pk, **({"address": "127.0.0.1"} if user.is_staff_member else {})},
    )


@pytest.mark.django_db(transaction=True)
def test_files_that_cannot_be_removed_after_commit_leave_the_delete_answered_204(
    api, product, owner, stored_image, monkeypatch
):
    # given: the storage refuses to delete (after the row is gone for good)
    paths = [stored_image.image.path, stored_image.thumbnail.path]

    def refuse(self, name):
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)
    # when
    response = api.as_user(owner).delete(f"/api/v1/products/{product.pk}/images/{stored_image.pk}/")
    # then: the committed delete is answered as done; the files stay (logged), nothing else fails
    assert response.status_code == 204
    assert not ProductImage.objects.filter(pk=stored_image.pk).exists()
    assert all(os.path.exists(p) for p in paths)


@pytest.mark.parametrize(
    ("who", "status_code", "body"),
    [
        ("anonymous", 401, {"detail": "Authentication credentials were not provided."}),
        ("other_factory", 403, {"detail": "Only the owner can change this."}),
        ("buyer", 403, {"detail": "Only the owner can change this."}),
    ],
)
def test_delete_permission_matrix(api, product, buyer_user, stored_image, who, status_code, body):
    # given: a live listing, whose photos anyone may see
    product.status = ProductStatus.ACTIVE
    product.save(update_fields=["status"])
    user = {"anonymous": None, "other_factory": makers.FactoryMaker().owner, "buyer": buyer_user}[who]
    # when
    response = api.as_user(user).delete(f"/api/v1/products/{product.pk}/images/{stored_image.pk}/")
    # then
    assert response.status_code == status_code
    assert response.json() == body
    assert ProductImage.objects.filter(pk=stored_image.pk).exists()
    assert os.path.exists(stored_image.image.path) and os.path.exists(stored_image.thumbnail.path)
    assert Event.objects.count() == 0


def test_delete_of_an_image_of_another_product_is_404(api, owner, stored_image):
    # given another product of the same owner
    other = makers.ProductMaker(factory=stored_image.product.factory)
    # when
    response = api.as_user(owner).delete(f"/api/v1/products/{other.pk}/images/{stored_image.pk}/")
    # then
    assert response.status_code == 404
    assert response.json() == {"detail": "No ProductImage matches the given query."}
    assert ProductImage.objects.filter(pk=stored_image.pk).exists()
    assert Event.objects.count() == 0


def test_oversized_upload_is_cut_off_while_the_body_is_parsed(api, product, owner, _isolated_media):
    # given a full product: the service would answer "at most 20 images" if it ever saw the file
    ProductImage.objects.bulk_create(
        ProductImage(
            product=product, image=f"products/{product.pk}/{i}.jpg", thumbnail="t.jpg", width=1, height=1
        )
        for i in range(20)
    )
    # when
    response = post_image(api.as_user(owner), product, upload(b"\xff\xd8" + b"\0" * (10 * MB)))
    # then the upload handler stopped it before the service
    assert response.status_code == 400
    assert response.json() == {"image": [TOO_LARGE]}
    assert media_files(_isolated_media) == []
    assert Event.objects.count() == 0
