"""视频看厂 pages (issue 13): the streamer's and the factory's video tours (me/tours/), and a tour's
page with the buttons its flow table allows this person now, each calling the same service as
/api/v1/tours/…. Times are shown in the viewer's zone (`?tz=`, remembered for the session; the
factory's Asia/Shanghai until one is named)."""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from factories.models import Product
from factories.selectors import product_visible_to
from marketplace.accounts.models import User
from tours import selectors
from tours.events import TourEvents
from tours.flows import CANCEL_CUTOFF, TABLE
from tours.models import HOLDING, TourBooking, TourStatus
from tours.services import bookings, ratings
from tours.zones import FACTORY_ZONE

from ..auth import SignedInRequest
from ..forms.tour_actions import TourCancelForm, TourProposeForm, TourRateForm
from ..history import history
from ..tour_zone import tour_zone
from .common import Action, action_buttons, run_action, signed_in

LIST_LIMIT = 100  # per part (upcoming, past): a year of calls for a busy factory
PROPOSE_DAYS = 14  # how far ahead the "propose another time" choices reach

ACTIONS = {
    "confirm": Action(
        gettext_lazy("Confirm the call"),
        lambda b, u, d: bookings.tour_confirm(booking=b, actor=u),
        gettext_lazy("Call confirmed: both of you get the meeting link and a calendar entry."),
    ),
    "propose": Action(
        gettext_lazy("Propose this time"),
        lambda b, u, d: bookings.tour_propose(booking=b, actor=u, starts_at=d["starts_at"]),
        gettext_lazy("Other time proposed: the streamer accepts or declines it."),
        form=TourProposeForm,
    ),
    "accept_proposal": Action(
        gettext_lazy("Accept the proposed time"),
        lambda b, u, d: bookings.tour_accept_proposal(booking=b, actor=u),
        gettext_lazy("Call confirmed: both of you get the meeting link and a calendar entry."),
    ),
    "decline_proposal": Action(
        gettext_lazy("Decline the proposed time"),
        lambda b, u, d: bookings.tour_decline_proposal(booking=b, actor=u),
        gettext_lazy("Proposed time declined."),
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    "cancel": Action(
        gettext_lazy("Cancel the call"),
        lambda b, u, d: bookings.tour_cancel(booking=b, actor=u, reason=d["reason"]),
        gettext_lazy("Call cancelled."),
        form=TourCancelForm,
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    # Not a transition of the flow table: offered by can_rate(), like the API's "rate".
    "rate": Action(
        gettext_lazy("Send the rating"),
        lambda b, u, d: ratings.tour_rate(booking=b, actor=u, rating=d["rating"], comment=d["comment"]),
        gettext_lazy("Thank you: your rating is in the factory's record."),
        form=TourRateForm,
    ),
}

# Events that are not a move of the flow table (those are named by the status they reach).
EVENT_LABELS = {
    TourEvents.REQUESTED: gettext_lazy("Call requested"),
    TourEvents.REMINDED: gettext_lazy("Reminder sent"),
    TourEvents.RATED: gettext_lazy("Tour rated"),
}


def _zone(request: SignedInRequest) -> tuple[ZoneInfo, int]:
    zone, refusal = tour_zone(request)
    if refusal is None:
        return zone, 200
    messages.error(request, refusal)
    return zone, 400


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], *, zone: ZoneInfo, status: int = 200
) -> HttpResponse:
    # The |date filters convert to the active zone while the template renders.
    with timezone.override(zone):
        return render(request, template, {**context, "zone": str(zone)}, status=status)


@signed_in
@require_GET
def tour_list(request: SignedInRequest) -> HttpResponse:
    zone, status = _zone(request)
    now = timezone.now()
    visible = selectors.booking_visible_to(request.user)
    upcoming = list(visible.filter(ends_at__gt=now).order_by("starts_at", "id")[:LIST_LIMIT])
    past = list(visible.filter(ends_at__lte=now).order_by("-starts_at", "-id")[:LIST_LIMIT])
    waiting = _waiting_status(request.user)
    context = {"upcoming": upcoming, "past": past, "waiting_status": waiting}
    return _render(request, "frontend/tour_list.html", context, zone=zone, status=status)


