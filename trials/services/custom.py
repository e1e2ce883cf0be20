"""定制: custom product requests, quotes, and the message thread."""

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from conversations.attachments import CheckedAttachment
from conversations.models import Message, TopicKind
from conversations.services import Notice, conversation_start, message_post
from factories.models import Category, CustomizationLevel, Factory, VerificationStatus
from marketplace.accounts.models import User
from marketplace.addresses.services import frozen_address
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.notifications.services import notification_create, notification_language
from search.fit import Fit
from search.matching_custom import factories_for_custom_request

from ..events import CustomEvents
from ..flows import transition_apply
from ..flows.custom import TABLE, describe
from ..models import (
    BulkOrder,
    CustomRequest,
    CustomRequestOffer,
    CustomStatus,
    Quote,
    QuoteStatus,
    TrialOrder,
)
from ..selectors import MAX_OFFERS
from .bulk import bulk_order_create
from .common import buyer_profile_of, locked


def fitting_factories(
    *, buyer: BuyerProfile, category: Category | None, target_unit_price: Decimal | str | None, quantity: int
) -> list[tuple[Factory, Fit]]:
    """The best-fitting verified, customizing factories for an open request, ranked by the search
    matching (search/matching_custom.py; the fit rules live in search/fit/), with their reasons.

    Reasons are worded for the streamer and stored, so they are rendered in the streamer's language."""
    with translation.override(notification_language(buyer.user)):
        return factories_for_custom_request(
            buyer=buyer,
            category_slug=category.slug if category else "",
            # Callers may hand the service the raw form value ("9.50"); the model would coerce it on save.
            target_unit_price=None if target_unit_price is None else Decimal(str(target_unit_price)),
            quantity=quantity,
            limit=MAX_OFFERS,
        )


def custom_request_create(*, actor: User, data: dict[str, Any]) -> CustomRequest:
    buyer = buyer_profile_of(actor)
    deadline = data["deadline"]
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    factory = None
    if data.get("factory"):
        factory = Factory.objects.filter(
            pk=data["factory"], verification_status=VerificationStatus.VERIFIED
        ).first()
        if factory is None:
            raise ValidationError({"factory": _("No such factory.")})
        if factory.customization == CustomizationLevel.NONE:
            raise ValidationError({"factory": _("This factory does not take custom orders.")})
    category = None
    if data.get("category"):
        category = Category.objects.filter(slug=data["category"]).first()
        if category is None:
            raise ValidationError({"category": _("Unknown category.")})
    with transaction.atomic():
        request = CustomRequest.objects.create(
            buyer=buyer,
            factory=factory,
            category=category,
            title=data["title"].strip(),
            requirements=data["requirements"].strip(),
            benchmark_url=data.get("benchmark_url") or "",
            target_unit_price=data.get("target_unit_price"),
            quantity=data["quantity"],
            deadline=deadline,
        )
        if factory is not None:
            targets = [factory]
        else:
            fits = fitting_factories(
                buyer=buyer,
                category=category,
                target_unit_price=request.target_unit_price,
                quantity=request.quantity,
            )
            CustomRequestOffer.objects.bulk_create(
                [
                    CustomRequestOffer(request=request, factory=f, rank=i, score=m.score, reasons=m.reasons)
                    for i, (f, m) in enumerate(fits)
                ]
            )
            targets = [f for f, _m in fits]
        event_record(
            actor=actor, verb=CustomEvents.REQUESTED, target=request, offered=[f.pk for f in targets]
        )
        for f in targets:
            notification_create(
                recipient=f.owner,
                kind="custom.offered",
                key=f"custom:{request.pk}:offered",
                data=describe(request),
            )
    return request


def custom_request_visible_to_factory(request: CustomRequest, factory: Factory | None) -> bool:
    if factory is None:  # a factory account that has not made its profile yet sees no request
        return False
    if request.factory_id is not None:
        return request.factory_id == factory.pk
    return request.offers.filter(factory=factory).exists()


def _require_buyer(request: CustomRequest, actor: User) -> None:
    if not actor.is_buyer or request.buyer.user_id != actor.pk:
        raise NotAllowed(_("This is not yours."))


def quote_submit(*, request: CustomRequest, actor: User, data: dict[str, Any]) -> Quote:
    factory = getattr(actor, "factory", None) if actor.is_factory else None
    if factory is None:
        raise NotAllowed(_("Only factory accounts can do this."))
    with transaction.atomic():
        request = locked(CustomRequest, request.pk)
        if not custom_request_visible_to_factory(request, factory):
            raise NotAllowed(_("This request was not sent to your factory."))
        # Past the deadline it is closed even if the beat task has not run yet.
        status = CustomStatus.CLOSED if request.deadline <= timezone.now() else request.status
        if status != CustomStatus.OPEN:
            raise TransitionNotAllowed(
                _("Cannot %(action)s: it is %(status)s.")
                % {"action": _("quote"), "status": CustomStatus(status).label}
            )
        if data["trial_quantity"] > data["moq"]:
            raise ValidationError({"trial_quantity": _("The trial run can't be larger than the MOQ.")})
        try:
            with transaction.atomic():
                quote = Quote.objects.create(request=request, factory=factory, **data)
        except IntegrityError:
            raise ValidationError({"detail": _("You have already quoted on this request.")}) from None
        request.quotes_count += 1
        request.save(update_fields=["quotes_count", "updated_at"])
        event_record(actor=actor, verb=CustomEvents.QUOTED, target=request, quote_id=quote.pk)
        notification_create(
            recipient=request.buyer.user,
            kind=CustomEvents.QUOTED,
            key=f"custom:{request.pk}:quote:{quote.pk}",
            data={
                **describe(request),
                "factory": factory.name,
                "unit_price": str(quote.unit_price),
                "moq": quote.moq,
                "lead_time_days": quote.lead_time_days,
            },
        )
        if request.quotes_count >= CustomRequest.MAX_QUOTES:
            transition_apply(table=TABLE, obj=request, name="close", actor=None)
    return quote


