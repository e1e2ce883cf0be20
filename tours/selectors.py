"""Reads: a factory's free slots, and the bookings a person may see."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from factories.models import Factory, Product, ProductStatus, VerificationStatus
from marketplace.accounts.models import User
from marketplace.core.errors import ValidationError

from .models import HOLDING, TourAvailability, TourBooking, TourStatus
from .slots import BOOKING_HORIZON_DAYS, MAX_RANGE_DAYS, MIN_LEAD, Slot, WeeklyRange, slot_starts


def availability_of(factory: Factory) -> TourAvailability | None:
    return TourAvailability.objects.filter(factory=factory).prefetch_related("windows", "blackouts").first()


def bookable_factory(factory_id: int) -> Factory | None:
    """A verified factory that takes tour bookings, or None."""
    return (
        Factory.objects.filter(
            pk=factory_id,
            verification_status=VerificationStatus.VERIFIED,
            tour_availability__active=True,
        )
        .select_related("tour_availability", "owner")
        .first()
    )


def _ranges(availability: TourAvailability) -> list[WeeklyRange]:
    return [WeeklyRange(w.weekday, w.starts, w.ends) for w in availability.windows.all()]


def slot_range_check(first: date, last: date) -> None:
    if last < first:
        raise ValidationError({"to": [_("The end date comes before the start date.")]})
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ValidationError({"to": [_("Ask for at most %(n)d days at once.") % {"n": MAX_RANGE_DAYS}]})


def tour_slots(
    *, availability: TourAvailability, first: date, last: date, now: datetime | None = None
) -> list[Slot]:
    """The bookable slots of [first, last] (Asia/Shanghai dates), with their free places.

    A slot starts no sooner than MIN_LEAD from now and within the booking horizon. One query
    counts the places held in the range.
    """
    slot_range_check(first, last)
    now = now or timezone.now()
    earliest, latest = now + MIN_LEAD, now + timedelta(days=BOOKING_HORIZON_DAYS)
    blackouts = {b.date for b in availability.blackouts.all()}
    starts = [
        (s, e)
        for s, e in slot_starts(
            ranges=_ranges(availability),
            minutes=availability.slot_minutes,
            first=first,
            last=last,
            blackouts=blackouts,
        )
        if earliest <= s <= latest
    ]
    if not starts:
        return []
    held = dict(
        TourBooking.objects.filter(
            factory_id=availability.factory_id,
            status__in=HOLDING,
            starts_at__gte=starts[0][0],
            starts_at__lte=starts[-1][0],
        )
        .values_list("starts_at")
        .annotate(n=Count("id"))
        .values_list("starts_at", "n")
    )
    return [Slot(s, e, max(availability.parallel_calls - held.get(s, 0), 0)) for s, e in starts]


def is_slot_start(*, availability: TourAvailability, starts_at: datetime) -> datetime | None:
    """The end of the slot starting at `starts_at`, or None when no weekly range offers it."""
    day = timezone.localtime(starts_at).date()
    for s, e in slot_starts(
        ranges=_ranges(availability),
        minutes=availability.slot_minutes,
        first=day,
        last=day,
        blackouts={b.date for b in availability.blackouts.all()},
    ):
        if s == starts_at:
            return e
    return None


def booking_visible_to(user: User) -> QuerySet[TourBooking]:
    """The streamer's own bookings, the factory's, everything for staff, nothing for anyone else."""
    qs = TourBooking.objects.select_related(
        "factory", "factory__owner", "buyer", "buyer__user"
    ).prefetch_related("products")
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff_member:
        return qs
    return qs.filter(Q(buyer__user=user) | Q(factory__owner=user))


def public_products_of(factory: Factory, ids: list[int]) -> QuerySet[Product]:
    return factory.products.filter(pk__in=ids, status=ProductStatus.ACTIVE)


def confirmed_tour_between(buyer_id: int, factory_id: int) -> bool:
    """A confirmed call between the two (any time): agreement to talk for conversations/agreements.py."""
    return TourBooking.objects.filter(
        buyer_id=buyer_id, factory_id=factory_id, status=TourStatus.CONFIRMED
    ).exists()


def is_over(booking: TourBooking) -> bool:
    """A confirmed call that has ended: what the streamer may rate and follow up on."""
    return booking.status == TourStatus.CONFIRMED and booking.ends_at <= timezone.now()


def can_rate(booking: TourBooking, user: User) -> bool:
    return (
        is_over(booking) and booking.rated_at is None and user.is_buyer and booking.buyer.user_id == user.pk
    )
