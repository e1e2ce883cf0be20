"""A streamer books a slot; the factory confirms or proposes another time; either side cancels.

No double booking: each booking holds one numbered place of its slot, and a partial unique index
over holding bookings (models.TourBooking) admits one row per place. Two requests for the last
place both insert it and PostgreSQL lets exactly one commit; the other finds the slot full.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from marketplace.accounts.models import User
from marketplace.core.errors import ValidationError
from marketplace.core.events import event_record
from marketplace.core.transitions import transition_apply
from marketplace.notifications.services import notification_create
from trials.services.common import deal_step, locked, require_party

from .. import selectors
from ..events import TourEvents
from ..flows import TABLE, describe, parties
from ..models import AGENDA_MAX_LENGTH, HOLDING, REASON_MAX_LENGTH, TourAvailability, TourBooking
from ..slots import BOOKING_HORIZON_DAYS, MIN_LEAD
from .common import bounded_text, constraint_of

MAX_PRODUCTS = 10
BUYER_ONE_CALL = "tour_buyer_one_call_at_once"


def _buyer_of(user: User) -> BuyerProfile:
    profile = BuyerProfile.objects.filter(user=user).first() if user.is_authenticated else None
    if profile is None:
        raise ValidationError({"detail": _("Create your streamer profile first (POST /api/v1/buyers/).")})
    return profile


def _check_time(starts_at: datetime, *, field: str = "starts_at") -> None:
    if timezone.is_naive(starts_at):
        raise ValidationError({field: [_("Give the time with its offset (ISO 8601).")]})
    now = timezone.now()
    if starts_at < now + MIN_LEAD:
        raise ValidationError({field: [_("Book at least 3 hours ahead.")]})
    if starts_at > now + timedelta(days=BOOKING_HORIZON_DAYS):
        raise ValidationError({field: [_("Book at most %(n)d days ahead.") % {"n": BOOKING_HORIZON_DAYS}]})


def _free_places(
    *, factory_id: int, starts_at: datetime, parallel_calls: int, exclude: int | None = None
) -> list[int]:
    held = TourBooking.objects.filter(factory_id=factory_id, starts_at=starts_at, status__in=HOLDING)
    if exclude is not None:
        held = held.exclude(pk=exclude)
    taken = set(held.values_list("place", flat=True))
    return [p for p in range(1, parallel_calls + 1) if p not in taken]


def _slot_full() -> ValidationError:
    return ValidationError({"detail": _("This time is fully booked; choose another slot.")})


def _claim(
    build: Callable[[int], TourBooking],
    *,
    factory_id: int,
    starts_at: datetime,
    parallel_calls: int,
    exclude: int | None = None,
) -> TourBooking:
    """Run `build(place)` in a savepoint for the lowest free place; on a unique violation (someone
    took that place meanwhile: we waited for their commit) look again. Each retry sees the
    committed rows (READ COMMITTED), so this ends within `parallel_calls` rounds."""
    for _round in range(parallel_calls):
        free = _free_places(
            factory_id=factory_id, starts_at=starts_at, parallel_calls=parallel_calls, exclude=exclude
        )
        if not free:
            break
        try:
            with transaction.atomic():
                return build(free[0])
        except IntegrityError as error:
            if constraint_of(error) == BUYER_ONE_CALL:
                raise ValidationError({"starts_at": [_("You already have a call at this time.")]}) from None
            continue
    raise _slot_full()


def tour_book(
    *, actor: User, factory_id: int, starts_at: datetime, product_ids: list[int], agenda: str = ""
) -> TourBooking:
    buyer = _buyer_of(actor)
    factory = selectors.bookable_factory(factory_id)
    if factory is None:
        raise ValidationError({"factory": [_("This factory takes no tour bookings.")]})
    availability: TourAvailability = selectors.availability_of(factory)  # type: ignore[assignment]
    _check_time(starts_at)
    ends_at = selectors.is_slot_start(availability=availability, starts_at=starts_at)
    if ends_at is None:
        raise ValidationError({"starts_at": [_("The factory offers no call at this time.")]})
    agenda = bounded_text(agenda, field="agenda", limit=AGENDA_MAX_LENGTH)
    ids = list(dict.fromkeys(product_ids))
    if len(ids) > MAX_PRODUCTS:
        raise ValidationError({"products": [_("At most %(n)d products.") % {"n": MAX_PRODUCTS}]})
    products = list(selectors.public_products_of(factory, ids))
    if len(products) != len(ids):
        raise ValidationError({"products": [_("Choose products this factory has on sale.")]})

    def build(place: int) -> TourBooking:
        return TourBooking.objects.create(
            factory=factory,
            buyer=buyer,
            starts_at=starts_at,
            ends_at=ends_at,
            requested_starts_at=starts_at,
            place=place,
            agenda=agenda,
            meeting_url=availability.meeting_url,
        )

    with transaction.atomic():
        booking = _claim(
            build, factory_id=factory.pk, starts_at=starts_at, parallel_calls=availability.parallel_calls
        )
        booking.products.set(products)
        event_record(
            actor=actor,
            verb=TourEvents.REQUESTED,
            target=booking,
            starts_at=starts_at.isoformat(),
            products=[p.pk for p in products],
        )
        notification_create(
            recipient=factory.owner,
            kind=TourEvents.REQUESTED,
            key=f"tour:{booking.pk}:requested",
            data=describe(booking),
        )
    return booking


def _notify_confirmed(booking: TourBooking) -> None:
    """Both sides hear of a confirmed tour (with its calendar file), the confirming side too."""
    data = describe(booking)
    for role, user in parties(booking).items():
        notification_create(
            recipient=user, kind=TourEvents.CONFIRMED, key=f"tour:{booking.pk}:confirmed:{role}", data=data
        )


def _step(
    *,
    booking: TourBooking,
    actor: User | None,
    name: str,
    context: dict[str, Any] | None = None,
    prepare: Callable[[TourBooking], list[str]] | None = None,
) -> TourBooking:
    def after(b: TourBooking) -> None:
        if b.status == "confirmed":
            _notify_confirmed(b)
        elif name == "cancel" and b.confirmed_at is not None and actor is not None:
            # The canceller's calendar holds the call too: its e-mail carries the cancellation
            # (the flow tells only the other side).
            notification_create(
                recipient=actor, kind=TourEvents.CANCELLED, key=f"tour:{b.pk}:cancel", data=describe(b)
            )

    return deal_step(
        TourBooking,
        pk=booking.pk,
        table=TABLE,
        actor=actor,
        name=name,
        context=context,
        prepare=prepare,
        after=after,
    )


def _availability(factory_id: int) -> TourAvailability:
    """The factory's tour settings, which a confirmation and a proposal read (a refusal, not a
    500, should they be gone)."""
    availability = TourAvailability.objects.filter(factory_id=factory_id).first()
    if availability is None:
        raise ValidationError({"detail": _("This factory no longer publishes tour times.")})
    return availability


def tour_confirm(*, booking: TourBooking, actor: User) -> TourBooking:
    def prepare(b: TourBooking) -> list[str]:
        # The link as it is now: a factory that changed its room since the request sends the new one.
        b.meeting_url = _availability(b.factory_id).meeting_url
        return ["meeting_url"]

    return _step(booking=booking, actor=actor, name="confirm", prepare=prepare)


def tour_propose(*, booking: TourBooking, actor: User, starts_at: datetime) -> TourBooking:
    """The factory proposes another time; the booking moves there at once and holds a place of it,
    so the streamer who accepts is sure to get it."""
    _check_time(starts_at)
    availability = _availability(booking.factory_id)
    if starts_at == booking.starts_at:
        raise ValidationError({"starts_at": [_("Propose a time other than the one asked for.")]})
    # A time the factory's own week offers (a slot start, not on a blackout date), as a streamer's
    # booking must be: what it proposes is what its calendar and the slot picker promise.
    ends_at = selectors.is_slot_start(availability=availability, starts_at=starts_at)
    if ends_at is None:
        raise ValidationError(
            {
                "starts_at": [
                    _("Propose the start of a call your weekly availability offers (not a blackout date).")
                ]
            }
        )

    def build(place: int) -> TourBooking:
        b = locked(TourBooking, booking.pk)
        require_party(b, actor)

        def prepare(row: TourBooking) -> list[str]:
            row.starts_at, row.ends_at, row.place = starts_at, ends_at, place
            return ["starts_at", "ends_at", "place"]

        transition_apply(
            table=TABLE,
            obj=b,
            name="propose",
            actor=actor,
            prepare=prepare,
            event_data={"asked_for": b.starts_at.isoformat(), "proposed": starts_at.isoformat()},
        )
        return b

    with transaction.atomic():
        return _claim(
            build,
            factory_id=booking.factory_id,
            starts_at=starts_at,
            parallel_calls=availability.parallel_calls,
            exclude=booking.pk,
        )


def tour_accept_proposal(*, booking: TourBooking, actor: User) -> TourBooking:
    return _step(booking=booking, actor=actor, name="accept_proposal")


def tour_decline_proposal(*, booking: TourBooking, actor: User) -> TourBooking:
    return _step(booking=booking, actor=actor, name="decline_proposal")


def tour_cancel(*, booking: TourBooking, actor: User, reason: str) -> TourBooking:
    reason = bounded_text(reason, field="reason", limit=REASON_MAX_LENGTH)

    def prepare(b: TourBooking) -> list[str]:
        b.cancel_reason = reason
        b.cancelled_by = actor.acting_role
        return ["cancel_reason", "cancelled_by"]

    return _step(booking=booking, actor=actor, name="cancel", context={"reason": reason}, prepare=prepare)


def tour_expire(*, booking: TourBooking) -> TourBooking:
    return _step(booking=booking, actor=None, name="expire")