def custom_request_close(*, request: CustomRequest) -> CustomRequest:
    with transaction.atomic():
        request = locked(CustomRequest, request.pk)
        return transition_apply(table=TABLE, obj=request, name="close", actor=None)


def custom_request_cancel(*, request: CustomRequest, actor: User) -> CustomRequest:
    with transaction.atomic():
        request = locked(CustomRequest, request.pk)
        TABLE.check(obj=request, name="cancel", actor=actor)
        _require_buyer(request, actor)
        transition_apply(table=TABLE, obj=request, name="cancel", actor=actor)
        for quote in request.quotes.select_related("factory__owner"):
            notification_create(
                recipient=quote.factory.owner,
                kind=CustomEvents.CANCELLED,
                key=f"custom:{request.pk}:cancel",
                data=describe(request),
            )
    return request


def quote_accept(*, request: CustomRequest, quote_id: int, actor: User) -> TrialOrder:
    """The buyer picks one quote: it becomes a trial run at the quoted trial quantity."""
    from .trials import trial_create_from_quote

    with transaction.atomic():
        request, quote = _choose_quote(request=request, quote_id=quote_id, actor=actor)
        trial = trial_create_from_quote(quote=quote, actor=actor)
        notification_create(
            recipient=quote.factory.owner,
            kind="custom.quote_accepted",
            key=f"custom:{request.pk}:quote_accepted",
            data={**describe(request), "trial_ref": str(trial), "quantity": trial.quantity},
        )
    return trial


def quote_order(
    *, request: CustomRequest, quote_id: int, actor: User, quantity: int, address: int | None = None
) -> BulkOrder:
    """The buyer picks one quote and orders the goods at once, without a trial run (大货 at the
    quoted unit price, at least its MOQ); the factory confirms it like any bulk order."""
    from .trials import quote_specification

    with transaction.atomic():
        request, quote = _choose_quote(request=request, quote_id=quote_id, actor=actor, quantity=quantity)
        bulk = bulk_order_create(
            actor=actor,
            buyer=request.buyer,
            factory=quote.factory,
            product=None,
            quantity=quantity,
            unit_price=quote.unit_price,
            specification=quote_specification(quote),
            shipping_address=frozen_address(owner=actor, address_id=address),
            quote=quote,
        )
        notification_create(
            recipient=quote.factory.owner,
            kind="custom.quote_ordered",
            key=f"custom:{request.pk}:quote_accepted",
            data={**describe(request), "bulk_ref": str(bulk), "quantity": quantity},
        )
    return bulk


def _choose_quote(
    *, request: CustomRequest, quote_id: int, actor: User, quantity: int | None = None
) -> tuple[CustomRequest, Quote]:
    """Inside the caller's transaction: accept `quote_id` on the request, tell the other factories.
    Everything is checked before anything is written, so a refused choice changes nothing."""
    request = locked(CustomRequest, request.pk)
    TABLE.check(obj=request, name="accept", actor=actor)
    _require_buyer(request, actor)
    quote = Quote.objects.select_for_update().filter(pk=quote_id, request=request).first()
    if quote is None:
        raise ValidationError({"quote": _("No such quote on this request.")})
    if quantity is not None and quantity < quote.moq:
        raise ValidationError(
            {"quantity": _("A bulk order needs at least the MOQ of %(moq)d units.") % {"moq": quote.moq}}
        )
    transition_apply(table=TABLE, obj=request, name="accept", actor=actor)
    quote.status = QuoteStatus.ACCEPTED
    quote.save(update_fields=["status"])
    others = list(request.quotes.exclude(pk=quote.pk).select_related("factory__owner"))
    request.quotes.exclude(pk=quote.pk).update(status=QuoteStatus.NOT_CHOSEN)
    for other in others:
        notification_create(
            recipient=other.factory.owner,
            kind="custom.quote_not_chosen",
            key=f"custom:{request.pk}:quote_not_chosen",
            data=describe(request),
        )
    return request, quote


def custom_message_post(
    *,
    request: CustomRequest,
    actor: User,
    body: str,
    factory_id: int | None = None,
    attachment: CheckedAttachment | None = None,
) -> Message:
    """A message about the request, in the conversation of its streamer and one factory: the
    directed factory, or for an open request the offered factory the streamer names (a factory
    writes in its own). Bounds, rate limits and the notification are the conversation's."""
    if actor.is_buyer and request.buyer.user_id == actor.pk:
        factory = request.factory
        if factory is None:
            factory = (
                Factory.objects.filter(pk=factory_id, custom_request_offers__request=request).first()
                if factory_id is not None
                else None
            )
            if factory is None:
                raise ValidationError({"factory": _("Choose which offered factory you are writing to.")})
    elif actor.is_factory and custom_request_visible_to_factory(request, getattr(actor, "factory", None)):
        factory = actor.factory
    else:
        raise NotAllowed(_("This is not yours."))
    if not (body or "").strip() and attachment is None:
        raise ValidationError({"body": _("Write a message.")})
    conversation = conversation_start(
        actor=actor, buyer=request.buyer, factory=factory, require_verified=False
    )
    return message_post(
        conversation=conversation,
        actor=actor,
        body=body,
        topic=(TopicKind.CUSTOM_REQUEST, request.pk),
        attachment=attachment,
        notice=Notice(kind="custom.message", data=describe(request)),
    )
