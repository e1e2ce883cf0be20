"""大货: every write to a BulkOrder. Each function locks the order and applies one transition of
flows/bulk.py; the two payments go through services/payments.py like a trial's."""

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from factories.models import Factory, Product
from marketplace.accounts.models import User
from marketplace.core.errors import ValidationError
from marketplace.core.events import event_record
from marketplace.core.validators import require_single_line, validate_order_total
from marketplace.money import quantize
from marketplace.notifications.services import notification_create

from ..events import BulkEvents
from ..flows.bulk import REMINDERS, TABLE, Reminder, describe
from ..models import BulkOrder, PaymentStatus, Quote, TrialOrder
from .bulk_steps import bulk_step
from .common import locked
from .payments import payments_cancel_open
from .refunds import refund_open

CENT = Decimal("0.01")


def bulk_split(total: Decimal, percent: int) -> tuple[Decimal, Decimal]:
    """(deposit, balance): `percent` of the total, half-up to the fen, and the rest, so the two
    always add up to the total; each at least one fen (the caller refuses totals below two)."""
    deposit = (total * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    deposit = min(max(deposit, CENT), total - CENT)
    return deposit, total - deposit


def bulk_order_create(
    *,
    actor: User,
    buyer: BuyerProfile,
    factory: Factory,
    product: Product | None,
    quantity: int,
    unit_price: Decimal,
    specification: dict[str, object],
    shipping_address: dict[str, str],
    **origin: TrialOrder | Quote,
) -> BulkOrder:
    """Inside the caller's transaction: the order at `unit_price` × `quantity`, split into the
    factory's deposit share and the balance. `origin` is `trial=` or `quote=`."""
    total = quantize(unit_price * quantity)
    try:
        validate_order_total(total)
    except ValidationError as error:
        raise ValidationError({"quantity": error.messages}) from error
    if total < 2 * CENT:
        raise ValidationError({"quantity": _("This order is too small to pay in a deposit and a balance.")})
    deposit, balance = bulk_split(total, factory.deposit_percent)
    bulk = BulkOrder.objects.create(
        buyer=buyer,
        factory=factory,
        product=product,
        quantity=quantity,
        unit_price=unit_price,
        total=total,
        deposit_percent=factory.deposit_percent,
        deposit_amount=deposit,
        balance_amount=balance,
        specification=specification,
        shipping_address=shipping_address,
        **origin,
    )
    event_record(
        actor=actor,
        verb=BulkEvents.CREATED,
        target=bulk,
        total=str(total),
        deposit=str(deposit),
        **{f"{name}_id": obj.pk for name, obj in origin.items()},
    )
    return bulk


def bulk_confirm(*, bulk: BulkOrder, actor: User, delivery_date: date | None) -> BulkOrder:
    def prepare(b: BulkOrder) -> list[str]:
        b.delivery_date = delivery_date
        return ["delivery_date"]

    return bulk_step(
        bulk=bulk, actor=actor, name="confirm", context={"delivery_date": delivery_date}, prepare=prepare
    )


def _with_note(name: str) -> Callable[..., BulkOrder]:
    def step(*, bulk: BulkOrder, actor: User, reason: str = "") -> BulkOrder:
        reason = (reason or "").strip()

        def prepare(b: BulkOrder) -> list[str]:
            b.note = reason
            return ["note"]

        with transaction.atomic():
            bulk = bulk_step(bulk=bulk, actor=actor, name=name, context={"reason": reason}, prepare=prepare)
            payments_cancel_open(order=bulk, actor=None)
        return bulk

    return step


bulk_decline = _with_note("decline")
bulk_cancel = _with_note("cancel")


def bulk_lapse(*, bulk: BulkOrder) -> BulkOrder:
    """Timed: nobody confirmed (7 days) or paid the deposit (14 days); a live attempt is voided."""
    with transaction.atomic():
        bulk = bulk_step(bulk=bulk, actor=None, name="lapse")
        payments_cancel_open(order=bulk, actor=None)
    return bulk


def bulk_start_production(*, bulk: BulkOrder, actor: User) -> BulkOrder:
    return bulk_step(bulk=bulk, actor=actor, name="start_production")


def bulk_ship(*, bulk: BulkOrder, actor: User, carrier: str, tracking_number: str) -> BulkOrder:
    require_single_line(
        {"carrier": carrier, "tracking_number": tracking_number}, ("carrier", "tracking_number")
    )

    def prepare(b: BulkOrder) -> list[str]:
        b.carrier, b.tracking_number = carrier.strip(), tracking_number.strip()
        return ["carrier", "tracking_number"]

    context = {"carrier": carrier, "tracking_number": tracking_number}
    return bulk_step(bulk=bulk, actor=actor, name="ship", context=context, prepare=prepare)


def bulk_receive(*, bulk: BulkOrder, actor: User) -> BulkOrder:
    return bulk_step(bulk=bulk, actor=actor, name="receive")


def bulk_complete(*, bulk: BulkOrder, actor: User | None) -> BulkOrder:
    return bulk_step(bulk=bulk, actor=actor, name="complete")


def bulk_dispute(*, bulk: BulkOrder, actor: User, reason: str) -> BulkOrder:
    reason = (reason or "").strip()

    def prepare(b: BulkOrder) -> list[str]:
        b.disputed_from, b.dispute_reason = b.status, reason
        return ["disputed_from", "dispute_reason"]

    return bulk_step(bulk=bulk, actor=actor, name="dispute", context={"reason": reason}, prepare=prepare)


def bulk_resume(*, bulk: BulkOrder, actor: User) -> BulkOrder:
    """Staff: the dispute is settled; the order goes on from the step it was in."""
    return bulk_step(bulk=bulk, actor=actor, name="resume")


def bulk_cancel_with_refund(*, bulk: BulkOrder, actor: User, reason: str = "") -> BulkOrder:
    """Staff decided the dispute for the buyer: the order is cancelled and every payment that came
    in goes back (Stripe through the outbox; a bank transfer becomes a refund staff pay by hand)."""
    reason = (reason or "").strip()

    def prepare(b: BulkOrder) -> list[str]:
        b.note = reason
        return ["note"]

    with transaction.atomic():
        bulk = bulk_step(
            bulk=bulk, actor=actor, name="cancel_with_refund", context={"reason": reason}, prepare=prepare
        )
        payments_cancel_open(order=bulk, actor=None)
        for payment in bulk.payments.select_for_update().filter(status=PaymentStatus.SUCCEEDED):
            refund_open(payment=payment)
    return bulk


def bulk_remind(*, bulk: BulkOrder, reminder: Reminder) -> bool:
    """Tell one side the order waits for them. Once per step: stamped with the status it was sent in."""
    with transaction.atomic():
        bulk = locked(BulkOrder, bulk.pk)
        if bulk.status != reminder.status or bulk.reminded_status == bulk.status:
            return False
        bulk.reminded_status = bulk.status
        bulk.save(update_fields=["reminded_status", "updated_at"])
        event_record(actor=None, verb=BulkEvents.REMINDED, target=bulk, status=bulk.status)
        recipient = TABLE.parties(bulk)[reminder.party]
        notification_create(
            recipient=recipient,
            kind=f"bulk.remind.{bulk.status}",
            key=f"bulk:{bulk.pk}:remind:{bulk.status}",
            data=describe(bulk),
        )
    return True


def bulk_reminders_due(now: datetime | None = None) -> Iterator[tuple[BulkOrder, Reminder]]:
    """(order, reminder) pairs whose wait has passed and that were not reminded in this step."""
    now = now or timezone.now()
    for reminder in REMINDERS:
        threshold = now - reminder.after
        field = BulkOrder._meta.get_field(reminder.field)
        if field.get_internal_type() == "DateField":
            # A promised date passes at the end of that day (local time).
            lookup = {f"{reminder.field}__lt": timezone.localdate(threshold)}
        else:
            lookup = {f"{reminder.field}__lte": threshold}
        due = BulkOrder.objects.filter(status=reminder.status, **lookup).exclude(
            reminded_status=reminder.status
        )
        for bulk in due.only("pk"):
            yield bulk, reminder
