"""A confirmed video tour is agreement to talk: the conversation then shows contact details
(conversations/agreements.py; tours registers its provider in ToursConfig.ready)."""

import pytest

from conversations.agreements import agreement_between

from .test_bookings import _book

pytestmark = pytest.mark.django_db


def test_only_a_confirmed_tour_is_agreement(factory, buyer, other_buyer, availability):
    from tours.services import bookings

    booking = _book(buyer, factory)
    # a request the factory has not answered is one-sided
    assert agreement_between(buyer_id=buyer.pk, factory_id=factory.pk) is None
    bookings.tour_confirm(booking=booking, actor=factory.owner)
    assert agreement_between(buyer_id=buyer.pk, factory_id=factory.pk) == "tour_booking"
    # and only between those two
    assert agreement_between(buyer_id=other_buyer.pk, factory_id=factory.pk) is None
