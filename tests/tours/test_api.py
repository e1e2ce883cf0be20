"""/api/v1/tours/…: the JSON shapes, the viewer's zone, permissions (a third party gets 404)."""

import pytest

from marketplace.core.models import Event
from tests import makers
from tests.conftest import Client
from tours.models import TourAvailability, TourBooking

from .conftest import MEETING, MONDAY, at

pytestmark = pytest.mark.django_db

WEEK = {
    "meeting_url": MEETING,
    "slot_minutes": 30,
    "parallel_calls": 2,
    "windows": [{"weekday": 0, "starts": "14:00", "ends": "15:00"}],
    "blackouts": ["2027-03-09"],
}


def _client(user):
    return Client().as_user(user)


def test_a_factory_publishes_its_week(factory, clock):
    api = _client(factory.owner)
    assert api.get("/api/v1/tours/availability/").status_code == 404
    response = api.put("/api/v1/tours/availability/", WEEK, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "meeting_url": MEETING,
        "slot_minutes": 30,
        "parallel_calls": 2,
        "active": True,
        "time_zone": "Asia/Shanghai",
        "windows": [{"weekday": 0, "starts": "14:00", "ends": "15:00"}],
        "blackouts": ["2027-03-09"],
    }
    assert api.get("/api/v1/tours/availability/").json() == response.json()
    assert Event.objects.filter(verb="tour.availability_saved").count() == 1


