"""Addresses as the pages show them: the picker on order forms, the panel on deal pages."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.addresses.models import Address, AddressKind
from marketplace.addresses.snapshot import CITY, FULL, one_line, snapshot
from trials.reveal import Deal, address_for, address_level


def address_lines(user: User) -> list[dict[str, Any]]:
    """The streamer's shipping addresses for a picker, the default first."""
    return [
        {"id": a.pk, "line": one_line(snapshot(a)), "is_default": a.is_default}
        for a in Address.objects.filter(owner=user, kind=AddressKind.SHIPPING)
    ]


def address_panel(obj: Deal, user: User | AnonymousUser, kind: str) -> dict[str, Any]:
    """What the deal page shows of the order's frozen address to this reader."""
    shown = address_for(obj, user)
    return {
        "address": shown,
        "city_only": address_level(obj, user) == CITY,
        "line": one_line(shown),
        "slip_url": slip_url(kind, obj, user),
    }


def slip_url(kind: str, obj: Deal, user: User | AnonymousUser) -> str | None:
    """The packing slip's link when this reader may open it now (the factory: on the shipping
    step only), else None."""
    if not obj.shipping_address or address_level(obj, user) != FULL:
        return None
    return reverse("frontend:packing-slip", args=[kind, obj.pk])
