from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from factories.models import Product, ProductStatus, VerificationStatus
from marketplace.accounts.models import User
from marketplace.addresses.services import frozen_address
from marketplace.core.errors import ValidationError
from marketplace.core.events import event_record
from marketplace.notifications.services import notification_create

from ..events import SampleEvents
from ..flows.sample import TABLE, describe
from ..models import SampleRequest
from . import records
from .common import buyer_profile_of, deal_step, locked

# Monthly sample cap by the streamer's monthly GMV (CNY): bigger sellers try more products.
SAMPLE_TIERS = [(Decimal("1000000"), 50), (Decimal("100000"), 20), (Decimal("0"), 5)]


def sample_monthly_cap(buyer: BuyerProfile) -> int:
    return next(cap for floor, cap in SAMPLE_TIERS if buyer.monthly_gmv >= floor)


def _month_start() -> datetime:
    now = timezone.localtime()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def sample_create(
    *, actor: User, product_id: int, note: str = "", address: int | None = None
) -> SampleRequest:
    buyer = buyer_profile_of(actor)
    product = Product.objects.select_related("factory__owner").filter(pk=product_id).first()
    if product is None:
        raise ValidationError({"product": _("No such product.")})
    if product.factory.verification_status != VerificationStatus.VERIFIED:
        raise ValidationError({"product": _("This factory is not verified.")})
    if product.status != ProductStatus.ACTIVE:
        raise ValidationError({"product": _("This product is not on sale.")})
    shipping_address = frozen_address(owner=actor, address_id=address)
    try:
        with transaction.atomic():
            # Lock the buyer so two requests can't both pass the monthly count (check-then-act).
            buyer = locked(BuyerProfile, buyer.pk)
            cap = sample_monthly_cap(buyer)
            used = SampleRequest.objects.filter(buyer=buyer, created_at__gte=_month_start()).count()
            if used >= cap:
                raise ValidationError(
                    {"detail": _("You have used all %(cap)d sample requests of this month.") % {"cap": cap}}
                )
            sample = SampleRequest.objects.create(
                buyer=buyer,
                factory=product.factory,
                product=product,
                note=note.strip(),
                shipping_address=shipping_address,
            )
            event_record(actor=actor, verb=SampleEvents.REQUESTED, target=sample)
            notification_create(
                recipient=product.factory.owner,
                kind=SampleEvents.REQUESTED,
                key=f"sample:{sample.pk}:requested",
                data=describe(sample),
            )
    except IntegrityError:
        raise ValidationError(
            {"detail": _("You already have an open sample request for this product.")}
        ) from None
    return sample


def _step(
    *,
    sample: SampleRequest,
    actor: User | None,
    name: str,
    context: dict[str, Any] | None = None,
    prepare: Callable[[SampleRequest], list[str]] | None = None,
) -> SampleRequest:
    def after(s: SampleRequest) -> None:
        if name in {"accept", "decline", "expire"}:
            records.factory_record_refresh(factory_id=s.factory_id)
        if name == "receive":
            records.buyer_record_refresh(buyer_id=s.buyer_id)

    return deal_step(
        SampleRequest,
        pk=sample.pk,
        table=TABLE,
        actor=actor,
        name=name,
        context=context,
        prepare=prepare,
        after=after,
    )


def sample_accept(*, sample: SampleRequest, actor: User) -> SampleRequest:
    return _step(sample=sample, actor=actor, name="accept")


def sample_decline(*, sample: SampleRequest, actor: User, reason: str = "") -> SampleRequest:
    def prepare(s: SampleRequest) -> list[str]:
        s.decline_reason = reason.strip()
        return ["decline_reason"]

    return _step(sample=sample, actor=actor, name="decline", prepare=prepare)


def sample_cancel(*, sample: SampleRequest, actor: User) -> SampleRequest:
    return _step(sample=sample, actor=actor, name="cancel")


def sample_expire(*, sample: SampleRequest) -> SampleRequest:
    return _step(sample=sample, actor=None, name="expire")


def sample_ship(*, sample: SampleRequest, actor: User, carrier: str, tracking_number: str) -> SampleRequest:
    def prepare(s: SampleRequest) -> list[str]:
        s.carrier, s.tracking_number = carrier.strip(), tracking_number.strip()
        return ["carrier", "tracking_number"]

    context = {"carrier": carrier, "tracking_number": tracking_number}
    return _step(sample=sample, actor=actor, name="ship", context=context, prepare=prepare)


def sample_receive(*, sample: SampleRequest, actor: User) -> SampleRequest:
    return _step(sample=sample, actor=actor, name="receive")
