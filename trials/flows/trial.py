"""五折试销 as a table. docs/api.md fixes the statuses; `end` from in_trial is the timed close of a
trial that never reported (14 days after its window)."""

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import Role, User
from marketplace.core.errors import ValidationError
from marketplace.core.transitions import SYSTEM, Flow, FlowTable, Rule, Timed, transition
from marketplace.money import format_cny

from ..carriers import tracking_error
from ..events import TrialEvents
from ..models import TrialOrder, TrialStatus

S = TrialStatus
BUYER, FACTORY, STAFF = Role.BUYER, Role.FACTORY, Role.STAFF

EXPIRE_AFTER = timedelta(hours=72)
REMIND_BEFORE_END = timedelta(days=3)
END_AFTER_WINDOW = timedelta(days=14)

FLOW = Flow(
    "trial",
    [
        transition("accept", [S.REQUESTED], S.ACCEPTED, [FACTORY], label=gettext_lazy("accept")),
        transition("decline", [S.REQUESTED], S.DECLINED, [FACTORY], label=gettext_lazy("decline")),
        transition("cancel", [S.REQUESTED, S.ACCEPTED], S.CANCELLED, [BUYER], label=gettext_lazy("cancel")),
        # STAFF on the timed transitions: staff fire what beat should have, on a stuck trial
        # (trials/services/staff.py checks it is in the moderation queue), in the admin only.
        transition("expire", [S.REQUESTED], S.EXPIRED, [SYSTEM], label=gettext_lazy("expire"), admin=[STAFF]),
        # Only the payment provider's confirmation (webhook, or staff marking a transfer received,
        # which goes through the payment service) moves a trial to paid.
        transition("mark_paid", [S.ACCEPTED], S.PAID, [SYSTEM], label=gettext_lazy("mark as paid")),
        transition("ship", [S.PAID], S.SHIPPED, [FACTORY], label=gettext_lazy("ship")),
        transition("receive", [S.SHIPPED], S.IN_TRIAL, [BUYER], label=gettext_lazy("receive")),
        transition("feedback", [S.IN_TRIAL], S.FEEDBACK_SUBMITTED, [BUYER], label=gettext_lazy("rate")),
        transition("convert", [S.FEEDBACK_SUBMITTED], S.CONVERTED, [BUYER], label=gettext_lazy("convert")),
        transition(
            "end", [S.FEEDBACK_SUBMITTED], S.ENDED, [BUYER, SYSTEM], label=gettext_lazy("end"), admin=[STAFF]
        ),
        transition(
            "end_unreported", [S.IN_TRIAL], S.ENDED, [SYSTEM], label=gettext_lazy("end"), admin=[STAFF]
        ),
        # A paid trial the factory never shipped: staff cancel it, with a reason both sides read,
        # and the buyer's payment goes back (the only way out of `paid` other than shipping).
        transition(
            "cancel_with_refund",
            [S.PAID],
            S.CANCELLED,
            [],
            label=gettext_lazy("cancel and refund"),
            admin=[STAFF],
        ),
    ],
    labels=dict(S.choices),
    # Only the provider's confirmation marks a trial paid; the buyer's way there is paying.
    routes={"mark_paid": ("pay", BUYER)},
)


def guard_shipping(order: object, ctx: dict[str, Any]) -> None:
    """Sample, trial and bulk order alike: a carrier and a number that can be that carrier's."""
    errors: dict[str, str] = {}
    for name in ("carrier", "tracking_number"):
        if not (ctx.get(name) or "").strip():
            errors[name] = _("This field is required to ship.")
    if not errors:
        wrong = tracking_error(ctx["carrier"], ctx["tracking_number"])
        if wrong:
            errors["tracking_number"] = str(wrong)
    if errors:
        raise ValidationError(errors)


def guard_feedback(trial: TrialOrder, ctx: dict[str, Any]) -> None:
    sold, returned, rating = ctx["units_sold"], ctx["units_returned"], ctx["rating"]
    if sold > trial.quantity:
        raise ValidationError(
            {"units_sold": _("You received %(n)d units; you cannot have sold more.") % {"n": trial.quantity}}
        )
    if returned > sold:
        raise ValidationError({"units_returned": _("Returns cannot exceed units sold.")})
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})


