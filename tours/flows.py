"""A video tour booking as a table (see trials/flows/ and marketplace/core/transitions.py).

The streamer asks for a slot; the factory confirms it or proposes another time, which the
streamer accepts or declines; either side cancels with a reason until 2 h before the start; a
request nobody answered expires at its start. Confirmation is told to both sides by the service
(with the calendar file), not by the table, because the side that confirms gets it too.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import Role, User
from marketplace.core.errors import ValidationError
from marketplace.core.transitions import SYSTEM, Flow, FlowTable, Rule, Timed, transition

from .events import TourEvents
from .models import TourBooking, TourStatus

S = TourStatus
BUYER, FACTORY = Role.BUYER, Role.FACTORY

CANCEL_CUTOFF = timedelta(hours=2)

FLOW = Flow(
    "tour",
    [
        transition("confirm", [S.REQUESTED], S.CONFIRMED, [FACTORY], label=gettext_lazy("confirm")),
        transition(
            "propose", [S.REQUESTED], S.PROPOSED, [FACTORY], label=gettext_lazy("propose another time")
        ),
        transition(
            "accept_proposal",
            [S.PROPOSED],
            S.CONFIRMED,
            [BUYER],
            label=gettext_lazy("accept the proposed time"),
        ),
        transition(
            "decline_proposal",
            [S.PROPOSED],
            S.DECLINED,
            [BUYER],
            label=gettext_lazy("decline the proposed time"),
        ),
        transition(
            "cancel",
            [S.REQUESTED, S.PROPOSED, S.CONFIRMED],
            S.CANCELLED,
            [BUYER, FACTORY],
            label=gettext_lazy("cancel"),
        ),
        transition("expire", [S.REQUESTED, S.PROPOSED], S.EXPIRED, [SYSTEM], label=gettext_lazy("expire")),
    ],
    labels=dict(S.choices),
)


def guard_cancel_cutoff(booking: TourBooking, context: dict[str, Any]) -> None:
    if timezone.now() > booking.starts_at - CANCEL_CUTOFF:
        raise ValidationError({"detail": _("A tour can be cancelled until 2 hours before it starts.")})


def guard_reason(booking: TourBooking, context: dict[str, Any]) -> None:
    if not (context.get("reason") or "").strip():
        raise ValidationError({"reason": [_("Say why you cancel.")]})


def parties(booking: TourBooking) -> dict[str, User]:
    return {"buyer": booking.buyer.user, "factory": booking.factory.owner}


def describe(booking: TourBooking) -> dict[str, object]:
    return {
        "ref": str(booking),
        "booking_id": booking.pk,
        "title": booking.factory.name,
        "buyer": booking.buyer.display_name,
        "factory": booking.factory.name,
        "starts_at": booking.starts_at.isoformat(),
        # Shown in the e-mail as the factory's wall-clock time; the .ics carries the instant.
        "when": timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M") + " (Asia/Shanghai)",
        "reason": booking.cancel_reason,
        "meeting_url": booking.meeting_url,
    }


TABLE = FlowTable(
    flow=FLOW,
    key_prefix="tour",
    events={
        "confirm": TourEvents.CONFIRMED,
        "propose": TourEvents.PROPOSED,
        "accept_proposal": TourEvents.PROPOSAL_ACCEPTED,
        "decline_proposal": TourEvents.PROPOSAL_DECLINED,
        "cancel": TourEvents.CANCELLED,
        "expire": TourEvents.EXPIRED,
    },
    parties=parties,
    describe=describe,
    event_extra=lambda b, name: {"reason": b.cancel_reason} if name == "cancel" else {},
    rules={
        "confirm": Rule(stamp="confirmed_at"),
        "propose": Rule(notify=("buyer",)),
        "accept_proposal": Rule(stamp="confirmed_at"),
        "decline_proposal": Rule(notify=("factory",)),
        "cancel": Rule(guards=(guard_reason, guard_cancel_cutoff), notify=("buyer", "factory")),
        "expire": Rule(notify=("buyer", "factory")),
    },
    timed=[
        Timed("expire", S.REQUESTED, "starts_at", timedelta(0)),
        Timed("expire", S.PROPOSED, "starts_at", timedelta(0)),
    ],
)