def _waiting_status(user: User) -> str | None:
    """The status in which a booking waits for this person: a request for the factory, a proposed
    time for the streamer."""
    if user.is_factory:
        return TourStatus.REQUESTED
    if user.is_buyer:
        return TourStatus.PROPOSED
    return None


@signed_in
@require_GET
def tour_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    zone, status = _zone(request)
    booking = get_object_or_404(selectors.booking_visible_to(request.user), pk=pk)
    return _detail_page(request, booking, zone=zone, status=status)


@signed_in
@require_POST
def tour_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    zone = _zone(request)[0]
    visible = selectors.booking_visible_to(request.user)
    booking = get_object_or_404(visible, pk=pk)
    run = run_action(request, booking, ACTIONS, action, errors_beside_fields=True)
    if not run.ok:
        # Shown again with what was typed and the service's words; nothing changed.
        return _detail_page(request, visible.get(pk=pk), zone=zone, bound=run.bound, status=400)
    return redirect("frontend:tour", pk=pk)


def _detail_page(
    request: SignedInRequest,
    booking: TourBooking,
    *,
    zone: ZoneInfo,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    buttons = action_buttons(TABLE, ACTIONS, booking, user, bound=bound)
    past_cutoff = timezone.now() > booking.starts_at - CANCEL_CUTOFF
    if past_cutoff:
        # The table allows cancelling from the status; the service refuses it this close to the call.
        buttons = [b for b in buttons if b["name"] != "cancel"]
    if selectors.can_rate(booking, user):
        buttons.append(
            {"name": "rate", "action": ACTIONS["rate"], "form": bound.get("rate") or TourRateForm()}
        )
    for button in buttons:
        if button["name"] == "propose" and button["form"] is not None:
            button["form"].offer(_propose_choices(booking, zone))
    is_party = user.pk in (booking.buyer.user_id, booking.factory.owner_id)
    is_buyer = booking.buyer.user_id == user.pk
    events = history(booking, TABLE.flow.labels)
    for row in events:
        row["label"] = EVENT_LABELS.get(row["verb"], row["label"])
    context = {
        "booking": booking,
        "buttons": buttons,
        "events": events,
        "products": list(booking.products.all()),
        "is_buyer": is_buyer,
        "is_factory_side": booking.factory.owner_id == user.pk,
        "show_meeting": is_party and booking.status == TourStatus.CONFIRMED and bool(booking.meeting_url),
        # Said where the cancel button would be, so nobody wonders where it went.
        "cutoff_passed": past_cutoff and booking.status in HOLDING and booking.ends_at > timezone.now(),
        "follow_up": is_buyer and selectors.is_over(booking),
        "trial_products": _open_for_trials(booking) if is_buyer and selectors.is_over(booking) else [],
        "cutoff_hours": int(CANCEL_CUTOFF.total_seconds() // 3600),
    }
    return _render(request, "frontend/tour_detail.html", context, zone=zone, status=status)


def _open_for_trials(booking: TourBooking) -> list[Product]:
    """The discussed products a trial can still start from: on sale (public) and open for trials;
    a link to anything else would end on a 404 or a refusal."""
    ids = [p.pk for p in booking.products.all()]
    return [p for p in product_visible_to(None).filter(pk__in=ids).order_by("title") if p.open_for_trials]


def _propose_choices(booking: TourBooking, zone: ZoneInfo) -> list[tuple[str, str]]:
    """The factory's free slots of the next PROPOSE_DAYS days (one query for the held places),
    labelled in the viewer's zone; the one already asked for is left out."""
    availability = selectors.availability_of(booking.factory)
    if availability is None:
        return []
    today = timezone.localtime(timezone.now(), FACTORY_ZONE).date()
    slots = selectors.tour_slots(
        availability=availability, first=today, last=today + timedelta(days=PROPOSE_DAYS - 1)
    )
    return [
        (s.starts_at.isoformat(), date_format(s.starts_at.astimezone(zone), "Y-m-d D H:i"))
        for s in slots
        if s.free > 0 and s.starts_at != booking.starts_at
    ]
