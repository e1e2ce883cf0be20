"""Which domain events become webhook deliveries, and for whom.

The event rows every service writes (marketplace.core.events.event_record) are the source: a
listener registered there (no lower layer imports partners) looks up the row's model here. An
app above partners (trials) registers its models with `webhook_source_register`: the public
kind (`trial`, `sample`, `custom_request`, `quote`, `payment`) and how to find the streamer the
object concerns. Only organizations working for that streamer now (an active link) hear of it.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from django.db import models

from marketplace.core.models import Event
from marketplace.core.outbox import outbox_put

from ..models import LinkStatus, WebhookDelivery, WebhookSubscription

TOPIC = "webhook.delivery"
# What a subscription may ask for (docs/api.md "Webhooks").
PATTERNS = ("trial.*", "sample.*", "custom_request.*", "quote.*", "payment.*", "product.*")
# Event data that is the audit's business, not a partner's.
PRIVATE_DATA = frozenset({"address", "before", "after"})


@dataclass(frozen=True)
class Source:
    kind: str  # the public name of the object: the event type is "<kind>.<what happened>"
    buyer_of: Callable[[Any], int | None]  # the streamer (BuyerProfile id) the object concerns


_sources: dict[type[models.Model], Source] = {}


def webhook_source_register(model: type[models.Model], *, kind: str, buyer_of: Callable[[Any], int | None]):
    """Called from an app's AppConfig.ready(): events about `model` rows go to webhooks."""
    _sources[model] = Source(kind=kind, buyer_of=buyer_of)


def event_type(kind: str, verb: str) -> str:
    # "custom.quoted" about a quote → "quote.quoted"; "bulk.shipped" about a bulk order stays
    # under its registered kind ("trial.bulk.shipped" when bulk orders register as "trial.bulk").
    return f"{kind}.{verb.split('.', 1)[-1]}"


def matches(patterns: list[str], name: str) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def on_event(event: Event, target: models.Model) -> None:
    """The listener: delivery rows (and their outbox rows) in the transaction of the change."""
    source = _sources.get(type(target))
    if source is None:
        return
    buyer_id = source.buyer_of(target)
    if buyer_id is None:
        return
    name = event_type(source.kind, event.verb)
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(
            disabled_at__isnull=True,
            organization__streamer_links__buyer_id=buyer_id,
            organization__streamer_links__status=LinkStatus.ACTIVE,
        ).distinct()
        if matches(s.event_types, name)
    ]
    if not subscriptions:
        return
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "type": name,
        "created_at": event.created_at.isoformat(),
        "data": {
            "object": source.kind,
            "id": target.pk,
            "buyer": buyer_id,
            **{k: v for k, v in event.data.items() if k not in PRIVATE_DATA},
        },
    }
    object_key = f"{source.kind}:{target.pk}"
    for subscription in subscriptions:
        delivery = WebhookDelivery.objects.create(
            subscription=subscription,
            event_id=event_id,
            event_type=name,
            object_key=object_key,
            payload=payload,
        )
        outbox_put(TOPIC, {"delivery_id": delivery.pk})
