"""Screenshots of a factory's photos and tour video link (not a test module: run explicitly with
`pytest tests/frontend/shots_factory_media.py`; PNGs in /work/shots-factory-media): its public page
and the photo and licence panels of its profile page."""

from pathlib import Path

from PIL import Image

from factories.services import factory_photo_add
from tests import makers
from tests.factories.test_images import encode, upload
from tests.frontend.shots import login_cookie, shoot


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂", video_url="https://v.douyin.com/tour/")
    for colour, caption in [
        ((30, 90, 160), "注塑车间"),
        ((160, 90, 30), "包装线"),
        ((40, 140, 60), "成品仓库"),
    ]:
        data = encode(Image.new("RGB", (640, 480), colour), "JPEG")
        factory_photo_add(factory=factory, actor=factory.owner, upload=upload(data), caption=caption)
    shoot(
        live_server,
        {"page": f"/factories/{factory.pk}/", "profile": "/me/profile/factory/"},
        Path("/work/shots-factory-media"),
        cookie=login_cookie(factory.owner, live_server),
    )
