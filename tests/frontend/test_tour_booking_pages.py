"""Video tour pages before the call: the factory's weekly times (me/factory/tours/) and a streamer's
booking page (factories/<id>/tour/), through tours.services like /api/v1/tours/."""

import threading
import time as clock_time
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from frontend.views import tours_booking
from marketplace.core.models import Event
from tests import makers
from tours.models import TourAvailability, TourBlackout, TourBooking, TourWindow
from tours.services import bookings
from tours.services.availability import WindowInput, tour_availability_save

from .conftest import Browser
from .helpers import html

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2027, 3, 1)  # the clock: Monday 1 March 2027, 08:00 in Shanghai
T0 = datetime(2027, 3, 1, 8, 0, tzinfo=SHANGHAI)
MEETING = "https://meeting.tencent.com/dm/abc123"
SETTINGS_URL = "/me/factory/tours/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI)


def publish(factory, *, parallel_calls=1, blackouts=(), active=True):
    """Weekdays 14:00–16:00 Shanghai, 30-minute calls."""
    return tour_availability_save(
        actor=factory.owner,
        meeting_url=MEETING,
        slot_minutes=30,
        parallel_calls=parallel_calls,
        active=active,
        windows=[WindowInput(d, time(14), time(16)) for d in range(5)],
        blackouts=list(blackouts),
    )


