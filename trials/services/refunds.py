"""Refunds: money that came in for an order that could no longer take it goes back (a trial
cancelled meanwhile, a second attempt), and what a bulk order's buyer paid when staff cancel it
after a dispute.

Stripe (a card charged before our void reached it, the webhook arriving after the cancel): the
service opens a Refund row and an outbox row in the webhook's transaction; the Refund API call
happens after the commit, in the outbox delivery (`refund_at_provider`), retried by the relay
while Stripe is unreachable. Never twice: one Refund per payment (a one-to-one in the database),
the delivery locks the row and does nothing unless it is still pending, the outbox claims its row
exactly once, and the provider finds a refund it already made under our idempotency key.

Bank transfer (staff confirm a transfer whose trial was cancelled): we cannot send money back by
API, so the refund is "due" and staff settle it by hand, then record the bank reference with the
admin action "mark refunded" (`refund_mark_settled`). The buyer is told it is due.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.outbox import outbox_put
from marketplace.core.validators import require_single_line
from marketplace.money import format_cny
from marketplace.notifications.services import notification_create

from ..events import PaymentEvents
from ..flows import transition_apply
from ..flows.payment import TABLE
from ..models import Payment, PaymentProvider, Refund, RefundStatus
from ..payments import get_provider
from .common import locked, locked_order_of

PAYMENT_REFUND_TOPIC = "payment.refund"
REFERENCE_MAX_LENGTH = 64


def refund_open(*, payment: Payment) -> Refund:
    """Inside the caller's transaction (payment locked): owe the buyer their money back, once."""
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                payment=payment,
                amount=payment.amount,
                currency=payment.currency,
                idempotency_key=f"refund-payment-{payment.pk}",
                status=RefundStatus.DUE
                if payment.provider == PaymentProvider.BANK_TRANSFER
                else RefundStatus.PENDING,
            )
    except IntegrityError:
        return Refund.objects.get(payment=payment)  # already owed (a webhook delivered twice)
    order = payment.order
    event_record(
        actor=None,
        verb=PaymentEvents.NEEDS_REFUND,
        target=order,
        payment_id=payment.pk,
        refund_id=refund.pk,
        refund_status=refund.status,
    )
    if refund.status == RefundStatus.PENDING:
        outbox_put(PAYMENT_REFUND_TOPIC, {"refund_id": refund.pk})
    else:
        notification_create(
            recipient=order.buyer.user,
            kind="payment.refund_due",
            key=f"payment:{payment.pk}:refund_due",
            data={"ref": str(order), "title": order.title, "amount": format_cny(refund.amount)},
        )
    return refund


def refund_at_provider(*, refund_id: int) -> bool:
    """The outbox delivery: refund at the provider and record it. True when this call did it.

    Runs inside the transaction that marks the outbox row delivered; if the provider call raises,
    nothing is recorded and the row stays pending for the relay.
    """
    found = Refund.objects.select_related("payment").filter(pk=refund_id).first()
    if found is None:
        return False
    with transaction.atomic():
        # Lock order as everywhere: the order, payment (as a cancel or a webhook), then the refund.
        locked_order_of(found.payment)
        payment = locked(Payment, found.payment_id)
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.status != RefundStatus.PENDING:
            return False
        refund.provider_reference = get_provider(payment.provider).refund(payment, refund)
        _settled(refund=refund, payment=payment, actor=None)
    return True


def refund_mark_settled(*, refund: Refund, actor: User, reference: str) -> Refund:
    """Staff paid a bank transfer back by hand and record the bank's reference."""
    if not actor.is_staff_member:
        raise NotAllowed(_("Only staff can do this."))
    require_single_line({"reference": reference}, ("reference",))
    reference = (reference or "").strip()
    if not reference or len(reference) > REFERENCE_MAX_LENGTH:
        raise ValidationError(
            {
                "reference": _("Enter the bank reference of the refund (at most %(n)d characters).")
                % {"n": REFERENCE_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        payment_id = Refund.objects.values_list("payment_id", flat=True).get(pk=refund.pk)
        locked_order_of(Payment.objects.get(pk=payment_id))
        payment = locked(Payment, payment_id)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != RefundStatus.DUE:
            raise TransitionNotAllowed(
                _("Cannot %(action)s: it is %(status)s.")
                % {"action": _("mark refunded"), "status": refund.get_status_display()}
            )
        refund.reference = reference
        _settled(refund=refund, payment=payment, actor=actor)
    return refund


def _settled(*, refund: Refund, payment: Payment, actor: User | None) -> None:
    refund.status = RefundStatus.SUCCEEDED
    refund.refunded_at = timezone.now()
    refund.refunded_by = actor
    refund.save(update_fields=["status", "refunded_at", "refunded_by", "provider_reference", "reference"])
    # The payment flow records `payment.refund` and tells buyer and factory (once per payment).
    transition_apply(table=TABLE, obj=payment, name="refund", actor=actor)
