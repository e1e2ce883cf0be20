"""Payments: start an attempt, confirm it (only the provider's confirmation marks a trial, or a
bulk order's deposit or balance, paid), and handle Stripe's webhooks, which arrive late, twice
and out of order.

Lock order everywhere: the order a payment is for (trial or bulk order), then the payment, then
a refund; a cancel, a webhook and a staff confirmation all take them in that order."""

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.accounts.models import Role, User
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.outbox import outbox_put
from marketplace.notifications.services import notification_create

from ..events import PaymentEvents
from ..flows import transition_apply
from ..flows.payment import TABLE
from ..models import (
    BulkOrder,
    BulkStatus,
    Payment,
    PaymentProvider,
    PaymentPurpose,
    PaymentStatus,
    StripeEvent,
    TrialOrder,
    TrialStatus,
)
from ..models.payment import FINAL_PAYMENT_STATUSES, LIVE_PAYMENT_STATUSES
from ..payments import get_provider
from .bulk_steps import bulk_mark_paid
from .common import locked, locked_order_of, require_party
from .refunds import refund_open
from .trial_steps import trial_mark_paid

PAYMENT_CANCEL_TOPIC = "payment.provider_cancel"


def _checked_provider(provider: str | None) -> str:
    provider = provider or settings.PAYMENT_PROVIDER
    if provider not in PaymentProvider.values:
        raise ValidationError({"provider": _("Choose stripe or bank_transfer.")})
    if provider == PaymentProvider.STRIPE and not settings.STRIPE_API_KEY:
        raise ValidationError({"provider": _("Card payments are not available here; choose bank_transfer.")})
    return provider


def _require_payer(order: TrialOrder | BulkOrder, actor: User, payable: bool) -> None:
    if actor.acting_role != Role.BUYER:
        raise NotAllowed(_("You are not allowed to %(action)s this.") % {"action": _("pay")})
    require_party(order, actor)
    if not payable:
        raise TransitionNotAllowed(
            _("Cannot %(action)s: it is %(status)s.")
            % {"action": _("pay"), "status": order.get_status_display()}
        )


def payment_start(*, trial: TrialOrder, actor: User, provider: str | None = None) -> Payment:
    """The buyer pays an accepted trial. Calling it again returns the same live attempt (same
    PaymentIntent), so a double click or a retried request never creates a second charge."""
    provider = _checked_provider(provider)
    with transaction.atomic():
        trial = locked(TrialOrder, trial.pk)
        _require_payer(trial, actor, trial.status == TrialStatus.ACCEPTED)
        return _attempt(
            order=trial,
            purpose=PaymentPurpose.TRIAL,
            amount=trial.total,
            provider=provider,
            actor=actor,
            key=f"trial-{trial.pk}",
        )


# What a bulk order pays in each status that owes money.
BULK_DUE: dict[str, tuple[str, str]] = {
    BulkStatus.CONFIRMED: (PaymentPurpose.DEPOSIT, "deposit_amount"),
    BulkStatus.RECEIVED: (PaymentPurpose.BALANCE, "balance_amount"),
}


def bulk_payment_start(*, bulk: BulkOrder, actor: User, provider: str | None = None) -> Payment:
    """The buyer pays what the bulk order owes now: the deposit once the factory confirmed, the
    balance once the goods arrived. Idempotent like a trial payment."""
    provider = _checked_provider(provider)
    with transaction.atomic():
        bulk = locked(BulkOrder, bulk.pk)
        _require_payer(bulk, actor, bulk.status in BULK_DUE)
        purpose, amount_field = BULK_DUE[bulk.status]
        return _attempt(
            order=bulk,
            purpose=purpose,
            amount=getattr(bulk, amount_field),
            provider=provider,
            actor=actor,
            key=f"bulk-{bulk.pk}-{purpose}",
        )


def _attempt(
    *, order: TrialOrder | BulkOrder, purpose: str, amount: Decimal, provider: str, actor: User, key: str
) -> Payment:
    """Inside the caller's transaction, `order` locked: the live attempt for `purpose` if it uses
    this provider, else a new one (voiding the other provider's: one live attempt at a time)."""
    attempts = order.payments.filter(purpose=purpose)
    live = attempts.select_for_update().filter(status__in=LIVE_PAYMENT_STATUSES).first()
    if live is not None and live.provider == provider:
        return live
    if live is not None and live.status == PaymentStatus.PROCESSING:
        raise TransitionNotAllowed(_("A payment for this order is being processed; wait for its result."))
    if live is not None:
        _payment_step(payment=live, name="cancel", actor=None)
    attempt = (attempts.order_by("-attempt").values_list("attempt", flat=True).first() or 0) + 1
    payment = Payment.objects.create(
        **{"trial" if purpose == PaymentPurpose.TRIAL else "bulk_order": order},
        purpose=purpose,
        provider=provider,
        attempt=attempt,
        idempotency_key=f"{key}-attempt-{attempt}",
        amount=amount,
    )
    # Inside the transaction on purpose: if the provider call fails, no attempt row remains;
    # the order's row lock keeps a concurrent `pay` waiting until this one has its intent.
    fields = get_provider(provider).start(payment)
    payment.save(update_fields=[*fields, "updated_at"])
    event_record(
        actor=actor,
        verb=PaymentEvents.STARTED,
        target=order,
        payment_id=payment.pk,
        provider=provider,
        purpose=purpose,
    )
    if provider == PaymentProvider.BANK_TRANSFER:
        instructions = get_provider(provider).details(payment)["instructions"]
        notification_create(
            recipient=order.buyer.user,
            kind="payment.instructions",
            key=f"payment:{payment.pk}:instructions",
            data={"ref": str(order), "title": order.title, **instructions},
        )
    return payment


