"""A payment attempt as a table. People fire only `cancel` (the buyer, with the trial),
`succeed` for bank transfers (staff, who see the money arrive) and `expire` (staff, on an attempt
pending too long); Stripe's webhooks fire the rest."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import Role, User
from marketplace.core.errors import ValidationError
from marketplace.core.transitions import SYSTEM, Flow, FlowTable, Rule, transition
from marketplace.money import format_cny, to_fen

from ..events import PaymentEvents
from ..models import Payment, PaymentProvider, PaymentStatus

P = PaymentStatus

FLOW = Flow(
    "payment",
    [
        transition("process", [P.PENDING, P.FAILED], P.PROCESSING, [SYSTEM], label=gettext_lazy("process")),
        transition(
            "fail", [P.PENDING, P.PROCESSING], P.FAILED, [SYSTEM], label=gettext_lazy("mark as failed")
        ),
        # Staff close an attempt nobody completed (pending too long). Failed, not cancelled: it is
        # not voided at the provider, so money that still arrives moves it forward (`succeed`).
        transition("expire", [P.PENDING], P.FAILED, [], label=gettext_lazy("expire"), admin=[Role.STAFF]),
        transition(
            "succeed",
            [P.PENDING, P.PROCESSING, P.FAILED],
            P.SUCCEEDED,
            [SYSTEM, Role.STAFF],
            label=gettext_lazy("confirm"),
        ),
        transition(
            "cancel",
            [P.PENDING, P.PROCESSING, P.FAILED],
            P.CANCELED,
            [Role.BUYER, SYSTEM],
            label=gettext_lazy("cancel"),
        ),
        # Money that came in for a trial that could no longer be paid for went back (a Refund row
        # says how): Stripe's refund via the outbox (SYSTEM), a bank transfer by staff.
        transition(
            "refund",
            [P.SUCCEEDED, P.CANCELED],
            P.REFUNDED,
            [SYSTEM, Role.STAFF],
            label=gettext_lazy("mark refunded"),
        ),
    ],
    labels=dict(P.choices),
)


def guard_confirmation(payment: Payment, ctx: dict[str, Any]) -> None:
    """Staff confirm transfers only; a provider's confirmation must be for the full amount."""
    if ctx.get("by_staff") and payment.provider != PaymentProvider.BANK_TRANSFER:
        raise ValidationError(
            {
                "detail": _(
                    "Only bank transfers are confirmed by staff; card payments are confirmed by Stripe."
                )
            }
        )
    if "amount_fen" in ctx and (
        ctx["amount_fen"] != to_fen(payment.amount)
        or str(ctx.get("currency", "")).upper() != payment.currency
    ):
        raise ValidationError({"detail": _("The amount paid does not match the order.")})


def parties(payment: Payment) -> dict[str, User]:
    order = payment.order
    return {"buyer": order.buyer.user, "factory": order.factory.owner}


def describe(payment: Payment) -> dict[str, object]:
    order = payment.order
    return {
        "ref": str(order),
        "title": order.title,
        "amount": format_cny(payment.amount),
        "provider": payment.provider,
    }


TABLE = FlowTable(
    flow=FLOW,
    key_prefix="payment",
    events={
        "process": PaymentEvents.PROCESSING_STARTED,
        "fail": PaymentEvents.FAILED,
        "expire": PaymentEvents.EXPIRED,
        "succeed": PaymentEvents.SUCCEEDED,
        "cancel": PaymentEvents.CANCELLED,
        "refund": PaymentEvents.REFUNDED,
    },
    parties=parties,
    describe=describe,
    rules={
        "succeed": Rule(guards=(guard_confirmation,), stamp="succeeded_at"),
        # The trial's `mark_paid` tells both sides about success; a failure only the payer.
        "fail": Rule(notify=("buyer",)),
        "expire": Rule(notify=("buyer",)),
        # Both sides learn that the money went back (the factory saw the trial cancelled).
        "refund": Rule(notify=("buyer", "factory")),
    },
)
