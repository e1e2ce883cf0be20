"""大货 as a table: from the signed order to the goods received and paid for.

Money moves twice, each time only on the payment provider's confirmation (SYSTEM): the deposit
before the factory starts production, the balance after the buyer has the goods. Before the
deposit either side can walk away (the buyer cancels, the factory declines, an order nobody acts
on lapses); after it, only a dispute stops the order, and staff decide it: go on from where it
stood (`resume`), or cancel it and pay back what the buyer paid (`cancel_with_refund`).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import Role, User
from marketplace.core.errors import ValidationError
from marketplace.core.transitions import PREVIOUS, SYSTEM, Flow, FlowTable, Rule, Timed, transition
from marketplace.money import format_cny

from ..events import BulkEvents
from ..models import DISPUTABLE_STATUSES, BulkOrder, BulkStatus
from .trial import guard_shipping

S = BulkStatus
BUYER, FACTORY, STAFF = Role.BUYER, Role.FACTORY, Role.STAFF

LAPSE_UNCONFIRMED = timedelta(days=7)  # the factory never confirmed
LAPSE_UNPAID = timedelta(days=14)  # the buyer never paid the deposit
COMPLETE_AFTER = timedelta(days=7)  # after-sales window once the balance is paid
MAX_DELIVERY_DAYS = 365
REASON_MAX_LENGTH = 2000

FLOW = Flow(
    "bulk_order",
    [
        transition("confirm", [S.PLACED], S.CONFIRMED, [FACTORY], label=gettext_lazy("confirm")),
        transition("decline", [S.PLACED], S.DECLINED, [FACTORY], label=gettext_lazy("decline")),
        # Before `cancel`: the buyer's page offers paying first.
        transition(
            "mark_deposit_paid", [S.CONFIRMED], S.DEPOSIT_PAID, [SYSTEM], label=gettext_lazy("mark as paid")
        ),
        transition(
            "cancel", [S.PLACED, S.CONFIRMED], S.CANCELLED, [BUYER, STAFF], label=gettext_lazy("cancel")
        ),
        transition("lapse", [S.PLACED, S.CONFIRMED], S.CANCELLED, [SYSTEM], label=gettext_lazy("cancel")),
        transition(
            "start_production",
            [S.DEPOSIT_PAID],
            S.IN_PRODUCTION,
            [FACTORY],
            label=gettext_lazy("start production"),
        ),
        transition("ship", [S.IN_PRODUCTION], S.SHIPPED, [FACTORY], label=gettext_lazy("ship")),
        transition("receive", [S.SHIPPED], S.RECEIVED, [BUYER], label=gettext_lazy("receive")),
        transition(
            "mark_balance_paid", [S.RECEIVED], S.BALANCE_PAID, [SYSTEM], label=gettext_lazy("mark as paid")
        ),
        transition(
            "complete", [S.BALANCE_PAID], S.COMPLETED, [BUYER, SYSTEM], label=gettext_lazy("complete")
        ),
        transition(
            "dispute", DISPUTABLE_STATUSES, S.DISPUTED, [BUYER, FACTORY], label=gettext_lazy("dispute")
        ),
        transition("resume", [S.DISPUTED], PREVIOUS, [STAFF], label=gettext_lazy("resume")),
        transition(
            "cancel_with_refund",
            [S.DISPUTED],
            S.CANCELLED,
            [STAFF],
            label=gettext_lazy("cancel and refund"),
        ),
    ],
    labels=dict(S.choices),
    # Money moves only on the provider's confirmation; the buyer's way there is paying.
    routes={"mark_deposit_paid": ("pay", BUYER), "mark_balance_paid": ("pay", BUYER)},
)


def guard_delivery_date(bulk: BulkOrder, ctx: dict[str, Any]) -> None:
    date = ctx.get("delivery_date")
    today = timezone.localdate()
    if date is None:
        raise ValidationError({"delivery_date": _("Promise a delivery date to confirm the order.")})
    if not today < date <= today + timedelta(days=MAX_DELIVERY_DAYS):
        raise ValidationError(
            {
                "delivery_date": _("Choose a date after today and within %(n)d days.")
                % {"n": MAX_DELIVERY_DAYS}
            }
        )


def guard_reason(bulk: BulkOrder, ctx: dict[str, Any]) -> None:
    reason = (ctx.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what went wrong, so staff can decide.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX_LENGTH}})


def guard_note(bulk: BulkOrder, ctx: dict[str, Any]) -> None:
    if len(ctx.get("reason") or "") > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX_LENGTH}})


def parties(bulk: BulkOrder) -> dict[str, User]:
    return {"buyer": bulk.buyer.user, "factory": bulk.factory.owner}


def describe(bulk: BulkOrder) -> dict[str, object]:
    return {
        "ref": str(bulk),
        "bulk_order_id": bulk.pk,
        "title": bulk.title,
        "buyer": bulk.buyer.display_name,
        "factory": bulk.factory.name,
        "quantity": bulk.quantity,
        "total": format_cny(bulk.total),
        "deposit": format_cny(bulk.deposit_amount),
        "balance": format_cny(bulk.balance_amount),
        "status": bulk.status,
        "delivery_date": bulk.delivery_date.isoformat() if bulk.delivery_date else "",
        "carrier": bulk.carrier,
        "tracking_number": bulk.tracking_number,
        "reason": bulk.dispute_reason if bulk.status == S.DISPUTED else bulk.note,
    }


TABLE = FlowTable(
    flow=FLOW,
    key_prefix="bulk",
    events={
        "confirm": BulkEvents.CONFIRMED,
        "decline": BulkEvents.DECLINED,
        "mark_deposit_paid": BulkEvents.DEPOSIT_PAID,
        "cancel": BulkEvents.CANCELLED,
        "lapse": BulkEvents.LAPSED,
        "start_production": BulkEvents.PRODUCTION_STARTED,
        "ship": BulkEvents.SHIPPED,
        "receive": BulkEvents.RECEIVED,
        "mark_balance_paid": BulkEvents.BALANCE_PAID,
        "complete": BulkEvents.COMPLETED,
        "dispute": BulkEvents.DISPUTED,
        "resume": BulkEvents.RESUMED,
        "cancel_with_refund": BulkEvents.CANCELLED_WITH_REFUND,
    },
    parties=parties,
    describe=describe,
    previous_field="disputed_from",
    rules={
        "confirm": Rule(guards=(guard_delivery_date,), stamp="confirmed_at", notify=("buyer",)),
        "decline": Rule(guards=(guard_note,), stamp="closed_at", notify=("buyer",)),
        "cancel": Rule(guards=(guard_note,), stamp="closed_at", notify=("buyer", "factory")),
        "lapse": Rule(stamp="closed_at", notify=("buyer", "factory")),
        "mark_deposit_paid": Rule(stamp="deposit_paid_at", notify=("buyer", "factory")),
        "start_production": Rule(stamp="production_started_at", notify=("buyer",)),
        "ship": Rule(guards=(guard_shipping,), stamp="shipped_at", notify=("buyer",)),
        "receive": Rule(stamp="received_at", notify=("factory",)),
        "mark_balance_paid": Rule(stamp="balance_paid_at", notify=("buyer", "factory")),
        "complete": Rule(stamp="closed_at", notify=("buyer", "factory")),
        "dispute": Rule(guards=(guard_reason,), stamp="disputed_at", notify=("buyer", "factory")),
        "resume": Rule(notify=("buyer", "factory")),
        "cancel_with_refund": Rule(stamp="closed_at", notify=("buyer", "factory")),
    },
    timed=[
        Timed("lapse", S.PLACED, "created_at", LAPSE_UNCONFIRMED),
        Timed("lapse", S.CONFIRMED, "confirmed_at", LAPSE_UNPAID),
        Timed("complete", S.BALANCE_PAID, "balance_paid_at", COMPLETE_AFTER),
    ],
)


@dataclass(frozen=True)
class Reminder:
    """Once an order has waited in `status` for `after` since `field`, tell `party` (once)."""

    status: str
    field: str
    after: timedelta
    party: str


REMINDERS = [
    Reminder(S.PLACED, "created_at", timedelta(hours=48), "factory"),  # confirm or decline
    Reminder(S.CONFIRMED, "confirmed_at", timedelta(days=3), "buyer"),  # pay the deposit
    Reminder(S.IN_PRODUCTION, "delivery_date", timedelta(0), "factory"),  # the promised date passed
    Reminder(S.SHIPPED, "shipped_at", timedelta(days=10), "buyer"),  # confirm receipt
    Reminder(S.RECEIVED, "received_at", timedelta(days=3), "buyer"),  # pay the balance
]