def _payment_step(
    *, payment: Payment, name: str, actor: User | None, context: dict[str, Any] | None = None
) -> Payment:
    transition_apply(table=TABLE, obj=payment, name=name, actor=actor, context=context)
    if name == "cancel":
        # Voiding at the provider is a side effect: a row now, delivered after the commit.
        outbox_put(PAYMENT_CANCEL_TOPIC, {"payment_id": payment.pk})
    return payment


def payments_cancel_open(*, order: TrialOrder | BulkOrder, actor: User | None) -> None:
    """With the order (locked): void live attempts. One already processing can't be stopped."""
    for payment in order.payments.select_for_update().filter(status__in=LIVE_PAYMENT_STATUSES):
        if payment.status == PaymentStatus.PROCESSING:
            raise TransitionNotAllowed(
                _("A payment for this order is being processed; it can no longer be cancelled.")
            )
        _payment_step(payment=payment, name="cancel", actor=actor)


def _succeeded(payment: Payment) -> str:
    """The money is in: the order moves on, or, if it can no longer take it (cancelled meanwhile,
    a second attempt), the money goes back."""
    order = locked_order_of(payment)
    # Payment's check constraint: the trial purpose pays for a trial, the others for a bulk order.
    if isinstance(order, TrialOrder):
        if order.status != TrialStatus.ACCEPTED:
            refund_open(payment=payment)
            return "needs_refund"
        trial_mark_paid(trial=order)
        return "paid"
    if BULK_DUE.get(order.status, (None,))[0] != payment.purpose:
        refund_open(payment=payment)
        return "needs_refund"
    bulk_mark_paid(bulk=order, purpose=payment.purpose)
    return "paid"


def payment_confirm_received(*, payment: Payment, actor: User) -> Payment:
    """Staff saw the bank transfer arrive (admin action or API)."""
    if not actor.is_staff_member:
        raise NotAllowed(_("Only staff can do this."))
    with transaction.atomic():
        locked_order_of(payment)
        payment = locked(Payment, payment.pk)
        if payment.status == PaymentStatus.CANCELED and payment.provider == PaymentProvider.BANK_TRANSFER:
            # The transfer arrived after the order was cancelled: the money is ours to give back,
            # by hand (no API for a bank), so the refund is "due" for staff to settle.
            refund_open(payment=payment)
            return payment
        _payment_step(payment=payment, name="succeed", actor=actor, context={"by_staff": True})
        _succeeded(payment)
    return payment


STRIPE_EVENTS = {
    "payment_intent.processing": "process",
    "payment_intent.payment_failed": "fail",
    "payment_intent.succeeded": "succeed",
    "payment_intent.canceled": "cancel",
}


def stripe_event_handle(*, event: Mapping[str, Any]) -> str:  # a verified Stripe event (its JSON)
    """Apply one verified Stripe event at most once, and only ever forward. Returns the outcome."""
    created = datetime.fromtimestamp(int(event["created"]), tz=UTC)
    intent = event["data"]["object"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(event_id=event["id"], type=event["type"], created=created)
        except IntegrityError:
            return "duplicate"
        name = STRIPE_EVENTS.get(event["type"])
        payment = None
        if name and intent.get("object") == "payment_intent":
            found = Payment.objects.filter(provider_reference=intent["id"]).first()
            if found:
                locked_order_of(found)
                payment = locked(Payment, found.pk)
        outcome = _apply_stripe(payment=payment, name=name, created=created, intent=intent)
        record.payment = payment
        record.outcome = outcome
        record.save(update_fields=["payment", "outcome"])
    return outcome


def _apply_stripe(
    *, payment: Payment | None, name: str | None, created: datetime, intent: Mapping[str, Any]
) -> str:
    if name is None:
        return "ignored"
    if payment is None:
        return "unknown_payment"
    if name == "succeed" and payment.status == PaymentStatus.CANCELED:
        # We voided it, but the card was charged before Stripe got our cancel: money to refund.
        refund_open(payment=payment)
        return "needs_refund"
    if payment.status in FINAL_PAYMENT_STATUSES or (
        payment.last_event_at and created < payment.last_event_at
    ):
        return "stale"
    if name not in TABLE.flow.allowed_from(payment.status):
        return "stale"
    context = {"amount_fen": intent.get("amount"), "currency": intent.get("currency")}
    try:
        with transaction.atomic():
            payment.last_event_at = created
            transition_apply(
                table=TABLE,
                obj=payment,
                name=name,
                actor=None,
                context=context,
                extra_fields=["last_event_at"],
            )
    except ValidationError:
        event_record(
            actor=None, verb=PaymentEvents.AMOUNT_MISMATCH, target=payment.order, payment_id=payment.pk
        )
        return "amount_mismatch"
    if name == "succeed":
        return _succeeded(payment)
    return name
