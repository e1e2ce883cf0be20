"""Screenshots of the video tour pages before the call: the factory's weekly times and a streamer's
booking page (not a test module: run explicitly with `pytest tests/frontend/shots_tour_booking.py`;
PNGs in /work/shots-tour-booking)."""

from datetime import time, timedelta
from pathlib import Path

from django.utils import timezone

from tests import makers
from tests.frontend.shots import login_cookie, shoot
from tours.services.availability import WindowInput, tour_availability_save

OUT = Path("/work/shots-tour-booking")


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    factory = makers.FactoryMaker(name="义乌市佳美日用品厂")
    product = makers.ProductMaker(factory=factory, title="桌面收纳盒")
    makers.ProductMaker(factory=factory, title="可折叠脏衣篮（大号，带盖）")
    tour_availability_save(
        actor=factory.owner,
        meeting_url="https://meeting.tencent.com/dm/abc123",
        slot_minutes=30,
        parallel_calls=2,
        windows=[WindowInput(d, time(9, 30), time(11, 30)) for d in range(5)]
        + [WindowInput(d, time(14), time(17)) for d in range(5)],
        blackouts=[timezone.localdate() + timedelta(days=3)],
    )
    buyer = makers.BuyerMaker(display_name="小鹿主播")
    shoot(
        live_server,
        {
            "factory-page": f"/factories/{factory.pk}/",
            "product-page": f"/products/{product.pk}/",
            "book-berlin": f"/factories/{factory.pk}/tour/?tz=Europe/Berlin&product={product.pk}",
            "book-shanghai": f"/factories/{factory.pk}/tour/?tz=Asia/Shanghai",
        },
        OUT,
        cookie=login_cookie(buyer.user, live_server),
    )
    shoot(
        live_server,
        {"settings": "/me/factory/tours/"},
        OUT,
        cookie=login_cookie(factory.owner, live_server),
    )
