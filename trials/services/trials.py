"""五折试销: every write to a TrialOrder. Each function locks the trial, applies one transition of
flows/trial.py and refreshes the records that transition feeds."""

from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factories.models import Product, ProductStatus, VerificationStatus
from marketplace.accounts.models import User
from marketplace.addresses.services import frozen_address
from marketplace.core.compiled import CompiledQuery
from marketplace.core.errors import ValidationError
from marketplace.core.events import event_record
from marketplace.core.validators import validate_order_total
from marketplace.money import half_price, quantize
from marketplace.notifications.services import notification_create

from ..events import TrialEvents
from ..flows import transition_apply
from ..flows.trial import TABLE, describe
from ..models import BulkOrder, Quote, TrialOrder, TrialStatus
from . import records
from .bulk import bulk_order_create
from .common import buyer_profile_of, locked, require_party
from .payments import payments_cancel_open
from .trial_steps import trial_mark_paid, trial_step

# `trial_mark_paid` lives in trial_steps (the payment service calls it); re-exported here.
__all__ = ["trial_mark_paid"]


def trial_price(*, factory_price: Decimal, quantity: int) -> tuple[Decimal, Decimal]:
    """(unit price, total): half the factory price, half-up to the fen, times the quantity."""
    unit = half_price(factory_price)
    return unit, _bounded_total(unit, quantity)


def _bounded_total(unit: Decimal, quantity: int) -> Decimal:
    """unit × quantity, refused (400 on the quantity) when it would not fit the total column."""
    total = quantize(unit * quantity)
    try:
        validate_order_total(total)
    except ValidationError as error:
        raise ValidationError({"quantity": error.messages}) from error
    return total


def _product_guards(product: Product | None, quantity: int) -> Product:
    if product is None:
        raise ValidationError({"product": _("No such product.")})
    factory = product.factory
    if factory.verification_status != VerificationStatus.VERIFIED:
        raise ValidationError({"product": _("This factory is not verified.")})
    if product.status != ProductStatus.ACTIVE:
        raise ValidationError({"product": _("This product is not on sale.")})
    if not product.trial_eligible:
        # xgettext:no-python-format
        raise ValidationError({"product": _("This product is not offered for 50%-off trials.")})
    if not factory.accepts_trials:
        raise ValidationError({"product": _("This factory is not accepting trials right now.")})
    if not 1 <= quantity <= factory.max_trial_quantity:
        raise ValidationError(
            {"quantity": _("Choose between 1 and %(max)d units.") % {"max": factory.max_trial_quantity}}
        )
    return product


def bulk_unit_price(trial: TrialOrder, quantity: int | None = None) -> Decimal:
    """The full price per unit a bulk order after this trial pays: the approved price buyers can see.

    A live (active) listing shows its approved price; a new price waits in a revision and is not
    on the row until staff approve it. A listing that is not live (delisted, taken down) shows
    buyers no price at all, and its row may hold changes nobody reviewed: then the order keeps the
    factory price frozen on the trial when it was requested (it was the live, approved price then).
    A custom product's price is the accepted quote.
    """
    product = trial.product
    if product is None:
        return trial.of_quote.unit_price
    if product.status == ProductStatus.ACTIVE:
        # The volume price of the quantity ordered (阶梯价); at the MOQ, the factory price.
        return product.price_for(quantity or trial.moq)
    return trial.factory_price


def bulk_order_preview(trial: TrialOrder) -> dict[str, object]:
    """What a bulk order would cost, shown before the buyer confirms (API field and trial page):
    the unit price `trial_convert` will charge, the minimum quantity, and the total at that minimum."""
    unit = bulk_unit_price(trial)
    product = trial.product
    live = product is not None and product.status == ProductStatus.ACTIVE
    tiers = (
        product.all_price_tiers
        if product is not None and live
        else [{"min_quantity": trial.moq, "unit_price": unit}]
    )
    return {
        "unit_price": unit,
        "min_quantity": trial.moq,
        "min_total": quantize(unit * trial.moq),
        "price_tiers": tiers,
    }


