"""The factory's photos, video link and licence on its profile page, and what streamers see."""

import pytest
from PIL import Image

from factories.models import Factory, FactoryPhoto
from tests import makers
from tests.factories.test_images import encode, upload
from tests.frontend.helpers import html, messages_of

pytestmark = pytest.mark.django_db
PROFILE = "/me/profile/factory/"


def jpeg() -> bytes:
    return encode(Image.new("RGB", (320, 200), (20, 90, 160)), "JPEG")


@pytest.fixture
def factory(db):
    return makers.FactoryMaker()


def test_photos_added_on_the_profile_show_on_the_factory_page(web, factory):
    mine = web.as_user(factory.owner)
    response = mine.post(f"{PROFILE}photos/", {"image": upload(jpeg()), "caption": "注塑车间"}, follow=True)
    assert messages_of(response) == ["Photo added to your factory page."]
    photo = FactoryPhoto.objects.get()
    assert photo.caption == "注塑车间"
    assert f"/me/profile/factory/photos/{photo.pk}/delete/" in html(response)
    page = html(web.get(f"/factories/{factory.pk}/"))
    assert '<ul class="thumbs" id="factory-gallery"' in page and photo.thumbnail.url in page
    # removed again
    response = mine.post(f"{PROFILE}photos/{photo.pk}/delete/", follow=True)
    assert messages_of(response) == ["Photo removed."]
    assert not FactoryPhoto.objects.exists()
    assert 'id="factory-gallery"' not in html(web.get(f"/factories/{factory.pk}/"))


def test_a_bad_file_is_refused_with_a_reason(web, factory):
    response = web.as_user(factory.owner).post(f"{PROFILE}photos/", {"image": upload(b"nope")}, follow=True)
    assert messages_of(response) == ["The file is not a JPEG, PNG or WebP image."]
    assert not FactoryPhoto.objects.exists()
    response = web.post(f"{PROFILE}photos/", {}, follow=True)
    assert messages_of(response) == ["Choose an image file first."]


def test_another_factory_cannot_remove_a_photo(web, factory):
    mine = web.as_user(factory.owner)
    mine.post(f"{PROFILE}photos/", {"image": upload(jpeg())})
    photo = FactoryPhoto.objects.get()
    other = makers.FactoryMaker()
    assert web.as_user(other.owner).post(f"{PROFILE}photos/{photo.pk}/delete/").status_code == 404
    assert FactoryPhoto.objects.filter(pk=photo.pk).exists()


def test_the_licence_is_uploaded_from_the_profile_and_never_shown_to_streamers(web, factory):
    mine = web.as_user(factory.owner)
    assert '<span class="status">Not uploaded yet</span>' in html(mine.get(PROFILE))
    response = mine.post(f"{PROFILE}licence/", {"image": upload(jpeg())}, follow=True)
    assert messages_of(response) == ["Licence received: staff will check it when verifying your factory."]
    assert '<span class="status">On file</span>' in html(response)
    licence = Factory.objects.get(pk=factory.pk).licence_image.name
    assert licence and licence not in html(web.get(f"/factories/{factory.pk}/"))


def test_the_video_link_is_saved_with_the_profile_and_linked_on_the_page(web, factory):
    mine = web.as_user(factory.owner)
    form = mine.get(PROFILE).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["categories"] = data["categories"]
    data["video_url"] = "https://v.douyin.com/tour/"
    response = mine.post(PROFILE, data, follow=True)
    assert response.status_code == 200
    assert Factory.objects.get(pk=factory.pk).video_url == "https://v.douyin.com/tour/"
    page = html(web.get(f"/factories/{factory.pk}/"))
    assert '<p id="factory-video"><a class="button secondary" href="https://v.douyin.com/tour/"' in page


def test_staff_see_the_licence_in_the_verification_view(web, factory, staff):
    web.as_user(factory.owner).post(f"{PROFILE}licence/", {"image": upload(jpeg())})
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    admin = web.as_user(staff)
    page = html(admin.get(f"/admin/factories/factory/{factory.pk}/change/"))
    url = f"/api/v1/factories/{factory.pk}/licence/"
    assert f'<a href="{url}" target="_blank"><img src="{url}"' in page
    shown = admin.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
