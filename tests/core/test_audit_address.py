"""Staff actions made through the API are audited with the client address, like the admin's
(issue 12, point 6); the writes of factories and streamers keep no address."""

import pytest

from factories.events import FactoryEvents, ProductEvents
from marketplace.core.events import events_for
from tests import makers
from tests.conftest import Client

pytestmark = pytest.mark.django_db


def test_a_staff_decision_through_the_api_records_the_client_address(staff):
    # given: a factory waiting for verification
    factory = makers.FactoryMaker(verification_status="pending")
    # when: staff verify it through the API from 203.0.113.5
    response = (
        Client()
        .as_user(staff)
        .post(
            f"/api/v1/factories/{factory.pk}/verify/", {"checks": ["site_visit"]}, REMOTE_ADDR="203.0.113.5"
        )
    )
    # then
    assert response.status_code == 200, response.content
    (event,) = events_for(factory).filter(verb=FactoryEvents.VERIFIED)
    assert (event.actor, event.data["address"]) == (staff, "203.0.113.5")


def test_a_staff_product_rejection_through_the_api_records_the_address(staff):
    product = makers.ProductMaker(status="pending_review")
    response = (
        Client()
        .as_user(staff)
        .post(
            f"/api/v1/products/{product.pk}/reject/",
            {"reason": "图片与实物不符"},
            REMOTE_ADDR="198.51.100.20",
        )
    )
    assert response.status_code == 200, response.content
    (event,) = events_for(product).filter(verb=ProductEvents.REJECTED)
    assert event.data["address"] == "198.51.100.20"


def test_a_factorys_own_write_keeps_no_address(factory_user):
    # given: the factory's own listing
    factory = makers.FactoryMaker(owner=factory_user)
    product = makers.ProductMaker(factory=factory)
    # when: the factory edits it through the API
    response = (
        Client()
        .as_user(factory_user)
        .patch(f"/api/v1/products/{product.pk}/", {"moq": 300}, REMOTE_ADDR="203.0.113.77")
    )
    # then: audited, without the address
    assert response.status_code == 200, response.content
    events = list(events_for(product).filter(actor=factory_user))
    assert events and all("address" not in e.data for e in events)


def test_outside_a_request_nothing_is_added(staff):
    from factories.services import factory_verify

    factory = makers.FactoryMaker(verification_status="pending")
    factory_verify(factory=factory, actor=staff, tier=None, checks=["video_tour"])
    (event,) = events_for(factory).filter(verb=FactoryEvents.VERIFIED)
    assert "address" not in event.data
