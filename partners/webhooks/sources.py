"""Which domain events become webhook deliveries, and for whom.

The event rows every service writes (marketplace.core.events.event_record) are the source: a
listener registered there (no lower layer imports partners) looks up the row's model here. An
app above partners (trials) registers its models with `webhook_source_register`: the public
kind (`trial`, `sample`, `custom_request`, `quote`, `payment`) and how to find the streamer the
object concerns. Only organizations working for that streamer now (an active link) hear of it.
Partners itself registers factories' products (`product`, issue 12): those events go to the
subscriptions of the factory that owns the product.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from django.db import models

from marketplace.core.compiled import CompiledQuery
from marketplace.core.models import Event
from marketplace.core.outbox import outbox_put

from ..models import LinkStatus, WebhookDelivery, WebhookSubscription

TOPIC = "webhook.delivery"
# What a subscription may ask for (docs/api.md "Webhooks").
PATTERNS = ("trial.*", "sample.*", "custom_request.*", "quote.*", "payment.*", "product.*")
# A factory's own subscription hears of its products only.
FACTORY_PATTERNS = ("product.*",)
# Event data that is the audit's business, not a partner's: which member or key of which
# organization acted is not told to the other organizations that work for the same streamer.
PRIVATE_DATA = frozenset({"address", "before", "after", "member", "key"})


@dataclass(frozen=True)
class Source:
    kind: str  # the public name of the object: the event type is "<kind>.<what happened>"
    # Whose subscriptions hear of it: the streamer (BuyerProfile id) the object concerns, whose
    # organizations hear; or the factory (Factory id) that owns it, whose own subscriptions hear.
    buyer_of: Callable[[Any], int | None] | None = None
    factory_of: Callable[[Any], int | None] | None = None


_sources: dict[type[models.Model], Source] = {}


def webhook_source_register(
    model: type[models.Model],
    *,
    kind: str,
    buyer_of: Callable[[Any], int | None] | None = None,
    factory_of: Callable[[Any], int | None] | None = None,
) -> None:
    """Called from an app's AppConfig.ready(): events about `model` rows go to webhooks."""
    if (buyer_of is None) == (factory_of is None):
        raise ValueError("A webhook source names either its streamer or its factory.")
    _sources[model] = Source(kind=kind, buyer_of=buyer_of, factory_of=factory_of)


def event_type(kind: str, verb: str) -> str:
    # "custom.quoted" about a quote → "quote.quoted"; "bulk.shipped" about a bulk order stays
    # under its registered kind ("trial.bulk.shipped" when bulk orders register as "trial.bulk").
    return f"{kind}.{verb.split('.', 1)[-1]}"


def matches(patterns: list[str], name: str) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def _payload(event: Event, source: Source, target: models.Model, owner: dict[str, int]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": event_type(source.kind, event.verb),
        "created_at": event.created_at.isoformat(),
        "data": {
            "object": source.kind,
            "id": target.pk,
            **owner,
            **{k: v for k, v in event.data.items() if k not in PRIVATE_DATA},
        },
    }


def _delivery(subscription: WebhookSubscription, payload: dict[str, Any], object_key: str) -> WebhookDelivery:
    return WebhookDelivery(
        subscription=subscription,
        event_id=payload["id"],
        event_type=payload["type"],
        object_key=object_key,
        payload=payload,
    )


# The live subscriptions of the organizations working for a streamer: asked on every event of a
# streamer's trial, sample, … (most streamers have none), so compiled once (marketplace/core/compiled.py).
_STREAMERS_SUBSCRIPTIONS = CompiledQuery(
    lambda buyer_id: WebhookSubscription.objects.filter(
        disabled_at__isnull=True,
        organization__streamer_links__buyer_id=buyer_id,
        organization__streamer_links__status=LinkStatus.ACTIVE,
    ).distinct(),
    -7_300_000_004,  # no streamer has a negative key
)


def on_event(event: Event, target: models.Model) -> None:
    """The listener: delivery rows (and their outbox rows) in the transaction of the change."""
    source = _sources.get(type(target))
    if source is None:
        return
    if source.buyer_of is None:
        on_events([(event, target)])
        return
    buyer_id = source.buyer_of(target)
    if buyer_id is None:
        return
    name = event_type(source.kind, event.verb)
    subscriptions = [s for s in _STREAMERS_SUBSCRIPTIONS.all(buyer_id) if matches(s.event_types, name)]
    if not subscriptions:
        return
    payload = _payload(event, source, target, {"buyer": buyer_id})
    for subscription in subscriptions:
        delivery = _delivery(subscription, payload, f"{source.kind}:{target.pk}")
        delivery.save()
        outbox_put(TOPIC, {"delivery_id": delivery.pk})


def on_events(pairs: list[tuple[Event, models.Model]]) -> None:
    """The batch listener (events_record: a catalog import). Factory-owned objects: one query for
    the subscriptions of every factory concerned and one INSERT for all their deliveries, however
    many events (each factory has at most WEBHOOK_MAX_PER_FACTORY subscriptions). No outbox row
    per delivery: beat's webhooks_send_due sends pending deliveries oldest first within 30 s."""
    owned: list[tuple[Event, models.Model, Source, int]] = []
    for event, target in pairs:
        source = _sources.get(type(target))
        if source is None:
            continue
        if source.factory_of is None:
            on_event(event, target)
            continue
        factory_id = source.factory_of(target)
        if factory_id is not None:
            owned.append((event, target, source, factory_id))
    if not owned:
        return
    by_factory: dict[int, list[WebhookSubscription]] = {}
    for subscription in WebhookSubscription.objects.filter(
        disabled_at__isnull=True, factory_id__in={factory_id for *_rest, factory_id in owned}
    ).order_by("pk"):
        by_factory.setdefault(subscription.factory_id or 0, []).append(subscription)
    deliveries = []
    for event, target, source, factory_id in owned:
        name = event_type(source.kind, event.verb)
        hearing = [s for s in by_factory.get(factory_id, []) if matches(s.event_types, name)]
        if hearing:
            payload = _payload(event, source, target, {"factory": factory_id})
            deliveries += [_delivery(s, payload, f"{source.kind}:{target.pk}") for s in hearing]
    if len(pairs) == 1 and deliveries:
        # One event (a form, the API): sent right after the commit, like the streamers' events.
        for delivery in deliveries:
            delivery.save()
            outbox_put(TOPIC, {"delivery_id": delivery.pk})
    elif deliveries:
        WebhookDelivery.objects.bulk_create(deliveries)