def test_bad_availability_is_refused_in_the_json_shape(factory, clock):
    api = _client(factory.owner)
    response = api.put(
        "/api/v1/tours/availability/", {**WEEK, "meeting_url": "http://zoom.us/j/1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "meeting_url": ["Give an https:// meeting link (Tencent Meeting, DingTalk, Zoom …)."]
    }
    response = api.put(
        "/api/v1/tours/availability/", {**WEEK, "blackouts": ["2027-03-10"] * 101}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["blackouts"]
    assert TourAvailability.objects.count() == 0
    streamer = makers.BuyerMaker()
    assert _client(streamer.user).put("/api/v1/tours/availability/", WEEK, format="json").status_code == 403


def test_slots_in_the_viewers_zone(factory, buyer, clock):
    _client(factory.owner).put("/api/v1/tours/availability/", WEEK, format="json")
    url = f"/api/v1/tours/factories/{factory.pk}/slots/?from=2027-03-01&to=2027-03-07&tz=Europe/Berlin"
    response = _client(buyer.user).get(url)
    assert response.status_code == 200
    assert response.json() == {
        "factory": factory.pk,
        "time_zone": "Europe/Berlin",
        "slot_minutes": 30,
        "slots": [
            {"starts_at": "2027-03-01T07:00:00+01:00", "ends_at": "2027-03-01T07:30:00+01:00", "free": 2},
            {"starts_at": "2027-03-01T07:30:00+01:00", "ends_at": "2027-03-01T08:00:00+01:00", "free": 2},
        ],
    }
    bad = _client(buyer.user).get(f"/api/v1/tours/factories/{factory.pk}/slots/?tz=Mars/Olympus")
    assert (bad.status_code, bad.json()) == (
        400,
        {"tz": ["Unknown time zone; use an IANA name such as Europe/Berlin."]},
    )
    assert _client(buyer.user).get(f"/api/v1/tours/factories/{factory.pk + 999}/slots/").status_code == 404


def test_book_confirm_and_a_third_party_sees_nothing(factory, product, buyer, other_buyer, clock):
    _client(factory.owner).put("/api/v1/tours/availability/", WEEK, format="json")
    # when the streamer books (Berlin time in, Berlin time out)
    body = {
        "factory": factory.pk,
        "starts_at": "2027-03-01T07:00:00+01:00",
        "products": [product.pk],
        "agenda": "看车间",
    }
    response = _client(buyer.user).post("/api/v1/tours/bookings/?tz=Europe/Berlin", body, format="json")
    assert response.status_code == 201
    booking = response.json()
    assert (booking["status"], booking["starts_at"], booking["time_zone"]) == (
        "requested",
        "2027-03-01T07:00:00+01:00",
        "Europe/Berlin",
    )
    assert booking["products"] == [{"id": product.pk, "title": product.title}]
    assert booking["meeting_url"] == ""  # not before the call is agreed
    assert booking["actions"] == ["cancel"]
    pk = booking["id"]
    # then a third party gets 404 everywhere
    stranger = _client(other_buyer.user)
    assert stranger.get(f"/api/v1/tours/bookings/{pk}/").status_code == 404
    assert stranger.post(f"/api/v1/tours/bookings/{pk}/cancel/", {"reason": "x"}).status_code == 404
    assert stranger.get("/api/v1/tours/bookings/").json()["count"] == 0
    # the streamer cannot confirm; the factory can
    assert _client(buyer.user).post(f"/api/v1/tours/bookings/{pk}/confirm/").status_code == 403
    factory_api = _client(factory.owner)
    assert factory_api.get(f"/api/v1/tours/bookings/{pk}/").json()["actions"] == [
        "confirm",
        "propose",
        "cancel",
    ]
    confirmed = factory_api.post(f"/api/v1/tours/bookings/{pk}/confirm/").json()
    assert (confirmed["status"], confirmed["meeting_url"], confirmed["starts_at"]) == (
        "confirmed",
        MEETING,
        "2027-03-01T14:00:00+08:00",
    )
    again = factory_api.post(f"/api/v1/tours/bookings/{pk}/confirm/")
    assert (again.status_code, again.json()) == (409, {"detail": "Cannot confirm: it is confirmed."})
    # after the call: rate once, and the follow-up links
    clock.move_to(at(MONDAY, 14, 30))
    streamer = _client(buyer.user)
    detail = streamer.get(f"/api/v1/tours/bookings/{pk}/").json()
    assert detail["actions"] == ["rate"]
    assert detail["follow_up"] == {
        "trials": [
            {"product": product.pk, "title": product.title, "url": f"/products/{product.pk}/#trial-request"}
        ],
        "custom_request": f"/me/custom/new/?tour={pk}",
    }
    rated = streamer.post(
        f"/api/v1/tours/bookings/{pk}/rate/", {"rating": 5, "comment": "很专业"}, format="json"
    )
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    twice = streamer.post(f"/api/v1/tours/bookings/{pk}/rate/", {"rating": 1}, format="json")
    assert (twice.status_code, twice.json()) == (409, {"detail": "You have already rated this tour."})
    record = _client(buyer.user).get(f"/api/v1/factories/{factory.pk}/").json()["metrics"]
    assert (record["tour_rating"], record["tours_rated"]) == ("5.00", 1)


def test_unbounded_input_is_refused(factory, product, buyer, clock):
    _client(factory.owner).put("/api/v1/tours/availability/", WEEK, format="json")
    api = _client(buyer.user)
    base = {"factory": factory.pk, "starts_at": "2027-03-01T14:00:00+08:00"}
    long_agenda = api.post("/api/v1/tours/bookings/", {**base, "agenda": "看" * 1001}, format="json")
    assert long_agenda.status_code == 400 and list(long_agenda.json()) == ["agenda"]
    many = api.post("/api/v1/tours/bookings/", {**base, "products": list(range(1, 12))}, format="json")
    assert many.status_code == 400 and list(many.json()) == ["products"]
    nul = api.post("/api/v1/tours/bookings/", {**base, "agenda": "a\x00b"}, format="json")
    assert nul.status_code == 400
    assert TourBooking.objects.count() == 0


def test_booking_honours_the_idempotency_key(factory, buyer, clock):
    _client(factory.owner).put("/api/v1/tours/availability/", WEEK, format="json")
    api = _client(buyer.user)
    body = {"factory": factory.pk, "starts_at": "2027-03-01T14:00:00+08:00"}
    first = api.post("/api/v1/tours/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="tour-1")
    second = api.post("/api/v1/tours/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="tour-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    assert TourBooking.objects.count() == 1


def test_cancel_needs_a_reason_and_says_so_in_json(factory, buyer, clock):
    _client(factory.owner).put("/api/v1/tours/availability/", WEEK, format="json")
    api = _client(buyer.user)
    pk = api.post(
        "/api/v1/tours/bookings/",
        {"factory": factory.pk, "starts_at": "2027-03-01T14:00:00+08:00"},
        format="json",
    ).json()["id"]
    missing = api.post(f"/api/v1/tours/bookings/{pk}/cancel/", {}, format="json")
    assert (missing.status_code, missing.json()) == (400, {"reason": ["This field is required."]})
    clock.move_to(at(MONDAY, 12, 1))
    late = api.post(f"/api/v1/tours/bookings/{pk}/cancel/", {"reason": "改期"}, format="json")
    assert (late.status_code, late.json()) == (
        400,
        {"detail": "A tour can be cancelled until 2 hours before it starts."},
    )
    assert TourBooking.objects.get().status == "requested"
