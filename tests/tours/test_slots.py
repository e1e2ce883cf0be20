"""Slots from weekly ranges in Asia/Shanghai (no daylight saving), seen from other zones."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from marketplace.core.errors import ValidationError
from tours.selectors import tour_slots
from tours.services.availability import WindowInput
from tours.services.bookings import tour_book

from .conftest import MONDAY, at, publish

pytestmark = pytest.mark.django_db


def test_weekly_ranges_make_slots_in_shanghai_time(factory, clock):
    # given Monday 14:00-16:00 and 09:00-10:00, 30-minute calls
    availability = publish(
        factory,
        windows=[
            WindowInput(0, time(14), time(16)),
            WindowInput(0, time(9), time(10)),
            WindowInput(2, time(9), time(10)),
        ],
    )
    # when
    slots = tour_slots(availability=availability, first=MONDAY, last=MONDAY + timedelta(days=2))
    # then: 09:00 Monday is within the 3-hour lead of 08:00 and left out
    assert [(s.starts_at, s.ends_at, s.free) for s in slots] == [
        (at(MONDAY, 14), at(MONDAY, 14, 30), 1),
        (at(MONDAY, 14, 30), at(MONDAY, 15), 1),
        (at(MONDAY, 15), at(MONDAY, 15, 30), 1),
        (at(MONDAY, 15, 30), at(MONDAY, 16), 1),
        (at(MONDAY + timedelta(days=2), 9), at(MONDAY + timedelta(days=2), 9, 30), 1),
        (at(MONDAY + timedelta(days=2), 9, 30), at(MONDAY + timedelta(days=2), 10), 1),
    ]


def test_a_viewer_in_another_zone_sees_the_same_instants_across_their_dst_change(factory, clock):
    # given Monday 14:00 Shanghai is 06:00 UTC all year; New York changes to daylight time on 14 March 2027
    availability = publish(factory, windows=[WindowInput(0, time(14), time(14, 30))])
    # when
    slots = tour_slots(
        availability=availability, first=MONDAY + timedelta(days=7), last=MONDAY + timedelta(days=14)
    )
    new_york = ZoneInfo("America/New_York")
    # then
    assert [s.starts_at.astimezone(ZoneInfo("UTC")).strftime("%m-%d %H:%M") for s in slots] == [
        "03-08 06:00",
        "03-15 06:00",
    ]
    assert [s.starts_at.astimezone(new_york).strftime("%m-%d %H:%M %Z") for s in slots] == [
        "03-08 01:00 EST",
        "03-15 02:00 EDT",
    ]


def test_blackout_dates_have_no_slots(factory, clock):
    availability = publish(factory, blackouts=[MONDAY + timedelta(days=1)])
    slots = tour_slots(
        availability=availability, first=MONDAY + timedelta(days=1), last=MONDAY + timedelta(days=2)
    )
    assert {s.starts_at.date() for s in slots} == {MONDAY + timedelta(days=2)}
    assert len(slots) == 4


def test_a_booked_place_shows_fewer_free(factory, product, buyer, other_buyer, clock):
    availability = publish(factory, parallel_calls=2)
    tour_book(actor=buyer.user, factory_id=factory.pk, starts_at=at(MONDAY, 14), product_ids=[])
    tour_book(actor=other_buyer.user, factory_id=factory.pk, starts_at=at(MONDAY, 14), product_ids=[])
    tour_book(actor=buyer.user, factory_id=factory.pk, starts_at=at(MONDAY, 15), product_ids=[])
    slots = tour_slots(availability=availability, first=MONDAY, last=MONDAY)
    assert [s.free for s in slots] == [0, 2, 1, 2]


def test_ranges_are_bounded(factory, clock):
    availability = publish(factory)
    with pytest.raises(ValidationError) as refused:
        tour_slots(availability=availability, first=MONDAY, last=MONDAY + timedelta(days=31))
    assert refused.value.message_dict == {"to": ["Ask for at most 31 days at once."]}
    # and nothing beyond the 60-day horizon is offered
    far = MONDAY + timedelta(days=70)
    assert tour_slots(availability=availability, first=far, last=far + timedelta(days=6)) == []


@pytest.mark.parametrize(
    ("windows", "message"),
    [
        (
            [WindowInput(0, time(9), time(11)), WindowInput(0, time(10), time(12))],
            "Time ranges of one weekday must not overlap.",
        ),
        ([WindowInput(0, time(11), time(9))], "A time range must end after it starts."),
        ([WindowInput(7, time(9), time(11))], "A weekday is 0 (Monday) to 6 (Sunday)."),
        (
            [WindowInput(0, time(h), time(h, 30)) for h in range(24)]
            + [WindowInput(1, time(h), time(h, 30)) for h in range(5)],
            "At most 28 time ranges.",
        ),
    ],
)
def test_bad_weekly_ranges_are_refused(factory, clock, windows, message):
    with pytest.raises(ValidationError) as refused:
        publish(factory, windows=windows)
    assert refused.value.message_dict == {"windows": [message]}
    assert not hasattr(factory, "tour_availability") or factory.tour_availability is None


@pytest.mark.parametrize(
    "url",
    [
        "http://meeting.tencent.com/dm/abc",
        "https://user:secret@zoom.us/j/1",
        "https://",
        "https://zoom.us/j/1\nBcc: x@example.com",
        "javascript:alert(1)",
        "https://zoom.us/" + "a" * 500,
    ],
)
def test_meeting_link_must_be_a_plain_https_address(factory, clock, url):
    from tours.services.availability import tour_availability_save

    with pytest.raises(ValidationError) as refused:
        tour_availability_save(
            actor=factory.owner, meeting_url=url, slot_minutes=30, parallel_calls=1, windows=[], blackouts=[]
        )
    assert list(refused.value.message_dict) == ["meeting_url"]
    from tours.models import TourAvailability

    assert TourAvailability.objects.count() == 0


def test_saving_again_replaces_the_week_and_drops_past_blackouts(factory, clock):
    publish(factory, blackouts=[date(2027, 2, 1), MONDAY + timedelta(days=3)])
    availability = publish(
        factory, windows=[WindowInput(5, time(10), time(11))], blackouts=[date(2027, 2, 1)]
    )
    assert [str(w) for w in availability.windows.all()] == ["Saturday 10:00–11:00"]
    assert list(availability.blackouts.values_list("date", flat=True)) == []
