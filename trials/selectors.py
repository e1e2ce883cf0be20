from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from conversations.models import Message, TopicKind
from conversations.selectors import topic_messages
from marketplace.accounts.models import Role, User
from marketplace.core.events import events_for
from marketplace.core.models import Event
from marketplace.money import half_price, quantize
from search.matching_custom import factories_for_custom_request

from .models import BulkOrder, CustomRequest, Quote, SampleRequest, TrialOrder

M = TypeVar("M", bound=Model)


def _sides(
    user: User, qs: QuerySet[M], buyer_path: str = "buyer__user", factory_path: str = "factory__owner"
) -> QuerySet[M]:
    """Either side of a deal sees it; staff see all; anyone else sees nothing (→ 404)."""
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff_member:
        return qs
    return qs.filter(Q(**{buyer_path: user}) | Q(**{factory_path: user}))


def trial_visible_to(user: User) -> QuerySet[TrialOrder]:
    qs = TrialOrder.objects.select_related(
        "buyer__user", "factory__owner", "product", "quote__request", "bulk_order"
    )
    return _sides(user, qs)


def bulk_order_visible_to(user: User) -> QuerySet[BulkOrder]:
    qs = BulkOrder.objects.select_related("trial", "product", "buyer__user", "factory__owner")
    return _sides(user, qs.prefetch_related("payments"))


def sample_visible_to(user: User) -> QuerySet[SampleRequest]:
    return _sides(user, SampleRequest.objects.select_related("buyer__user", "factory__owner", "product"))


def custom_request_visible_to(user: User) -> QuerySet[CustomRequest]:
    qs = CustomRequest.objects.select_related("buyer__user", "factory", "category")
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff_member:
        return qs
    if user.is_factory:
        return qs.filter(Q(factory__owner=user) | Q(offers__factory__owner=user)).distinct()
    return qs.filter(buyer__user=user)


def quotes_for(*, request: CustomRequest, user: User) -> QuerySet[Quote]:
    qs = request.quotes.select_related("factory")
    if user.is_factory:
        return qs.filter(factory__owner=user)
    return qs


def quotes_compared(*, request: CustomRequest, quotes: Iterable[Quote]) -> list[dict[str, Any]]:
    """Side by side, normalized: what the requested quantity would cost (at least the MOQ),
    the unit price at MOQ, lead time, and the trial run's cost; cheapest total first."""
    rows = []
    for quote in quotes:
        units = max(request.quantity, quote.moq)
        rows.append(
            {
                "quote": quote,
                "total_for_quantity": quantize(quote.unit_price * units),
                "units_priced": units,
                "unit_price_at_moq": quantize(quote.unit_price),
                "meets_quantity": quote.moq <= request.quantity,
                "lead_time_days": quote.lead_time_days,
                "trial_unit_price": half_price(quote.unit_price),
                "trial_total": quantize(half_price(quote.unit_price) * quote.trial_quantity),
                "within_target": (
                    None
                    if request.target_unit_price is None
                    else quote.unit_price <= request.target_unit_price
                ),
            }
        )
    return sorted(rows, key=lambda r: (r["total_for_quantity"], r["lead_time_days"], r["quote"].pk))


def messages_for(*, request: CustomRequest, user: User) -> QuerySet[Message]:
    """The request's thread as `user` may read it: a factory its own conversation's messages only,
    the streamer every factory's (conversations/selectors.py, topic_messages)."""
    return topic_messages(kind=TopicKind.CUSTOM_REQUEST, topic_id=request.pk, user=user)


# How many factories an open request is offered to (the best-fitting ones).
MAX_OFFERS = 20


def custom_request_reach(request: CustomRequest) -> dict[str, Any] | None:
    """For the streamer of an open request: how many factories it was offered to and, when that is
    nobody, how to widen it so it reaches some (the parent category, then any category), with how
    many factories each would reach (at most MAX_OFFERS are offered). Price and quantity never
    keep a factory out (they only rank), so the category is what there is to widen."""
    if not request.is_open_request:
        return None
    offered = len(request.offers.all())  # prefetched by the API and the page
    widen = []
    category = request.category
    if offered == 0 and request.status == "open" and category is not None:
        wider = [category.parent, None] if category.parent_id else [None]
        for category in wider:
            fits = factories_for_custom_request(
                buyer=request.buyer,
                category_slug=category.slug if category else "",
                target_unit_price=request.target_unit_price,
                quantity=request.quantity,
                limit=MAX_OFFERS,
            )
            if fits:  # the narrowest widening that reaches anyone
                widen.append({"category": category.slug if category else None, "factories": len(fits)})
                break
    return {"offered": offered, "widen": widen}


def custom_request_events_for(request: CustomRequest, user: User) -> QuerySet[Event]:
    """The request's history as `user` may read it: a factory answering an open request sees the
    streamer's, the staff's and its own steps, never another factory's (who else quoted, and how many)."""
    events = events_for(request)
    if user.is_factory and request.is_open_request:
        events = events.exclude(Q(actor__role=Role.FACTORY) & ~Q(actor=user))
    return events