# The product with its factory and owner, compiled once (marketplace/core/compiled.py): the
# busiest write of the load run (issue 11) spent more CPU compiling this join than running it.
_PRODUCT = CompiledQuery(
    lambda pk: Product.objects.select_related("factory__owner").filter(pk=pk).order_by("pk")[:1],
    -7_300_000_002,  # no product has a negative key
)


def trial_create(*, actor: User, product_id: int, quantity: int, address: int | None = None) -> TrialOrder:
    """A buyer asks for a trial. The price and the address are frozen now; the factory has 72
    hours to answer."""
    buyer = buyer_profile_of(actor)
    product = _product_guards(_PRODUCT.first(product_id), quantity)
    shipping_address = frozen_address(owner=actor, address_id=address)
    unit, total = trial_price(factory_price=product.factory_price, quantity=quantity)
    try:
        with transaction.atomic():
            trial = TrialOrder.objects.create(
                buyer=buyer,
                factory=product.factory,
                product=product,
                quantity=quantity,
                factory_price=product.factory_price,
                unit_price=unit,
                total=total,
                trial_days=product.factory.trial_days,
                shipping_address=shipping_address,
            )
            event_record(
                actor=actor, verb=TrialEvents.REQUESTED, target=trial, quantity=quantity, total=str(total)
            )
            notification_create(
                recipient=product.factory.owner,
                kind=TrialEvents.REQUESTED,
                key=f"trial:{trial.pk}:requested",
                data=describe(trial),
            )
    except IntegrityError:
        # The partial unique index: another open trial of this product exists (maybe created by
        # a concurrent identical request a moment ago).
        raise ValidationError({"detail": _("You already have an open trial of this product.")}) from None
    # A new trial has no bulk order: say so, so whoever shows it does not ask the database.
    TrialOrder.bulk_order.related.set_cached_value(trial, None)
    return trial


def _specification(trial: TrialOrder) -> dict[str, object]:
    product = trial.product
    if product is not None:
        return {
            "title": product.title,
            "description": product.description,
            "category": product.category.slug,
            "factory_price": str(product.factory_price),
            "attributes": product.attributes,
            "image_ids": list(product.images.values_list("pk", flat=True)),
            "product_updated_at": product.updated_at.isoformat(),
        }
    return quote_specification(trial.of_quote)


def quote_specification(quote: Quote) -> dict[str, object]:
    """What a custom product's trial run or order must match: the request and the accepted quote."""
    return {
        "title": quote.request.title,
        "requirements": quote.request.requirements,
        "benchmark_url": quote.request.benchmark_url,
        "proposal": quote.proposal,
        "quote_id": quote.pk,
        "unit_price": str(quote.unit_price),
    }


def trial_accept(*, trial: TrialOrder, actor: User) -> TrialOrder:
    def prepare(t: TrialOrder) -> list[str]:
        t.specification = _specification(t)
        return ["specification"]

    return trial_step(trial=trial, actor=actor, name="accept", prepare=prepare)


def trial_decline(*, trial: TrialOrder, actor: User) -> TrialOrder:
    return trial_step(trial=trial, actor=actor, name="decline")


def trial_cancel(*, trial: TrialOrder, actor: User) -> TrialOrder:
    was: list[str] = []

    def prepare(t: TrialOrder) -> list[str]:
        was.append(t.status)  # read under the row lock, before the transition moves it
        return []

    def void_payments(t: TrialOrder) -> None:
        # A payment starts only for an accepted trial, under this same lock (payment_start): a
        # trial cancelled while still requested has no attempt to void, so no query looks for one.
        if was != [TrialStatus.REQUESTED]:
            payments_cancel_open(order=t, actor=actor)

    return trial_step(trial=trial, actor=actor, name="cancel", prepare=prepare, also=void_payments)


def trial_expire(*, trial: TrialOrder) -> TrialOrder:
    return trial_step(trial=trial, actor=None, name="expire")


def trial_ship(*, trial: TrialOrder, actor: User, carrier: str, tracking_number: str) -> TrialOrder:
    def prepare(t: TrialOrder) -> list[str]:
        t.carrier, t.tracking_number = carrier.strip(), tracking_number.strip()
        return ["carrier", "tracking_number"]

    context = {"carrier": carrier, "tracking_number": tracking_number}
    return trial_step(trial=trial, actor=actor, name="ship", context=context, prepare=prepare)


