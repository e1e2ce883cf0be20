"""Video tour pages (视频看厂) before the call: the factory's weekly availability settings
(me/factory/tours/) and a streamer's booking page (factories/<id>/tour/). Both write through
tours.services, the functions /api/v1/tours/ calls, so the page refuses what the API refuses."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from factories.models import Factory
from factories.selectors import product_visible_to
from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, ValidationError
from tours import selectors
from tours.models import TourAvailability
from tours.services import availability as availability_services
from tours.services import bookings
from tours.services.common import factory_of
from tours.slots import Slot
from tours.zones import FACTORY_ZONE

from ..auth import SignedInRequest
from ..forms.tours import (
    BaseTourWindowFormSet,
    TourAvailabilityForm,
    TourBlackoutForm,
    TourBookForm,
    TourWindowFormSet,
)
from ..tour_zone import tour_zone
from .common import signed_in

BOOKING_DAYS = 14  # the booking page shows the free slots of today and the next 13 days
PREVIEW_SLOTS = 8  # the settings page previews this many of the next free slots
PRODUCTS_SHOWN = 100  # products offered to discuss (the service takes at most 10 of them)

# Offered in the zone picker; any other IANA name works through ?tz= and is kept in the list.
COMMON_ZONES = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/Moscow",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "UTC",
]


# ---- the factory's settings ---------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What the service saves as a whole; the blackout buttons change one part of the stored one."""

    meeting_url: str
    slot_minutes: int
    parallel_calls: int
    active: bool
    windows: list[availability_services.WindowInput]
    blackouts: list[date]

    @classmethod
    def of(cls, availability: TourAvailability) -> "Settings":
        return cls(
            meeting_url=availability.meeting_url,
            slot_minutes=availability.slot_minutes,
            parallel_calls=availability.parallel_calls,
            active=availability.active,
            windows=[
                availability_services.WindowInput(w.weekday, w.starts, w.ends)
                for w in availability.windows.all()
            ],
            blackouts=[b.date for b in availability.blackouts.all()],
        )


def _own_factory(user: User) -> Factory:
    if not user.is_factory:
        raise PermissionDenied
    try:
        return factory_of(user)
    except NotAllowed:
        raise PermissionDenied from None


