from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Event

if TYPE_CHECKING:
    # django-stubs' name for settings.AUTH_USER_MODEL (its plugin expands it to that model), so core
    # types the actor without importing the accounts app, a layer above it.
    from django.contrib.auth.models import AnonymousUser, _User

# Who acted: a signed-in user, the anonymous user of a request, or nobody (the system).
Actor: TypeAlias = "_User | AnonymousUser | None"

# The client address of the person acting, for the audit rows written while they act: the admin's
# staff actions set it around the services they call (the services know no request). A service
# that knows the address passes `address=` itself, as the partners services do.
_acting_from: ContextVar[str | None] = ContextVar("audit_address", default=None)


@contextmanager
def acting_from(address: str | None) -> Iterator[None]:
    token = _acting_from.set(address)
    try:
        yield
    finally:
        _acting_from.reset(token)


# The client address of the request being served (ClientAddressMiddleware), recorded on the audit
# rows of staff actors only: a staff decision made through the API or a page is audited like one
# made through the admin, while a streamer's or factory's own writes keep no address.
_request_address: ContextVar[str | None] = ContextVar("request_address", default=None)


# The organization member acting for a streamer in the request being served (issue 12, point 1):
# the request runs as the streamer's account, so the services write the streamer as the actor;
# every audit row written while it runs also names the member who really acted
# (data["member"] = {"id", "name"}). A mutable holder per request, filled by the authentication
# that resolves the member (partners.authentication), so nothing outlives the request.
_request_member: ContextVar[dict[str, Any] | None] = ContextVar("request_member", default=None)


@contextmanager
def request_from(address: str | None) -> Iterator[None]:
    token = _request_address.set(address)
    member_token = _request_member.set({})
    try:
        yield
    finally:
        _request_member.reset(member_token)
        _request_address.reset(token)


def member_acting(member: "_User") -> None:
    """The request being served is `member` acting for a streamer: its audit rows say so."""
    holder = _request_member.get()
    if holder is not None:
        holder["member"] = {"id": member.pk, "name": member.get_username()}


def key_acting(*, key_id: int, name: str, organization: str) -> None:
    """The request being served is an organization's partner key acting for a streamer: no person
    signs it, so its audit rows name the key (and its organization) that did."""
    holder = _request_member.get()
    if holder is not None:
        holder["key"] = {"id": key_id, "name": name, "organization": organization}


def _with_address(data: dict[str, Any], actor: Actor) -> dict[str, Any]:
    address = _acting_from.get()
    if address is None and getattr(actor, "is_staff_member", False):
        address = _request_address.get()
    if address and "address" not in data:
        data = {**data, "address": address}
    acting = _request_member.get() or {}
    for field in ("member", "key"):
        if field in acting and field not in data:
            data = {**data, field: acting[field]}
    return data


# Listeners told of every event row as it is written, in the same transaction (partner webhooks
# write their delivery rows there). Registered from a higher app's AppConfig.ready(): this layer
# imports no app.
# A listener may also take a batch at once (`many`), for events_record: a catalog import's
# thousand events then cost the listener a fixed number of queries, not a thousand.
EventListener = Callable[[Event, models.Model], None]
EventsListener = Callable[[list[tuple[Event, models.Model]]], None]
_listeners: list[tuple[EventListener, EventsListener | None]] = []


def event_listener_register(listener: EventListener, *, many: EventsListener | None = None) -> None:
    if all(registered is not listener for registered, _many in _listeners):
        _listeners.append((listener, many))


def event_record(*, actor: Actor, verb: str, target: models.Model, **data: Any) -> Event:
    """Write one audit row. Call it inside the service's transaction so it commits with the change."""
    data = _with_address(data, actor)
    event = Event.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        data=data,
    )
    for listener, _many in _listeners:
        listener(event, target)
    return event


def events_record(
    *, actor: Actor, verb: str, items: list[tuple[models.Model, dict[str, Any]]]
) -> list[Event]:
    """Many audit rows of one verb in one INSERT (batch services, e.g. a catalog import)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    events = Event.objects.bulk_create(
        [
            Event(
                actor=actor,
                verb=verb,
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                data=_with_address(data, actor),
            )
            for target, data in items
        ]
    )
    pairs = [(event, target) for event, (target, _data) in zip(events, items, strict=True)]
    for listener, many in _listeners:
        if many is not None:
            many(pairs)
        else:
            for event, target in pairs:
                listener(event, target)
    return events


def events_for(target: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")