def settings_post(**overrides) -> dict:
    """The settings form as a browser posts it: two ranges and one empty row."""
    data = {
        "action": "save",
        "active": "on",
        "meeting_url": MEETING,
        "slot_minutes": "30",
        "parallel_calls": "2",
        "windows-TOTAL_FORMS": "3",
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "28",
        "windows-0-weekday": "0",
        "windows-0-starts": "14:00",
        "windows-0-ends": "16:00",
        "windows-1-weekday": "2",
        "windows-1-starts": "09:00",
        "windows-1-ends": "11:00",
        "windows-2-weekday": "",
        "windows-2-starts": "",
        "windows-2-ends": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def week(availability) -> list[tuple]:
    return list(availability.windows.values_list("weekday", "starts", "ends"))


# ---- the factory's settings -----------------------------------------------------------------


def test_factory_saves_its_weekly_times_through_the_service(web, factory):
    # given a factory without published times
    web.as_user(factory.owner)
    # when it saves the form
    response = web.post(SETTINGS_URL, settings_post())
    # then
    assert response.status_code == 302 and response["Location"] == SETTINGS_URL
    availability = TourAvailability.objects.get(factory=factory)
    assert (availability.meeting_url, availability.slot_minutes, availability.parallel_calls) == (
        MEETING,
        30,
        2,
    )
    assert availability.active is True
    assert week(availability) == [(0, time(14), time(16)), (2, time(9), time(11))]
    assert list(
        Event.objects.filter(verb="tour.availability_saved").values_list("data__windows", flat=True)
    ) == [2]
    page = web.get(SETTINGS_URL)
    assert "Your video tour times are saved." in html(page)
    # the preview: Monday's first call from 14:00 China time, two places each
    assert [(s["day"], s["time"], s["free"]) for s in page.context["preview"][:2]] == [
        (MONDAY, "14:00–14:30", 2),
        (MONDAY, "14:30–15:00", 2),
    ]
    assert page.context["windows"].forms[0].initial == {"weekday": 0, "starts": time(14), "ends": time(16)}


def test_an_http_meeting_link_is_refused_and_nothing_is_saved(web, factory):
    web.as_user(factory.owner)
    response = web.post(SETTINGS_URL, settings_post(meeting_url="http://meeting.tencent.com/dm/abc123"))
    assert response.status_code == 400
    assert response.context["form"].errors["meeting_url"] == [
        "Give an https:// meeting link (Tencent Meeting, DingTalk, Zoom …)."
    ]
    assert TourAvailability.objects.count() == 0 and TourWindow.objects.count() == 0
    assert Event.objects.filter(verb="tour.availability_saved").count() == 0


def test_a_meeting_link_with_a_control_character_is_refused(web, factory):
    web.as_user(factory.owner)
    response = web.post(SETTINGS_URL, settings_post(meeting_url=MEETING + "\x07"))
    assert response.status_code == 400
    assert (
        "Remove the invisible control characters from this text."
        in response.context["form"].errors["meeting_url"]
    )
    assert TourAvailability.objects.count() == 0


def test_overlapping_ranges_show_the_services_refusal_and_keep_the_stored_week(web, factory):
    # given published weekday afternoons
    availability = publish(factory)
    before = week(availability)
    events = Event.objects.count()
    web.as_user(factory.owner)
    # when Monday gets 14:00–16:00 and 15:00–17:00
    response = web.post(
        SETTINGS_URL,
        settings_post(**{"windows-1-weekday": "0", "windows-1-starts": "15:00", "windows-1-ends": "17:00"}),
    )
    # then the page says why, above the ranges, and nothing changed
    assert response.status_code == 400
    assert response.context["window_errors"] == ["Time ranges of one weekday must not overlap."]
    assert "Time ranges of one weekday must not overlap." in html(response)
    availability.refresh_from_db()
    assert week(availability) == before and availability.parallel_calls == 1
    assert Event.objects.count() == events


def test_a_range_that_ends_before_it_starts_is_refused(web, factory):
    web.as_user(factory.owner)
    response = web.post(
        SETTINGS_URL, settings_post(**{"windows-1-starts": "11:00", "windows-1-ends": "09:00"})
    )
    assert response.status_code == 400
    assert response.context["window_errors"] == ["A time range must end after it starts."]
    assert TourAvailability.objects.count() == 0


def test_blackout_dates_are_added_and_removed_and_leave_the_week_alone(web, factory):
    # given published weekday afternoons
    availability = publish(factory)
    web.as_user(factory.owner)
    # when Monday is blacked out
    response = web.post(SETTINGS_URL, {"action": "blackout-add", "date": "2027-03-01"})
    # then it is stored, the week is unchanged, and the preview starts on Tuesday
    assert response.status_code == 302
    assert list(TourBlackout.objects.values_list("date", flat=True)) == [MONDAY]
    assert week(availability) == [(d, time(14), time(16)) for d in range(5)]
    page = web.get(SETTINGS_URL)
    assert page.context["blackouts"] == [MONDAY]
    assert page.context["preview"][0]["day"] == date(2027, 3, 2)
    # a past date is refused, nothing written
    past = web.post(SETTINGS_URL, {"action": "blackout-add", "date": "2027-02-28"})
    assert past.status_code == 400
    assert past.context["blackout_form"].errors["date"] == ["Choose today or a later date."]
    assert list(TourBlackout.objects.values_list("date", flat=True)) == [MONDAY]
    # when it is removed again
    removed = web.post(SETTINGS_URL, {"action": "blackout-remove", "date": "2027-03-01"})
    assert removed.status_code == 302
    assert TourBlackout.objects.count() == 0
    assert week(availability) == [(d, time(14), time(16)) for d in range(5)]


@pytest.mark.django_db(transaction=True)
def test_two_tabs_adding_a_date_at_once_keep_both_dates(monkeypatch):
    """Each blackout button sends the stored settings back with one date more: the second tab
    must read them after the first one's save, not before (it waits for the row's lock)."""
    # given published times, and a first save that takes a second
    factory = makers.FactoryMaker()
    publish(factory)
    first_saving = threading.Event()
    sent: list[list[date]] = []
    save = tours_booking._save

    def slow_first(actor, wanted):
        sent.append(wanted.blackouts)
        if len(sent) == 1:
            first_saving.set()
            clock_time.sleep(1.0)  # the second tab's request arrives meanwhile
        save(actor, wanted)

    monkeypatch.setattr(tours_booking, "_save", slow_first)
    codes: dict[str, int] = {}

    def add(day: str, after_first: bool) -> None:
        try:
            if after_first:
                first_saving.wait(10)
            browser = Browser().as_user(factory.owner)
            codes[day] = browser.post(SETTINGS_URL, {"action": "blackout-add", "date": day}).status_code
        finally:
            connections.close_all()

    # when two tabs add a date each, the second while the first is saving
    tabs = [
        threading.Thread(target=add, args=("2027-03-03", False)),
        threading.Thread(target=add, args=("2027-03-04", True)),
    ]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join(30)
    # then both dates are kept: the second tab sent the first one's date along
    assert codes == {"2027-03-03": 302, "2027-03-04": 302}
    assert sent == [[date(2027, 3, 3)], [date(2027, 3, 3), date(2027, 3, 4)]]
    assert list(TourBlackout.objects.order_by("date").values_list("date", flat=True)) == [
        date(2027, 3, 3),
        date(2027, 3, 4),
    ]


def test_a_blackout_date_needs_published_times_first(web, factory):
    web.as_user(factory.owner)
    response = web.post(SETTINGS_URL, {"action": "blackout-add", "date": "2027-03-05"})
    assert response.status_code == 400
    assert response.context["blackout_form"].non_field_errors() == ["Save your video tour times first."]
    assert TourAvailability.objects.count() == 0 and TourBlackout.objects.count() == 0


def test_switching_tours_off_hides_the_link_and_closes_the_booking_page(web, factory, buyer):
    # given published times
    publish(factory)
    web.as_user(factory.owner)
    # when the factory switches tours off (the box unticked) and keeps its week
    response = web.post(SETTINGS_URL, settings_post(active=None))
    assert response.status_code == 302
    assert TourAvailability.objects.get(factory=factory).active is False
    assert "You take no video tours now" in html(web.get(SETTINGS_URL))
    # then a streamer sees no link and the booking page is not found
    web.as_user(buyer.user)
    assert 'id="tour-book-link"' not in html(web.get(f"/factories/{factory.pk}/"))
    assert web.get(f"/factories/{factory.pk}/tour/").status_code == 404


def test_an_unverified_factory_is_told_streamers_do_not_see_its_times(web, factory, buyer):
    publish(factory)
    factory.verification_status = "pending"
    factory.save(update_fields=["verification_status"])
    page = html(web.as_user(factory.owner).get(SETTINGS_URL))
    assert "Streamers see your video tour times once staff have verified your factory." in page
    assert web.as_user(buyer.user).get(f"/factories/{factory.pk}/tour/").status_code == 404


def test_only_a_factory_opens_the_settings(web, buyer):
    assert web.get(SETTINGS_URL).status_code == 302  # anonymous: to sign-in
    assert web.as_user(buyer.user).get(SETTINGS_URL).status_code == 403


def test_the_dashboard_links_the_settings(web, factory):
    assert f'href="{SETTINGS_URL}"' in html(web.as_user(factory.owner).get("/me/"))


# ---- a streamer books -----------------------------------------------------------------------


def test_a_streamer_sees_the_link_on_the_factory_and_product_pages(web, factory, product, buyer):
    publish(factory)
    web.as_user(buyer.user)
    factory_page = html(web.get(f"/factories/{factory.pk}/"))
    assert f'href="/factories/{factory.pk}/tour/"' in factory_page and "Book a video tour" in factory_page
    assert f'href="/factories/{factory.pk}/tour/?product={product.pk}"' in html(
        web.get(f"/products/{product.pk}/")
    )


def test_no_link_for_a_factory_without_times_and_its_booking_page_is_not_found(web, factory, product, buyer):
    web.as_user(buyer.user)
    assert 'id="tour-book-link"' not in html(web.get(f"/factories/{factory.pk}/"))
    assert 'id="tour-book-link"' not in html(web.get(f"/products/{product.pk}/"))
    assert web.get(f"/factories/{factory.pk}/tour/").status_code == 404


def test_no_link_for_a_factory_owner_or_an_anonymous_visitor(web, factory, other_factory):
    publish(factory)
    assert 'id="tour-book-link"' not in html(web.get(f"/factories/{factory.pk}/"))
    web.as_user(other_factory.owner)
    assert 'id="tour-book-link"' not in html(web.get(f"/factories/{factory.pk}/"))


def test_only_a_streamer_opens_the_booking_page(web, factory, other_factory):
    publish(factory)
    url = f"/factories/{factory.pk}/tour/"
    assert web.get(url)["Location"].startswith("/sign-in/")
    assert web.as_user(other_factory.owner).get(url).status_code == 403
    assert web.post(url, {"slot": at(MONDAY, 14).isoformat()}).status_code == 403
    assert TourBooking.objects.count() == 0


def test_slots_are_grouped_by_day_in_the_viewers_zone_with_the_factorys_time(web, factory, buyer):
    # given weekday afternoons in Shanghai; Los Angeles is 16 hours behind in March (PST)
    publish(factory)
    web.as_user(buyer.user)
    # when the streamer looks from Los Angeles
    page = web.get(f"/factories/{factory.pk}/tour/?tz=America/Los_Angeles")
    # then Monday 14:00 in Shanghai is Sunday 22:00 there, with China's time beside it
    assert page.status_code == 200
    first = page.context["days"][0]
    assert first["day"] == date(2027, 2, 28)
    assert [(s["time"], s["factory_time"], s["factory_day"]) for s in first["slots"][:2]] == [
        ("22:00–22:30", "14:00", MONDAY),
        ("22:30–23:00", "14:30", MONDAY),
    ]
    assert first["slots"][0]["value"] == "2027-03-01T14:00:00+08:00"
    body = html(page)
    assert "Times are shown in America/Los_Angeles" in body and "China Mon 14:00" in body
    # 14 days from Monday 1 March: ten weekdays, four calls each
    assert sum(len(d["slots"]) for d in page.context["days"]) == 40
    # and the zone is remembered for the next visit
    assert web.get(f"/factories/{factory.pk}/tour/").context["zone"] == "America/Los_Angeles"


def test_slots_in_berlin_stay_on_the_same_day(web, factory, buyer):
    publish(factory)
    page = web.as_user(buyer.user).get(f"/factories/{factory.pk}/tour/?tz=Europe/Berlin")
    first = page.context["days"][0]
    assert first["day"] == MONDAY
    assert first["slots"][0]["time"] == "07:00–07:30"  # 14:00 in Shanghai, UTC+1 in Berlin in March


def test_an_unknown_zone_is_said_and_china_time_shown(web, factory, buyer):
    publish(factory)
    page = web.as_user(buyer.user).get(f"/factories/{factory.pk}/tour/?tz=Mars/Olympus")
    assert page.status_code == 200
    assert page.context["zone_error"] == "Unknown time zone; use an IANA name such as Europe/Berlin."
    assert page.context["days"][0]["slots"][0]["time"] == "14:00–14:30"


def test_another_factorys_product_is_not_preselected(web, factory, other_factory, buyer):
    publish(factory)
    foreign = makers.ProductMaker(factory=other_factory)
    page = web.as_user(buyer.user).get(f"/factories/{factory.pk}/tour/?product={foreign.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial == {}
    assert foreign.pk not in {v for v, _label in page.context["form"].fields["products"].choices}


def test_a_streamer_books_a_slot_and_lands_on_the_booking(web, factory, product, buyer):
    # given
    publish(factory)
    other = makers.ProductMaker(factory=factory)
    web.as_user(buyer.user)
    page = web.get(f"/factories/{factory.pk}/tour/?product={product.pk}")
    assert page.context["form"].initial == {"products": [product.pk]}
    assert {v for v, _label in page.context["form"].fields["products"].choices} == {product.pk, other.pk}
    # when
    response = web.post(
        f"/factories/{factory.pk}/tour/",
        {
            "slot": "2027-03-02T15:00:00+08:00",
            "products": [str(product.pk)],
            "agenda": "看包装线",
            "tz": "Europe/Berlin",
        },
    )
    # then
    booking = TourBooking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/me/tours/{booking.pk}/"
    assert (booking.buyer, booking.factory, booking.starts_at, booking.ends_at) == (
        buyer,
        factory,
        at(date(2027, 3, 2), 15),
        at(date(2027, 3, 2), 15, 30),
    )
    assert (booking.status, booking.agenda, booking.place) == ("requested", "看包装线", 1)
    assert list(booking.products.values_list("pk", flat=True)) == [product.pk]


def test_the_last_place_taken_meanwhile_rerenders_with_the_services_message(web, factory, buyer, other_buyer):
    # given one call at a time, and another streamer takes Monday 14:00 first
    publish(factory, parallel_calls=1)
    bookings.tour_book(
        actor=other_buyer.user, factory_id=factory.pk, starts_at=at(MONDAY, 14), product_ids=[]
    )
    web.as_user(buyer.user)
    # when our streamer sends the same time from a page loaded before
    response = web.post(
        f"/factories/{factory.pk}/tour/", {"slot": "2027-03-01T14:00:00+08:00", "agenda": "看车间"}
    )
    # then the form is back with the service's words, and no booking is ours
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["This time is fully booked; choose another slot."]
    assert "This time is fully booked; choose another slot." in html(response)
    assert response.context["form"]["agenda"].value() == "看车间"
    assert list(TourBooking.objects.values_list("buyer_id", flat=True)) == [other_buyer.pk]
    # the taken slot is no longer offered
    offered = [s["value"] for d in response.context["days"] for s in d["slots"]]
    assert "2027-03-01T14:00:00+08:00" not in offered and "2027-03-01T14:30:00+08:00" in offered


def test_a_time_the_factory_does_not_offer_is_refused(web, factory, buyer):
    publish(factory)
    response = web.as_user(buyer.user).post(
        f"/factories/{factory.pk}/tour/", {"slot": "2027-03-01T14:10:00+08:00"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["slot"] == ["The factory offers no call at this time."]
    assert TourBooking.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"slot": ""}, "slot", "Choose a time."),
        ({"slot": "tomorrow"}, "slot", "Choose one of the times shown."),
        ({"slot": "2027-03-01T14:00:00"}, "slot", "Choose one of the times shown."),
        ({"slot": "x" * 41}, "slot", "Ensure this value has at most 40 characters (it has 41)."),
        ({"agenda": "看\x07车间"}, "agenda", "Remove the invisible control characters from this text."),
        ({"agenda": "看" * 1001}, "agenda", "Ensure this value has at most 1000 characters (it has 1001)."),
        (
            {"products": ["999999"]},
            "products",
            "Select a valid choice. 999999 is not one of the available choices.",
        ),
    ],
)
def test_bounded_input_is_refused_before_the_service(web, factory, buyer, data, field, message):
    publish(factory)
    body = {"slot": "2027-03-01T14:00:00+08:00", **data}
    response = web.as_user(buyer.user).post(f"/factories/{factory.pk}/tour/", body)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert TourBooking.objects.count() == 0
    if field != "slot":  # the time picked is still picked, its day open
        assert 'value="2027-03-01T14:00:00+08:00" id="slot-1-1" checked' in html(response)
        assert response.context["days"][0]["has_chosen"] is True


def test_the_booking_page_in_chinese(web_zh, factory, buyer):
    publish(factory)
    web_zh.as_user(buyer.user)
    assert "预约视频看厂" in html(web_zh.get(f"/factories/{factory.pk}/"))
    page = html(web_zh.get(f"/factories/{factory.pk}/tour/"))
    assert "预约视频看厂" in page and "Book a video tour" not in page
    assert "视频看厂时间" in html(web_zh.as_user(factory.owner).get(SETTINGS_URL))
