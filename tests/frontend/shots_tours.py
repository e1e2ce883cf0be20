"""Screenshots of the video tour pages (not a test module: run explicitly with
`pytest tests/frontend/shots_tours.py`; PNGs in /work/shots-tour-pages): the streamer's and the
factory's lists, a request as the factory sees it (confirm / propose / cancel), a proposed time as
the streamer sees it, and a call that is over (rating form, on to a trial or a custom request)."""

from datetime import timedelta
from pathlib import Path

import time_machine

from tests import makers
from tests.frontend.shots import login_cookie, shoot
from tests.tours.conftest import MONDAY, T0, at, publish
from tours.services import bookings

OUT = Path("/work/shots-tour-pages")


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    factory = makers.FactoryMaker(name="义乌市佳美日用品厂")
    products = [makers.ProductMaker(factory=factory, title=t) for t in ("桌面收纳盒", "折叠脏衣篮")]
    buyer = makers.BuyerMaker(display_name="小鹿主播")
    other = makers.BuyerMaker(display_name="老张直播间")
    ids = [p.pk for p in products]
    with time_machine.travel(T0 - timedelta(days=5), tick=False) as clock:
        publish(factory, parallel_calls=2)
        over = bookings.tour_book(
            actor=buyer.user,
            factory_id=factory.pk,
            starts_at=at(MONDAY - timedelta(days=4), 15),
            product_ids=ids,
            agenda="看注塑车间和包装线",
        )
        bookings.tour_confirm(booking=over, actor=factory.owner)
        clock.move_to(T0)
        asked = bookings.tour_book(
            actor=buyer.user,
            factory_id=factory.pk,
            starts_at=at(MONDAY, 14),
            product_ids=ids[:1],
            agenda="看样品间",
        )
        proposed = bookings.tour_book(
            actor=buyer.user,
            factory_id=factory.pk,
            starts_at=at(MONDAY + timedelta(days=1), 14),
            product_ids=[],
        )
        bookings.tour_propose(
            booking=proposed, actor=factory.owner, starts_at=at(MONDAY + timedelta(days=1), 15, 30)
        )
        bookings.tour_book(actor=other.user, factory_id=factory.pk, starts_at=at(MONDAY, 15), product_ids=[])
        streamer, owner = login_cookie(buyer.user, live_server), login_cookie(factory.owner, live_server)
        shoot(
            live_server,
            {
                "list-streamer": "/me/tours/?tz=Europe/Berlin",
                "proposed-streamer": f"/me/tours/{proposed.pk}/?tz=Asia/Shanghai",
                "over-streamer": f"/me/tours/{over.pk}/",
            },
            OUT,
            cookie=streamer,
        )
        shoot(
            live_server,
            {"list-factory": "/me/tours/", "request-factory": f"/me/tours/{asked.pk}/"},
            OUT,
            cookie=owner,
        )
