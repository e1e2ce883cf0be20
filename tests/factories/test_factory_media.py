"""A factory's photos, tour video link and business licence (issue 17, point 4): photos through
the product photos' Pillow checks, the licence readable by staff and the factory only."""

import io
import os

import pytest
from PIL import Image

from factories.models import FactoryPhoto
from factories.services.media import MAX_FACTORY_PHOTOS
from tests import makers
from tests.factories.test_images import DAMAGED, encode, upload

pytestmark = pytest.mark.django_db


def jpeg(colour=(10, 120, 60), size=(320, 200)) -> bytes:
    return encode(Image.new("RGB", size, colour), "JPEG")


@pytest.fixture
def factory(db):
    return makers.FactoryMaker()


def post_photo(api, factory, data: bytes, **extra):
    return api.post(
        f"/api/v1/factories/{factory.pk}/photos/", {"image": upload(data), **extra}, format="multipart"
    )


def files_under(root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, n), root) for d, _, names in os.walk(root) for n in names)


# ---- photos ------------------------------------------------------------------------------------
def test_the_factory_adds_workshop_photos_everyone_sees(api, factory):
    # when
    response = post_photo(api.as_user(factory.owner), factory, jpeg(), caption="注塑车间")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["caption"], body["width"], body["height"]) == ("注塑车间", 320, 200)
    public = api.as_user(None).get(f"/api/v1/factories/{factory.pk}/").json()
    assert [p["id"] for p in public["photos"]] == [body["id"]]
    assert public["photos"][0]["thumbnail_url"].startswith("http://testserver/media/factories/")


def test_a_damaged_file_is_refused_and_nothing_is_stored(api, factory, _isolated_media):
    response = post_photo(api.as_user(factory.owner), factory, jpeg()[:200])
    assert response.status_code == 400
    assert response.json() == {"image": [DAMAGED]}
    assert not FactoryPhoto.objects.exists()
    assert files_under(_isolated_media) == []


def test_only_the_owner_adds_photos(api, factory):
    other = makers.FactoryMaker()
    assert post_photo(api.as_user(other.owner), factory, jpeg()).status_code == 403
    assert post_photo(api.as_user(makers.BuyerMaker().user), factory, jpeg()).status_code == 403
    assert not FactoryPhoto.objects.exists()


def test_a_factory_shows_at_most_twelve_photos(api, factory):
    owner = api.as_user(factory.owner)
    for _ in range(MAX_FACTORY_PHOTOS):
        assert post_photo(owner, factory, jpeg()).status_code == 201
    response = post_photo(owner, factory, jpeg())
    assert response.status_code == 400
    assert response.json() == {"image": ["A factory can show at most 12 photos; remove one first."]}
    assert FactoryPhoto.objects.count() == MAX_FACTORY_PHOTOS


def test_a_caption_is_one_short_line(api, factory):
    response = post_photo(api.as_user(factory.owner), factory, jpeg(), caption="车间\n第二行")
    assert response.status_code == 400
    assert response.json() == {"caption": ["A caption is one line of at most 60 characters."]}
    assert not FactoryPhoto.objects.exists()


def test_removing_a_photo_removes_its_files(
    api, factory, _isolated_media, django_capture_on_commit_callbacks
):
    photo_id = post_photo(api.as_user(factory.owner), factory, jpeg()).json()["id"]
    assert len(files_under(_isolated_media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(factory.owner).delete(f"/api/v1/factories/{factory.pk}/photos/{photo_id}/")
    assert response.status_code == 204
    assert not FactoryPhoto.objects.exists()
    assert files_under(_isolated_media) == []
    other = makers.FactoryMaker()
    other_photo = post_photo(api.as_user(other.owner), other, jpeg()).json()["id"]
    # somebody else's photo through one's own factory: 404, and it stays
    assert (
        api.as_user(factory.owner).delete(f"/api/v1/factories/{factory.pk}/photos/{other_photo}/").status_code
        == 404
    )
    assert FactoryPhoto.objects.filter(pk=other_photo).exists()


# ---- the video link --------------------------------------------------------------------------
def test_a_tour_video_link_must_be_https(api, factory):
    owner = api.as_user(factory.owner)
    url = f"/api/v1/factories/{factory.pk}/"
    refused = owner.patch(url, {"video_url": "http://example.com/tour"}, content_type="application/json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["video_url"]
    ok = owner.patch(url, {"video_url": "https://v.douyin.com/abc/"}, content_type="application/json")
    assert ok.status_code == 200
    assert api.as_user(None).get(url).json()["video_url"] == "https://v.douyin.com/abc/"


# ---- the business licence -----------------------------------------------------------------------
def test_the_licence_is_seen_by_staff_and_the_factory_only(api, factory, staff, settings):
    # when
    response = api.as_user(factory.owner).put(
        f"/api/v1/factories/{factory.pk}/licence/", {"image": upload(jpeg((200, 0, 0)))}, format="multipart"
    )
    # then
    assert response.status_code == 204
    factory.refresh_from_db()
    assert factory.licence_image.name.startswith("licences/")
    # stored outside MEDIA_ROOT's public files, with no URL at all
    assert os.path.exists(os.path.join(settings.PRIVATE_MEDIA_ROOT, factory.licence_image.name))
    with pytest.raises(ValueError):
        factory.licence_image.url  # noqa: B018
    url = f"/api/v1/factories/{factory.pk}/licence/"
    for user in (staff, factory.owner):
        seen = api.as_user(user).get(url)
        assert seen.status_code == 200
        assert Image.open(io.BytesIO(seen.content)).size == (320, 200)
        assert seen["Cache-Control"] == "private, no-store"
    for user in (None, makers.BuyerMaker().user, makers.FactoryMaker().owner):
        assert api.as_user(user).get(url).status_code in (401, 404)
    assert api.as_user(staff).get(f"/api/v1/factories/{factory.pk}/").json()["licence_uploaded"] is True
    assert api.as_user(None).get(f"/api/v1/factories/{factory.pk}/").json()["licence_uploaded"] is None


def test_replacing_the_licence_drops_the_old_file(api, factory, settings, django_capture_on_commit_callbacks):
    owner = api.as_user(factory.owner)
    url = f"/api/v1/factories/{factory.pk}/licence/"
    owner.put(url, {"image": upload(jpeg())}, format="multipart")
    factory.refresh_from_db()
    first = factory.licence_image.name
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.put(url, {"image": upload(jpeg((0, 0, 200)))}, format="multipart").status_code == 204
    factory.refresh_from_db()
    assert factory.licence_image.name != first
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == [factory.licence_image.name]


def test_a_damaged_licence_is_refused_and_the_old_one_kept(api, factory):
    owner = api.as_user(factory.owner)
    url = f"/api/v1/factories/{factory.pk}/licence/"
    owner.put(url, {"image": upload(jpeg())}, format="multipart")
    factory.refresh_from_db()
    kept = factory.licence_image.name
    response = owner.put(url, {"image": upload(b"not an image")}, format="multipart")
    assert response.status_code == 400
    factory.refresh_from_db()
    assert factory.licence_image.name == kept
