"""After the call: the custom request page opens prefilled from the streamer's own tour only."""

import pytest

from tours.services import bookings

from .conftest import MONDAY, at

pytestmark = pytest.mark.django_db


def test_custom_request_form_is_prefilled_from_the_streamers_tour(
    client, factory, product, buyer, other_buyer, availability
):
    booking = bookings.tour_book(
        actor=buyer.user,
        factory_id=factory.pk,
        starts_at=at(MONDAY, 14),
        product_ids=[product.pk],
        agenda="看包装",
    )
    client.force_login(buyer.user)
    page = client.get(f"/me/custom/new/?tour={booking.pk}", HTTP_ACCEPT_LANGUAGE="en")
    form = page.context["form"]
    assert page.status_code == 200
    assert form.initial["factory"] == factory.pk
    assert form.initial["category"] == product.category.slug
    assert form.initial["title"] == f"After the video tour {booking}"
    assert form.initial["requirements"] == f"- {product.title}\n看包装"
    # someone else's tour prefills nothing
    client.force_login(other_buyer.user)
    other = client.get(f"/me/custom/new/?tour={booking.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert other.status_code == 200
    assert "title" not in other.context["form"].initial and other.context["form"].initial["factory"] is None
