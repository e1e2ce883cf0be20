"""视频看厂 in the browser (me/tours/…): the list of a streamer's and a factory's calls in the
viewer's zone, a tour's page with the buttons its flow table allows, each button moving the booking
through the same service as the API, refusals (the 2 h cut-off, a bad form) shown in the page with
400 and nothing changed, the rating after the call and the way on to a trial or a custom request."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories.models import Factory
from tests import makers
from tests.frontend.helpers import html, messages_of, verbs
from tests.tours.conftest import MEETING, MONDAY, T0, at, publish
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


def buttons(response) -> list[str]:
    return [b["name"] for b in response.context["buttons"]]


def test_the_factory_confirms_and_both_sides_then_see_the_meeting_link(
    web, factory, product, buyer, availability
):
    booking = book(buyer, factory, product)
    browser = web.as_user(factory.owner)
    before = browser.get(f"/me/tours/{booking.pk}/")
    assert buttons(before) == ["confirm", "propose", "cancel"]
    assert MEETING not in html(before)
    assert 'id="tour-meeting-later"' in html(before)
    # when
    response = browser.post(f"/me/tours/{booking.pk}/confirm/", follow=True)
    # then
    assert response.redirect_chain == [(f"/me/tours/{booking.pk}/", 302)]
    assert messages_of(response) == ["Call confirmed: both of you get the meeting link and a calendar entry."]
    assert TourBooking.objects.get(pk=booking.pk).status == "confirmed"
    assert verbs(booking) == ["tour.requested", "tour.confirmed"]
    assert buttons(response) == ["cancel"]
    streamer_page = html(web.as_user(buyer.user).get(f"/me/tours/{booking.pk}/"))
    for page in (html(response), streamer_page):
        assert f'id="tour-meeting"><a href="{MEETING}" rel="noopener noreferrer" target="_blank">' in page
    assert 'data-verb="tour.confirmed"' in streamer_page and "Call requested" in streamer_page


def test_a_proposed_time_is_chosen_from_the_free_slots_and_the_streamer_accepts_it(
    web, factory, product, buyer, availability
):
    booking = book(buyer, factory, product)
    factory_page = web.as_user(factory.owner).get(f"/me/tours/{booking.pk}/?tz=Asia/Shanghai")
    choices = [
        c for c, _label in factory_page.context["buttons"][1]["form"].fields["starts_at"].widget.choices
    ]
    # the free starts of the next two weeks, not the one asked for (14:00), Shanghai labels
    assert choices[:4] == [
        "",
        "2027-03-01T14:30:00+08:00",
        "2027-03-01T15:00:00+08:00",
        "2027-03-01T15:30:00+08:00",
    ]
    assert '<option value="2027-03-01T15:00:00+08:00">2027-03-01 Mon 15:00</option>' in html(factory_page)
    # when
    proposed = web.post(
        f"/me/tours/{booking.pk}/propose/", {"starts_at": "2027-03-01T15:00:00+08:00"}, follow=True
    )
    # then
    assert messages_of(proposed) == ["Other time proposed: the streamer accepts or declines it."]
    row = TourBooking.objects.get(pk=booking.pk)
    assert (row.status, row.starts_at, row.requested_starts_at) == (
        "proposed",
        at(MONDAY, 15),
        at(MONDAY, 14),
    )
    streamer = web.as_user(buyer.user).get(f"/me/tours/{booking.pk}/")
    assert buttons(streamer) == ["accept_proposal", "decline_proposal", "cancel"]
    assert "The factory proposes 2027-03-01 Mon 15:00 instead of the time you asked for." in html(streamer)
    assert "your turn" in html(web.get("/me/tours/"))
    accepted = web.post(f"/me/tours/{booking.pk}/accept_proposal/", follow=True)
    assert messages_of(accepted) == ["Call confirmed: both of you get the meeting link and a calendar entry."]
    assert TourBooking.objects.get(pk=booking.pk).status == "confirmed"
    assert verbs(booking) == ["tour.requested", "tour.proposed", "tour.proposal_accepted"]


def test_the_streamer_declines_a_proposed_time(web, factory, product, buyer, availability):
    booking = book(buyer, factory, product)
    bookings.tour_propose(booking=booking, actor=factory.owner, starts_at=at(MONDAY, 15))
    # when
    response = web.as_user(buyer.user).post(f"/me/tours/{booking.pk}/decline_proposal/", follow=True)
    # then
    assert messages_of(response) == ["Proposed time declined."]
    assert TourBooking.objects.get(pk=booking.pk).status == "declined"
    assert buttons(response) == []


@pytest.mark.parametrize(
    ("posted", "where", "message"),
    [
        # the form: not a time, or a time without its offset
        ("tomorrow", "form", "Choose one of the free times."),
        ("2027-03-01T15:00:00", "form", "Choose one of the free times."),
        ("", "form", "This field is required."),
        # the service: a time the factory's week does not offer
        (
            "2027-03-01T15:10:00+08:00",
            "message",
            "Propose the start of a call your weekly availability offers (not a blackout date).",
        ),
        ("2027-03-01T14:00:00+08:00", "message", "Propose a time other than the one asked for."),
    ],
)
def test_a_refused_proposal_is_shown_in_the_page_and_changes_nothing(
    web, factory, product, buyer, availability, posted, where, message
):
    booking = book(buyer, factory, product)
    before = state(booking)
    # when
    response = web.as_user(factory.owner).post(f"/me/tours/{booking.pk}/propose/", {"starts_at": posted})
    # then
    assert response.status_code == 400
    form = response.context["buttons"][1]["form"]
    if where == "form":
        assert form.errors == {"starts_at": [message]} and messages_of(response) == []
    else:
        assert messages_of(response) == [message]
    assert message in html(response)
    assert state(booking) == before


def test_the_streamer_cancels_with_a_reason_the_factory_reads(web, factory, product, buyer, availability):
    booking = book(buyer, factory, product)
    bookings.tour_confirm(booking=booking, actor=factory.owner)
    # when
    response = web.as_user(buyer.user).post(
        f"/me/tours/{booking.pk}/cancel/", {"reason": "临时要出差"}, follow=True
    )
    # then
    assert messages_of(response) == ["Call cancelled."]
    row = TourBooking.objects.get(pk=booking.pk)
    assert (row.status, row.cancel_reason, row.cancelled_by) == ("cancelled", "临时要出差", "buyer")
    factory_page = html(web.as_user(factory.owner).get(f"/me/tours/{booking.pk}/"))
    assert 'id="tour-cancel-reason">by the streamer: 临时要出差</td>' in factory_page
    assert MEETING not in factory_page


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 501, "Ensure this value has at most 500 characters (it has 501)."),
        ("不来了\x07", "Remove the invisible control characters from this text."),
        (
            "不来了\x00",
            "Null characters are not allowed.\nRemove the invisible control characters from this text.",
        ),
    ],
)
def test_a_cancellation_without_a_good_reason_is_refused_in_the_page(
    web, factory, product, buyer, availability, reason, error
):
    booking = book(buyer, factory, product)
    before = state(booking)
    # when
    response = web.as_user(factory.owner).post(f"/me/tours/{booking.pk}/cancel/", {"reason": reason})
    # then
    assert response.status_code == 400
    cancel = next(b for b in response.context["buttons"] if b["name"] == "cancel")
    assert cancel["form"].errors == {"reason": error.split("\n")}
    assert state(booking) == before


def test_within_two_hours_the_page_offers_no_cancel_and_a_stale_form_gets_the_services_words(
    web, factory, product, buyer, availability, clock
):
    booking = book(buyer, factory, product)
    bookings.tour_confirm(booking=booking, actor=factory.owner)
    before = state(booking)
    # when: 12:30 Shanghai, the call is at 14:00
    clock.move_to(at(MONDAY, 12, 30))
    page = web.as_user(buyer.user).get(f"/me/tours/{booking.pk}/")
    response = web.post(f"/me/tours/{booking.pk}/cancel/", {"reason": "堵车"})
    # then
    assert buttons(page) == []
    assert "Less than 2 hours before the call: it can no longer be cancelled." in html(page)
    assert response.status_code == 400
    assert messages_of(response) == ["A tour can be cancelled until 2 hours before it starts."]
    assert state(booking) == before


def test_an_unknown_action_is_404(web, factory, product, buyer, availability):
    booking = book(buyer, factory, product)
    before = state(booking)
    assert web.as_user(factory.owner).post(f"/me/tours/{booking.pk}/explode/").status_code == 404
    # a streamer's button pressed by the factory: the table refuses it, in the page
    response = web.post(f"/me/tours/{booking.pk}/accept_proposal/")
    assert response.status_code == 400
    assert state(booking) == before
    assert web.get(f"/me/tours/{booking.pk}/confirm/").status_code == 405


def confirmed_call_over(buyer, factory, product, clock):
    booking = book(buyer, factory, product)
    bookings.tour_confirm(booking=booking, actor=factory.owner)
    clock.move_to(at(MONDAY, 14, 31))
    return booking


def test_after_the_call_the_streamer_rates_it_and_the_rating_enters_the_factorys_record(
    web, factory, product, buyer, availability, clock
):
    booking = confirmed_call_over(buyer, factory, product, clock)
    page = web.as_user(buyer.user).get(f"/me/tours/{booking.pk}/")
    assert buttons(page) == ["rate"]
    assert buttons(web.as_user(factory.owner).get(f"/me/tours/{booking.pk}/")) == []
    # when
    response = web.as_user(buyer.user).post(
        f"/me/tours/{booking.pk}/rate/", {"rating": "4", "comment": "车间很干净"}, follow=True
    )
    # then
    assert messages_of(response) == ["Thank you: your rating is in the factory's record."]
    row = TourBooking.objects.get(pk=booking.pk)
    assert (row.rating, row.rating_comment) == (4, "车间很干净")
    assert buttons(response) == []
    assert 'id="tour-rating">4 / 5<br>车间很干净</td>' in html(response)
    factory_page = html(web.get(f"/factories/{factory.pk}/"))
    assert '4.00 / 5 <span class="muted">(1 tour rated)</span>' in factory_page


@pytest.mark.parametrize(
    ("posted", "errors"),
    [
        ({"rating": "6"}, {"rating": ["Select a valid choice. 6 is not one of the available choices."]}),
        ({}, {"rating": ["This field is required."]}),
        (
            {"rating": "5", "comment": "好" * 1001},
            {"comment": ["Ensure this value has at most 1000 characters (it has 1001)."]},
        ),
        (
            {"rating": "5", "comment": "好\x1b[31m"},
            {"comment": ["Remove the invisible control characters from this text."]},
        ),
    ],
)
def test_a_bad_rating_is_refused_in_the_page_and_the_record_is_unchanged(
    web, factory, product, buyer, availability, clock, posted, errors
):
    booking = confirmed_call_over(buyer, factory, product, clock)
    before = state(booking)
    # when
    response = web.as_user(buyer.user).post(f"/me/tours/{booking.pk}/rate/", posted)
    # then
    assert response.status_code == 400
    assert response.context["buttons"][0]["form"].errors == errors
    assert state(booking) == before
    assert Factory.objects.values_list("tour_rating", "tours_rated").get(pk=factory.pk) == (None, 0)


def test_a_second_rating_gets_the_services_words(web, factory, product, buyer, availability, clock):
    booking = confirmed_call_over(buyer, factory, product, clock)
    web.as_user(buyer.user).post(f"/me/tours/{booking.pk}/rate/", {"rating": "5"}, follow=True)
    before = state(booking)
    response = web.post(f"/me/tours/{booking.pk}/rate/", {"rating": "1"})
    assert response.status_code == 400
    assert messages_of(response) == ["You have already rated this tour."]
    assert state(booking) == before


def test_after_the_call_the_streamer_goes_on_to_a_trial_or_a_custom_request_with_the_products(
    web, factory, product, buyer, availability, clock
):
    booking = confirmed_call_over(buyer, factory, product, clock)
    # when
    page = html(web.as_user(buyer.user).get(f"/me/tours/{booking.pk}/"))
    # then
    trial_link = f"/products/{product.pk}/trial/?quantity=1"
    assert f'<a class="button" href="{trial_link}">Start a 50%-off trial</a> {product.title}' in page
    assert f'href="/me/custom/new/?tour={booking.pk}">Ask for a custom product</a>' in page
    confirm = web.get(trial_link)
    assert confirm.status_code == 200
    assert (confirm.context["product"].pk, confirm.context["quantity"]) == (product.pk, 1)
    custom = web.get(f"/me/custom/new/?tour={booking.pk}")
    assert custom.context["form"].initial["requirements"] == f"- {product.title}\n看注塑车间"
    # the factory's page of the same call has no such links
    assert 'id="tour-follow-up"' not in html(web.as_user(factory.owner).get(f"/me/tours/{booking.pk}/"))


def test_the_nav_counts_what_waits_for_the_viewer_in_the_bells_query(
    web, factory, product, buyer, availability
):
    book(buyer, factory, product)
    web.as_user(factory.owner).get("/me/")  # a request first: it empties the query log
    # when
    with CaptureQueriesContext(connection) as queries:
        factory_page = html(web.get("/me/"))
    # read before the next request empties the log
    counted = [q["sql"] for q in queries.captured_queries if "tours_tourbooking" in q["sql"]]
    bell = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    streamer_page = html(web.as_user(buyer.user).get("/me/"))
    # then: the request waits for the factory; the streamer has nothing to answer
    assert 'id="nav-tours">Video tours <span class="nav-count">1</span>' in factory_page
    assert 'id="nav-tours">Video tours</a>' in streamer_page
    # no query of its own: a subquery of the one that counts the bell and the unread messages
    assert len(counted) == 1 and counted == bell


def test_the_list_asks_the_same_number_of_queries_for_one_tour_or_many(
    web, factory, product, buyer, availability
):
    book(buyer, factory, product)
    web.as_user(factory.owner).get("/me/tours/")  # a request first: it empties the query log
    with CaptureQueriesContext(connection) as one:
        web.get("/me/tours/")
    asked_once = len(one.captured_queries)  # read before the next request empties the log
    for hour, minute in ((14, 30), (15, 0), (15, 30)):
        book(makers.BuyerMaker(), factory, product, hour, minute)
    with CaptureQueriesContext(connection) as four:
        response = web.get("/me/tours/")
    assert len(response.context["upcoming"]) == 4
    assert asked_once > 0
    assert len(four.captured_queries) == asked_once


def test_the_pages_speak_chinese(web_zh, factory, product, buyer, availability):
    booking = book(buyer, factory, product)
    listing = html(web_zh.as_user(factory.owner).get("/me/tours/"))
    detail = html(web_zh.get(f"/me/tours/{booking.pk}/"))
    assert "工厂的视频看厂预约" in listing and "待你处理" in listing and ">视频看厂" in listing
    assert "确认通话" in detail and "提议这个时间" in detail and "取消原因" in detail


def test_no_trial_link_for_a_discussed_product_that_no_longer_offers_one(
    web, factory, product, buyer, availability, clock
):
    # given: two products discussed; one of them is taken out of trials after the call
    closed = makers.ProductMaker(factory=factory, title="折叠脏衣篮")
    booking = bookings.tour_book(
        actor=buyer.user,
        factory_id=factory.pk,
        starts_at=at(MONDAY, 14),
        product_ids=[product.pk, closed.pk],
    )
    bookings.tour_confirm(booking=booking, actor=factory.owner)
    clock.move_to(at(MONDAY, 14, 31))
    type(closed).objects.filter(pk=closed.pk).update(trial_eligible=False)
    # when
    response = web.as_user(buyer.user).get(f"/me/tours/{booking.pk}/")
    # then
    assert [p.pk for p in response.context["trial_products"]] == [product.pk]
    assert f"/products/{closed.pk}/trial/" not in html(response)
    assert f'href="/products/{closed.pk}/">折叠脏衣篮</a>' in html(response)