def guard_convert(trial: TrialOrder, ctx: dict[str, Any]) -> None:
    if ctx["quantity"] < trial.moq:
        raise ValidationError(
            {"quantity": _("A bulk order needs at least the MOQ of %(moq)d units.") % {"moq": trial.moq}}
        )


REASON_MAX_LENGTH = 2000


def guard_staff_reason(trial: TrialOrder, ctx: dict[str, Any]) -> None:
    """Both sides are told why staff stepped in: a reason is required, and bounded."""
    reason = (ctx.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so both sides understand.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX_LENGTH}})


def parties(trial: TrialOrder) -> dict[str, User]:
    return {"buyer": trial.buyer.user, "factory": trial.factory.owner}


def describe(trial: TrialOrder) -> dict[str, object]:
    data: dict[str, object] = {
        "ref": str(trial),
        "trial_id": trial.pk,
        "title": trial.title,
        "buyer": trial.buyer.display_name,
        "factory": trial.factory.name,
        "quantity": trial.quantity,
        "total": format_cny(trial.total),
        "status": trial.status,
        "carrier": trial.carrier,
        "tracking_number": trial.tracking_number,
        "units_sold": trial.units_sold,
        "units_returned": trial.units_returned,
        "rating": trial.rating,
    }
    bulk = getattr(trial, "bulk_order", None) if trial.status == S.CONVERTED else None
    if bulk is not None:
        data.update(bulk_quantity=bulk.quantity, bulk_total=format_cny(bulk.total), bulk_order_id=bulk.pk)
    return data


TABLE = FlowTable(
    flow=FLOW,
    key_prefix="trial",
    events={
        "accept": TrialEvents.ACCEPTED,
        "decline": TrialEvents.DECLINED,
        "cancel": TrialEvents.CANCELLED,
        "expire": TrialEvents.EXPIRED,
        "mark_paid": TrialEvents.PAID,
        "ship": TrialEvents.SHIPPED,
        "receive": TrialEvents.RECEIVED,
        "feedback": TrialEvents.FEEDBACK_SUBMITTED,
        "convert": TrialEvents.CONVERTED,
        "end": TrialEvents.ENDED,
        "end_unreported": TrialEvents.ENDED_UNREPORTED,
        "cancel_with_refund": TrialEvents.CANCELLED_WITH_REFUND,
    },
    parties=parties,
    describe=describe,
    rules={
        "accept": Rule(stamp="responded_at", notify=("buyer",)),
        "decline": Rule(stamp="responded_at", notify=("buyer",)),
        "cancel": Rule(stamp="closed_at", notify=("factory",)),
        "expire": Rule(stamp="closed_at", notify=("buyer", "factory")),
        "mark_paid": Rule(stamp="paid_at", notify=("buyer", "factory")),
        "ship": Rule(guards=(guard_shipping,), stamp="shipped_at", notify=("buyer",)),
        "receive": Rule(notify=("factory",)),  # the service stamps received_at with the window
        "feedback": Rule(guards=(guard_feedback,), stamp="feedback_at", notify=("factory",)),
        "convert": Rule(guards=(guard_convert,), stamp="closed_at", notify=("factory",)),
        "end": Rule(stamp="closed_at", notify=("buyer", "factory")),
        "end_unreported": Rule(stamp="closed_at", notify=("buyer", "factory")),
        "cancel_with_refund": Rule(
            guards=(guard_staff_reason,), stamp="closed_at", notify=("buyer", "factory")
        ),
    },
    timed=[
        Timed("expire", S.REQUESTED, "created_at", EXPIRE_AFTER),
        Timed("end", S.FEEDBACK_SUBMITTED, "window_ends_at", END_AFTER_WINDOW),
        Timed("end_unreported", S.IN_TRIAL, "window_ends_at", END_AFTER_WINDOW),
    ],
)
