"""Booking rules, the factory's answer, cancellation until 2 h before, rating after the call."""

from datetime import timedelta

import pytest
from django.core import mail

from factories.models import ProductStatus
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers
from tours.models import TourBooking
from tours.services import bookings, ratings

from .conftest import MONDAY, at, publish

pytestmark = pytest.mark.django_db


def _book(buyer, factory, hh=14, mm=0, products=(), agenda="看注塑车间"):
    return bookings.tour_book(
        actor=buyer.user,
        factory_id=factory.pk,
        starts_at=at(MONDAY, hh, mm),
        product_ids=[p.pk for p in products],
        agenda=agenda,
    )


def test_a_streamer_books_a_free_slot(
    factory, product, buyer, availability, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(buyer, factory, products=[product])
    # then
    assert (booking.status, booking.place, booking.starts_at, booking.ends_at) == (
        "requested",
        1,
        at(MONDAY, 14),
        at(MONDAY, 14, 30),
    )
    assert list(booking.products.all()) == [product]
    assert booking.meeting_url == availability.meeting_url
    event = Event.objects.get(verb="tour.requested")
    assert event.data["products"] == [product.pk]
    (note,) = Notification.objects.filter(kind="tour.requested")
    assert note.recipient == factory.owner
    assert [m.to for m in mail.outbox] == [[factory.owner.email]]


@pytest.mark.parametrize(
    ("hh", "mm", "field", "message"),
    [
        (14, 10, "starts_at", "The factory offers no call at this time."),
        (17, 0, "starts_at", "The factory offers no call at this time."),
        (10, 0, "starts_at", "Book at least 3 hours ahead."),
    ],
)
def test_only_offered_slot_times_can_be_booked(factory, buyer, availability, hh, mm, field, message):
    with pytest.raises(ValidationError) as refused:
        _book(buyer, factory, hh, mm)
    assert refused.value.message_dict == {field: [message]}
    assert TourBooking.objects.count() == 0


def test_products_must_be_the_factorys_public_products(factory, product, buyer, availability):
    hidden = makers.ProductMaker(factory=factory, status=ProductStatus.DRAFT)
    elsewhere = makers.ProductMaker()
    for products in ([hidden], [elsewhere], [product, elsewhere]):
        with pytest.raises(ValidationError) as refused:
            _book(buyer, factory, products=products)
        assert refused.value.message_dict == {"products": ["Choose products this factory has on sale."]}
    assert TourBooking.objects.count() == 0 and Event.objects.filter(verb="tour.requested").count() == 0


def test_agenda_is_bounded(factory, buyer, availability):
    with pytest.raises(ValidationError) as refused:
        _book(buyer, factory, agenda="看" * 1001)
    assert refused.value.message_dict == {"agenda": ["At most 1000 characters."]}
    assert TourBooking.objects.count() == 0


def test_a_full_slot_and_a_streamer_in_two_calls_are_refused(factory, buyer, other_buyer, availability):
    _book(buyer, factory)
    with pytest.raises(ValidationError) as full:
        _book(other_buyer, factory)
    assert full.value.message_dict == {"detail": ["This time is fully booked; choose another slot."]}
    other = makers.FactoryMaker()
    from .conftest import publish

    publish(other)
    with pytest.raises(ValidationError) as busy:
        _book(buyer, other)
    assert busy.value.message_dict == {"starts_at": ["You already have a call at this time."]}
    assert TourBooking.objects.count() == 1


def test_an_unverified_or_unpublished_factory_takes_no_bookings(buyer, clock):
    factory = makers.FactoryMaker()  # no availability
    with pytest.raises(ValidationError) as refused:
        _book(buyer, factory)
    assert refused.value.message_dict == {"factory": ["This factory takes no tour bookings."]}


def test_confirm_tells_both_sides(factory, buyer, availability, django_capture_on_commit_callbacks):
    booking = _book(buyer, factory)
    with django_capture_on_commit_callbacks(execute=True):
        booking = bookings.tour_confirm(booking=booking, actor=factory.owner)
    assert booking.status == "confirmed" and booking.confirmed_at is not None
    assert sorted(
        Notification.objects.filter(kind="tour.confirmed").values_list("recipient_id", flat=True)
    ) == sorted([buyer.user_id, factory.owner_id])
    assert Event.objects.get(verb="tour.confirmed").data == {"from": "requested", "to": "confirmed"}


def test_the_streamer_cannot_confirm_and_a_stranger_cannot_touch(factory, buyer, other_buyer, availability):
    booking = _book(buyer, factory)
    with pytest.raises(NotAllowed):
        bookings.tour_confirm(booking=booking, actor=buyer.user)
    with pytest.raises(NotAllowed):
        bookings.tour_cancel(booking=booking, actor=other_buyer.user, reason="x")
    booking.refresh_from_db()
    assert booking.status == "requested"
    assert Event.objects.filter(verb__in=["tour.confirmed", "tour.cancelled"]).count() == 0


def test_propose_moves_the_place_and_the_streamer_accepts(factory, buyer, other_buyer, availability):
    booking = _book(buyer, factory)
    # when the factory proposes 15:00
    booking = bookings.tour_propose(booking=booking, actor=factory.owner, starts_at=at(MONDAY, 15))
    # then the 14:00 place is free again and 15:00 is held
    assert (booking.status, booking.starts_at, booking.ends_at) == (
        "proposed",
        at(MONDAY, 15),
        at(MONDAY, 15, 30),
    )
    assert booking.requested_starts_at == at(MONDAY, 14)
    _book(other_buyer, factory, 14)
    with pytest.raises(ValidationError):
        _book(other_buyer, factory, 15, 0)
    booking = bookings.tour_accept_proposal(booking=booking, actor=buyer.user)
    assert booking.status == "confirmed"
    verbs = list(Event.objects.filter(target_id=booking.pk).order_by("id").values_list("verb", flat=True))
    assert verbs == ["tour.requested", "tour.proposed", "tour.proposal_accepted"]


@pytest.mark.parametrize(
    "proposed",
    [
        pytest.param(at(MONDAY, 15, 10), id="not-a-slot-start"),
        pytest.param(at(MONDAY, 16), id="after-the-weekly-range"),
        pytest.param(at(MONDAY + timedelta(days=5), 14), id="saturday-no-range"),
        pytest.param(at(MONDAY + timedelta(days=1), 14), id="blackout-date"),
    ],
)
def test_a_proposal_must_be_a_call_the_factorys_week_offers(factory, buyer, clock, proposed):
    # given: weekdays 14:00–16:00 in 30-minute calls, Tuesday a blackout date
    publish(factory, blackouts=[MONDAY + timedelta(days=1)])
    booking = _book(buyer, factory)
    # when
    with pytest.raises(ValidationError) as refused:
        bookings.tour_propose(booking=booking, actor=factory.owner, starts_at=proposed)
    # then: refused in the field's words; the booking keeps its time and nothing is recorded
    assert refused.value.message_dict == {
        "starts_at": ["Propose the start of a call your weekly availability offers (not a blackout date)."]
    }
    booking.refresh_from_db()
    assert (booking.status, booking.starts_at, booking.place) == ("requested", at(MONDAY, 14), 1)
    assert not Event.objects.filter(verb="tour.proposed").exists()


def test_declining_a_proposal_frees_the_place(factory, buyer, other_buyer, availability):
    booking = bookings.tour_propose(
        booking=_book(buyer, factory), actor=factory.owner, starts_at=at(MONDAY, 15)
    )
    booking = bookings.tour_decline_proposal(booking=booking, actor=buyer.user)
    assert booking.status == "declined"
    assert _book(other_buyer, factory, 15).place == 1


def test_cancel_until_two_hours_before_with_a_frozen_clock(factory, buyer, availability, clock):
    first = _book(buyer, factory, 14)
    second = _book(buyer, factory, 15)
    # at 12:00:00 exactly, 2 h before 14:00: still allowed
    clock.move_to(at(MONDAY, 12))
    with pytest.raises(ValidationError) as no_reason:
        bookings.tour_cancel(booking=first, actor=buyer.user, reason="  ")
    assert no_reason.value.message_dict == {"reason": ["Say why you cancel."]}
    first = bookings.tour_cancel(booking=first, actor=buyer.user, reason="直播时间改了")
    assert (first.status, first.cancel_reason, first.cancelled_by) == ("cancelled", "直播时间改了", "buyer")
    # one second after 13:00, the cut-off of the 15:00 call
    clock.move_to(at(MONDAY, 13) + timedelta(seconds=1))
    with pytest.raises(ValidationError) as late:
        bookings.tour_cancel(booking=second, actor=factory.owner, reason="停电")
    assert late.value.message_dict == {"detail": ["A tour can be cancelled until 2 hours before it starts."]}
    second.refresh_from_db()
    assert second.status == "requested"
    assert Event.objects.filter(verb="tour.cancelled").count() == 1
    assert Event.objects.get(verb="tour.cancelled").data["reason"] == "直播时间改了"


def test_rating_once_after_a_confirmed_call(factory, buyer, availability, clock):
    booking = bookings.tour_confirm(booking=_book(buyer, factory), actor=factory.owner)
    with pytest.raises(TransitionNotAllowed):
        ratings.tour_rate(booking=booking, actor=buyer.user, rating=5)  # not over yet
    clock.move_to(at(MONDAY, 14, 30))
    with pytest.raises(NotAllowed):
        ratings.tour_rate(booking=booking, actor=factory.owner, rating=5)
    with pytest.raises(ValidationError) as bad:
        ratings.tour_rate(booking=booking, actor=buyer.user, rating=6)
    assert bad.value.message_dict == {"rating": ["Rate from 1 to 5."]}
    booking = ratings.tour_rate(booking=booking, actor=buyer.user, rating=4, comment="车间很干净")
    assert (booking.rating, booking.rating_comment) == (4, "车间很干净")
    with pytest.raises(TransitionNotAllowed):
        ratings.tour_rate(booking=booking, actor=buyer.user, rating=1)
    factory.refresh_from_db()
    assert (factory.tour_rating, factory.tours_rated) == (4, 1)
    assert factory.metrics["tours_rated"] == 1
    assert Event.objects.filter(verb="tour.rated").count() == 1


def test_an_unconfirmed_call_cannot_be_rated(factory, buyer, availability, clock):
    booking = _book(buyer, factory)
    clock.move_to(at(MONDAY, 15))
    with pytest.raises(TransitionNotAllowed):
        ratings.tour_rate(booking=booking, actor=buyer.user, rating=5)
    assert TourBooking.objects.get().rated_at is None


def test_unanswered_requests_expire_at_their_start(factory, buyer, availability, clock):
    from tours.tasks import tours_timed_transitions

    booking = _book(buyer, factory)
    assert tours_timed_transitions() == 0
    clock.move_to(at(MONDAY, 14))
    assert tours_timed_transitions() == 1
    assert tours_timed_transitions() == 0
    booking.refresh_from_db()
    assert booking.status == "expired"


def test_without_tour_settings_confirm_and_propose_are_refused_not_500(factory, buyer, availability, api):
    booking = _book(buyer, factory)
    availability.delete()  # (no page deletes them; a script or the shell could)
    api.as_user(factory.owner)
    for action, body in (("confirm", {}), ("propose", {"starts_at": at(MONDAY, 15).isoformat()})):
        response = api.post(f"/api/v1/tours/bookings/{booking.pk}/{action}/", body, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["detail"] == "This factory no longer publishes tour times."
    booking.refresh_from_db()
    assert (booking.status, booking.starts_at, booking.confirmed_at) == ("requested", at(MONDAY, 14), None)
    assert not Notification.objects.filter(kind__in=["tour.confirmed", "tour.proposed"]).exists()
