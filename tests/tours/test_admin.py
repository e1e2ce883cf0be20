import pytest

from tests import makers
from tours.services import bookings

from .conftest import MONDAY, at

pytestmark = pytest.mark.django_db


def test_staff_read_tours_and_cannot_change_them(client, factory, buyer, availability):
    booking = bookings.tour_book(
        actor=buyer.user, factory_id=factory.pk, starts_at=at(MONDAY, 14), product_ids=[]
    )
    client.force_login(makers.StaffUserMaker())
    assert client.get("/admin/tours/tourbooking/").status_code == 200
    assert client.get(f"/admin/tours/tourbooking/{booking.pk}/change/").status_code == 200
    assert client.get(f"/admin/tours/touravailability/{availability.pk}/change/").status_code == 200
    assert client.post(f"/admin/tours/tourbooking/{booking.pk}/delete/", {"post": "yes"}).status_code == 403
    booking.refresh_from_db()
    assert booking.status == "requested"