def _service_errors(error: ValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {"": list(error.messages)}
    return {name: [m for e in errors for m in e.messages] for name, errors in error.error_dict.items()}


@signed_in
@require_http_methods(["GET", "POST"])
def tour_availability(request: SignedInRequest) -> HttpResponse:
    factory = _own_factory(request.user)
    availability = selectors.availability_of(factory)
    stored = Settings.of(availability) if availability else None
    action = request.POST.get("action", "save") if request.method == "POST" else None
    posted = request.POST if action == "save" else None
    form = TourAvailabilityForm(posted, initial=_initial(stored))
    # The stored week fills the rows of the page; a posted week is read as it is (compared with the
    # stored one, an unchanged row would count as "not filled in" and be dropped).
    week = (
        [{"weekday": w.weekday, "starts": w.starts, "ends": w.ends} for w in stored.windows] if stored else []
    )
    windows = TourWindowFormSet(posted, initial=None if posted else week, prefix="windows")
    blackout_form = TourBlackoutForm(request.POST if action == "blackout-add" else None)
    window_errors: list[str] = []
    if action is not None:
        try:
            saved = _change(request, factory, action, form, windows, blackout_form)
        except ValidationError as error:
            window_errors = _show_errors(error, form, blackout_form)
        else:
            if saved:
                messages.success(request, _("Your video tour times are saved."))
                return redirect("frontend:tour-availability")
    context = {
        "factory": factory,
        "availability": availability,
        "form": form,
        "windows": windows,
        "window_errors": window_errors,
        "blackout_form": blackout_form,
        "blackouts": stored.blackouts if stored else [],
        "preview": _preview(availability) if availability and availability.active else [],
        "preview_days": BOOKING_DAYS,
    }
    return render(
        request, "frontend/tour_availability.html", context, status=400 if action is not None else 200
    )


def _change(
    request: SignedInRequest,
    factory: Factory,
    action: str,
    form: TourAvailabilityForm,
    windows: BaseTourWindowFormSet,
    blackout_form: TourBlackoutForm,
) -> bool:
    """Save what the button pressed asks for; False when its form is refused (shown on the page).

    A blackout button changes one part of the stored settings and sends the rest back as it is:
    read under the availability row's lock, so that two tabs adding a date each cannot drop the
    other's (the service takes the same lock again in this transaction)."""
    with transaction.atomic():
        current = TourAvailability.objects.select_for_update().filter(factory=factory).first()
        stored = Settings.of(current) if current else None
        wanted = _wanted(action, request.POST, stored, form, windows, blackout_form)
        if wanted is None:
            return False
        _save(request.user, wanted)
        return True


def _initial(stored: Settings | None) -> dict:
    if stored is None:
        return {"active": True}
    return {
        "active": stored.active,
        "meeting_url": stored.meeting_url,
        "slot_minutes": stored.slot_minutes,
        "parallel_calls": stored.parallel_calls,
    }


def _wanted(
    action: str,
    post: QueryDict,
    stored: Settings | None,
    form: TourAvailabilityForm,
    windows: BaseTourWindowFormSet,
    blackout_form: TourBlackoutForm,
) -> Settings | None:
    """The settings to save for the button pressed, or None when its form is refused (shown)."""
    if action == "save":
        if not (form.is_valid() and windows.is_valid()):
            return None
        d = form.cleaned_data
        return Settings(
            meeting_url=d["meeting_url"],
            slot_minutes=d["slot_minutes"],
            parallel_calls=d["parallel_calls"],
            active=d["active"],
            windows=windows.rows(),
            blackouts=stored.blackouts if stored else [],
        )
    if stored is None:
        # A date without calls belongs to published times: the settings come first.
        blackout_form.add_error(None, _("Save your video tour times first."))
        return None
    if action == "blackout-add":
        if not blackout_form.is_valid():
            return None
        day = blackout_form.cleaned_data["date"]
        if day < timezone.localdate():
            blackout_form.add_error("date", _("Choose today or a later date."))
            return None
        return replace(stored, blackouts=[*stored.blackouts, day])
    if action == "blackout-remove":
        try:
            day = date.fromisoformat(post.get("date", "")[:10])
        except ValueError:
            day = None
        return replace(stored, blackouts=[d for d in stored.blackouts if d != day])
    raise Http404


def _save(actor: User, s: Settings) -> None:
    availability_services.tour_availability_save(
        actor=actor,
        meeting_url=s.meeting_url,
        slot_minutes=s.slot_minutes,
        parallel_calls=s.parallel_calls,
        active=s.active,
        windows=s.windows,
        blackouts=s.blackouts,
    )


def _show_errors(
    error: ValidationError, form: TourAvailabilityForm, blackout_form: TourBlackoutForm
) -> list[str]:
    """The service's refusal under the field it names; the ranges' errors go above the ranges."""
    window_errors: list[str] = []
    for name, lines in _service_errors(error).items():
        if name == "windows":
            window_errors.extend(lines)
        elif name == "blackouts":
            blackout_form.add_error(None, lines)
        else:
            form.add_error(name if name in form.fields else None, lines)
    return window_errors


def _preview(availability: TourAvailability) -> list[dict]:
    today = timezone.localdate()
    slots = selectors.tour_slots(
        availability=availability, first=today, last=today + timedelta(days=BOOKING_DAYS - 1)
    )
    return [_shown(s, FACTORY_ZONE) for s in slots if s.free][:PREVIEW_SLOTS]


# ---- a streamer books -----------------------------------------------------------------------


def _shown(slot: Slot, zone: ZoneInfo) -> dict[str, Any]:
    """A slot as the page shows it: in the viewer's zone, with the factory's own clock beside it."""
    starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
    factory_starts = slot.starts_at.astimezone(FACTORY_ZONE)
    return {
        "value": slot.starts_at.isoformat(),
        "day": starts.date(),
        "time": f"{starts:%H:%M}–{ends:%H:%M}",
        "factory_time": f"{factory_starts:%H:%M}",
        "factory_day": factory_starts.date(),
        "free": slot.free,
    }


def _days(slots: list[dict], chosen: str) -> list[dict]:
    """Slots by the viewer's date; the day of the slot just picked stays open on a refused form."""
    days: dict[date, list[dict]] = {}
    for s in slots:
        days.setdefault(s["day"], []).append(s)
    return [
        {"day": day, "slots": rows, "has_chosen": any(s["value"] == chosen for s in rows)}
        for day, rows in days.items()
    ]


def _zone_choices(current: ZoneInfo) -> list[str]:
    names = list(COMMON_ZONES)
    if str(current) not in names:
        names.insert(0, str(current))
    return names


def _products(factory: Factory, wanted: int | None) -> list:
    public = product_visible_to(None).filter(factory=factory).order_by("title", "id")
    shown = list(public[:PRODUCTS_SHOWN])
    if wanted is not None and wanted not in {p.pk for p in shown}:
        shown.extend(public.filter(pk=wanted))
    return shown


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value and len(value) <= 12 else None
    except ValueError:
        return None


# Where the booking service names a field the form calls differently.
BOOK_ERROR_FIELDS = {"starts_at": "slot", "agenda": "agenda", "products": "products"}


@signed_in
@require_http_methods(["GET", "POST"])
def tour_book(request: SignedInRequest, pk: int) -> HttpResponse:
    if not request.user.is_buyer:
        raise PermissionDenied
    factory = selectors.bookable_factory(pk)
    if factory is None:
        raise Http404
    availability = selectors.availability_of(factory)
    zone, zone_error = tour_zone(request)
    wanted = _int(request.GET.get("product"))
    products = _products(factory, wanted)
    initial = {"products": [wanted]} if wanted in {p.pk for p in products} else {}
    form = TourBookForm(request.POST or None, products=products, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            booking = bookings.tour_book(
                actor=request.user,
                factory_id=factory.pk,
                starts_at=d["slot"],
                product_ids=d["products"],
                agenda=d["agenda"],
            )
        except ValidationError as error:
            for name, lines in _service_errors(error).items():
                form.add_error(BOOK_ERROR_FIELDS.get(name), lines)
        except NotAllowed as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your video tour is requested; the factory will confirm it."))
            return redirect(reverse("frontend:tour", args=[booking.pk]))
    today = timezone.localdate()
    slots = selectors.tour_slots(
        availability=availability,  # type: ignore[arg-type]  # bookable: it has one
        first=today,
        last=today + timedelta(days=BOOKING_DAYS - 1),
    )
    shown = [_shown(s, zone) for s in slots if s.free]
    chosen = request.POST.get("slot", "") if request.method == "POST" else ""
    context = {
        "factory": factory,
        "availability": availability,
        "form": form,
        "days": _days(shown, chosen),
        "chosen": chosen,
        "zone": str(zone),
        "zone_error": zone_error,
        "zone_choices": _zone_choices(zone),
        "factory_zone": str(FACTORY_ZONE),
        "other_zone": str(zone) != str(FACTORY_ZONE),
        "booking_days": BOOKING_DAYS,
        "product": wanted,
    }
    return render(
        request, "frontend/tour_book.html", context, status=400 if request.method == "POST" else 200
    )
