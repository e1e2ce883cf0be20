"""How much of a deal's frozen shipping address each reader sees (issue: addresses revealed when
needed). The streamer who ordered and staff see it all. The factory sees the province and city
until it has accepted (sample, trial) or confirmed (bulk order); then the full address with the
mobile number masked, and the number itself only on the shipping step, when a courier needs it."""

from typing import Any

from django.contrib.auth.models import AnonymousUser

from marketplace.accounts.models import User
from marketplace.addresses.snapshot import ADDRESS, CITY, FULL, revealed

from .models import BulkOrder, BulkStatus, SampleRequest, SampleStatus, TrialOrder, TrialStatus

# The step on which the factory ships: the whole address, number included.
SHIPPING_STEP: dict[type, set[str]] = {
    SampleRequest: {SampleStatus.ACCEPTED},
    TrialOrder: {TrialStatus.PAID},
    BulkOrder: {BulkStatus.IN_PRODUCTION},
}
# Not (or no longer) a deal that needs the address: the city only.
CITY_ONLY: dict[type, set[str]] = {
    SampleRequest: {
        SampleStatus.REQUESTED,
        SampleStatus.DECLINED,
        SampleStatus.CANCELLED,
        SampleStatus.EXPIRED,
    },
    TrialOrder: {TrialStatus.REQUESTED, TrialStatus.DECLINED, TrialStatus.CANCELLED, TrialStatus.EXPIRED},
    BulkOrder: {BulkStatus.PLACED, BulkStatus.DECLINED, BulkStatus.CANCELLED},
}


Deal = SampleRequest | TrialOrder | BulkOrder


def address_level(obj: Deal, user: User | AnonymousUser | None) -> str:
    if user is not None and user.is_authenticated and (user.is_staff_member or obj.buyer.user_id == user.pk):
        return FULL
    kind = type(obj)
    if obj.status in SHIPPING_STEP[kind]:
        return FULL
    if obj.status in CITY_ONLY[kind]:
        return CITY
    return ADDRESS


def address_for(obj: Deal, user: User | AnonymousUser | None) -> dict[str, Any] | None:
    """The order's address as `user` may see it (None for orders made before addresses)."""
    return revealed(obj.shipping_address, address_level(obj, user))
