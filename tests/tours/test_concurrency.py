"""Parallel bookings of the last free place on real PostgreSQL, each on its own connection."""

import pytest
import time_machine

from marketplace.core.models import Event, IdempotencyKey
from marketplace.notifications.models import Notification
from tests import makers
from tests.concurrency import race
from tests.conftest import Client
from tours.models import TourBooking

from .conftest import MONDAY, T0, at, publish

pytestmark = pytest.mark.django_db(transaction=True)


def _post(user, body, key):
    def call():
        response = (
            Client()
            .as_user(user)
            .post("/api/v1/tours/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        )
        return response.status_code, response.json()

    return call


@pytest.mark.parametrize("parallel_calls", [1, 3])
def test_parallel_bookings_of_the_last_free_place_one_wins(parallel_calls):
    # given a slot with one place left
    with time_machine.travel(T0, tick=True):
        factory = makers.FactoryMaker()
        publish(factory, parallel_calls=parallel_calls)
        first = at(MONDAY, 14).isoformat()
        for _ in range(parallel_calls - 1):
            earlier = makers.BuyerMaker()
            status, _body = _post(earlier.user, {"factory": factory.pk, "starts_at": first}, "k-early")()
            assert status == 201
        buyers = [makers.BuyerMaker() for _ in range(6)]
        before = (Event.objects.count(), Notification.objects.count())
        # when six streamers book it at once
        results = race(
            *[
                _post(b.user, {"factory": factory.pk, "starts_at": first}, f"k-{i}")
                for i, b in enumerate(buyers)
            ]
        )
    # then exactly one wins; the others get the JSON error and wrote nothing
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [400] * 5
    assert [body for code, body in results if code == 400] == [
        {"detail": "This time is fully booked; choose another slot."}
    ] * 5
    assert TourBooking.objects.filter(starts_at=at(MONDAY, 14)).count() == parallel_calls
    assert sorted(TourBooking.objects.values_list("place", flat=True)) == list(range(1, parallel_calls + 1))
    assert Event.objects.count() == before[0] + 1
    assert Notification.objects.count() == before[1] + 1
    assert IdempotencyKey.objects.filter(key__startswith="k-", response_status=201).count() == parallel_calls