def trial_receive(*, trial: TrialOrder, actor: User) -> TrialOrder:
    def prepare(t: TrialOrder) -> list[str]:
        # The window starts when the goods arrive, not when they were paid for.
        t.received_at = timezone.now()
        t.window_ends_at = t.received_at + timedelta(days=t.trial_days)
        return ["received_at", "window_ends_at"]

    return trial_step(trial=trial, actor=actor, name="receive", prepare=prepare)


def trial_feedback(
    *, trial: TrialOrder, actor: User, units_sold: int, units_returned: int, rating: int, comment: str = ""
) -> TrialOrder:
    def prepare(t: TrialOrder) -> list[str]:
        t.units_sold, t.units_returned, t.rating, t.comment = units_sold, units_returned, rating, comment
        return ["units_sold", "units_returned", "rating", "comment"]

    context = {"units_sold": units_sold, "units_returned": units_returned, "rating": rating}
    return trial_step(trial=trial, actor=actor, name="feedback", context=context, prepare=prepare)


def trial_convert(*, trial: TrialOrder, actor: User, quantity: int, address: int | None = None) -> BulkOrder:
    """Sign the bulk order at the full price, carrying the trial's approved specification, to the
    chosen address (else the streamer's default now: the trial's may have been a studio's)."""
    with transaction.atomic():
        trial = locked(TrialOrder, trial.pk)
        require_party(trial, actor)
        # Check first so a refused conversion creates no order.
        TABLE.check(obj=trial, name="convert", actor=actor)
        for guard in TABLE.rule("convert").guards:
            guard(trial, {"quantity": quantity})
        bulk = bulk_order_create(
            actor=actor,
            buyer=trial.buyer,
            factory=trial.factory,
            product=trial.product,
            quantity=quantity,
            unit_price=bulk_unit_price(trial, quantity),
            specification=trial.specification,
            shipping_address=frozen_address(owner=actor, address_id=address),
            trial=trial,
        )
        trial.bulk_order = bulk
        transition_apply(table=TABLE, obj=trial, name="convert", actor=actor, context={"quantity": quantity})
        records.after_trial_transition(trial=trial, name="convert")
    return bulk


def trial_end(*, trial: TrialOrder, actor: User | None) -> TrialOrder:
    return trial_step(trial=trial, actor=actor, name="end")


def trial_end_unreported(*, trial: TrialOrder) -> TrialOrder:
    return trial_step(trial=trial, actor=None, name="end_unreported")


def trial_create_from_quote(*, quote: Quote, actor: User) -> TrialOrder:
    """A trial run of an accepted custom quote: already agreed by both sides, so it starts accepted."""
    request = quote.request
    unit, total = trial_price(factory_price=quote.unit_price, quantity=quote.trial_quantity)
    trial = TrialOrder(
        buyer=request.buyer,
        factory=quote.factory,
        quote=quote,
        quantity=quote.trial_quantity,
        factory_price=quote.unit_price,
        unit_price=unit,
        total=total,
        trial_days=quote.factory.trial_days,
        shipping_address=frozen_address(owner=request.buyer.user, address_id=None),
        status=TrialStatus.ACCEPTED,
        responded_at=timezone.now(),
    )
    trial.specification = _specification(trial)
    trial.save()
    event_record(actor=actor, verb=TrialEvents.REQUESTED, target=trial, quote_id=quote.pk, total=str(total))
    return trial


def trial_remind(*, trial: TrialOrder) -> bool:
    """Tell the buyer the window closes soon. Idempotent: stamped once, notified once."""
    with transaction.atomic():
        trial = locked(TrialOrder, trial.pk)
        if trial.status != TrialStatus.IN_TRIAL or trial.reminded_at is not None:
            return False
        trial.reminded_at = timezone.now()
        trial.save(update_fields=["reminded_at", "updated_at"])
        event_record(actor=None, verb=TrialEvents.REMINDED, target=trial)
        notification_create(
            recipient=trial.buyer.user,
            kind="trial.reminder",
            key=f"trial:{trial.pk}:reminder",
            data=describe(trial),
        )
    return True
