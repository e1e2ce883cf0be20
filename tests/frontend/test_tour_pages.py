"""视频看厂 in the browser (me/tours/…): the list of a streamer's and a factory's calls in the
viewer's zone, a tour's page with the buttons its flow table allows, each button moving the booking
through the same service as the API, refusals (the 2 h cut-off, a bad form) shown in the page with
400 and nothing changed, the rating after the call and the way on to a trial or a custom request."""

from datetime import timedelta

import pytest
import time_machine

from tests import makers
from tests.frontend.helpers import html, messages_of, verbs
from tests.tours.conftest import MONDAY, T0, at, publish
from tours.models import TourBooking
from tours.services import bookings

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def availability(factory, clock):
    return publish(factory)


def book(buyer, factory, product, hour=14, minute=0):
    return bookings.tour_book(
        actor=buyer.user,
        factory_id=factory.pk,
        starts_at=at(MONDAY, hour, minute),
        product_ids=[product.pk],
        agenda="看注塑车间",
    )


def state(booking):
    """What a refused step must leave as it was."""
    b = TourBooking.objects.get(pk=booking.pk)
    return (b.status, b.starts_at, b.cancel_reason, b.rating, b.rating_comment, verbs(b))


def test_the_streamer_and_the_factory_see_their_tours_upcoming_first_in_their_zone(
    web, factory, product, buyer, availability, clock
):
    # given: a call at 14:00 Shanghai today and one last Thursday (booked the day before)
    upcoming = book(buyer, factory, product)
    clock.move_to(T0 - timedelta(days=5))
    past = bookings.tour_book(
        actor=buyer.user, factory_id=factory.pk, starts_at=at(MONDAY - timedelta(days=4), 15), product_ids=[]
    )
    clock.move_to(T0)
    # when
    as_buyer = web.as_user(buyer.user).get("/me/tours/?tz=Europe/Berlin")
    as_factory = web.as_user(factory.owner).get("/me/tours/")
    # then: Berlin is 7 hours behind Shanghai in March (before its summer time)
    assert as_buyer.status_code == 200 and as_factory.status_code == 200
    assert [b.pk for b in as_buyer.context["upcoming"]] == [upcoming.pk]
    assert [b.pk for b in as_buyer.context["past"]] == [past.pk]
    page = html(as_buyer)
    assert page.index(f">{upcoming}</a>") < page.index(f">{past}</a>")
    assert "2027-03-01 Mon 07:00–07:30" in page
    assert "2027-02-25 Thu 08:00–08:30" in page
    assert f'<td data-label="Factory">{factory.name}</td>' in page
    factory_page = html(as_factory)
    assert "2027-03-01 Mon 14:00–14:30" in factory_page
    assert f'<td data-label="Streamer">{buyer.display_name}</td>' in factory_page
    # the request waits for the factory, not for the streamer
    assert "your turn" in factory_page and "your turn" not in page


def test_the_zone_is_remembered_and_an_unknown_one_is_refused_in_the_page(
    web, factory, product, buyer, availability
):
    booking = book(buyer, factory, product)
    browser = web.as_user(buyer.user)
    browser.get("/me/tours/?tz=Asia/Tokyo")
    # when
    remembered = browser.get(f"/me/tours/{booking.pk}/")
    unknown = browser.get("/me/tours/?tz=Mars/Olympus")
    # then
    assert 'id="tour-time">2027-03-01 Mon 15:00–15:30 <span class="muted">(Asia/Tokyo)</span>' in html(
        remembered
    )
    assert unknown.status_code == 400
    assert messages_of(unknown) == ["Unknown time zone; use an IANA name such as Europe/Berlin."]
    assert "2027-03-01 Mon 14:00–14:30" in html(unknown)


def test_a_third_party_gets_404_and_changes_nothing(web, factory, product, buyer, other_buyer, availability):
    booking = book(buyer, factory, product)
    other_factory = makers.FactoryMaker()
    before = state(booking)
    for user in (other_buyer.user, other_factory.owner):
        browser = web.as_user(user)
        assert browser.get(f"/me/tours/{booking.pk}/").status_code == 404
        assert browser.post(f"/me/tours/{booking.pk}/cancel/", {"reason": "x"}).status_code == 404
        assert browser.post(f"/me/tours/{booking.pk}/confirm/").status_code == 404
        assert browser.get("/me/tours/").context["upcoming"] == []
    assert state(booking) == before
