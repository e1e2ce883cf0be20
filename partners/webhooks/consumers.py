"""Webhook deliveries as a consumer of the outbox topic `webhook.delivery`: the row is written with
the change; after the commit a task makes the first attempt (the relay, if the broker was down)."""

from functools import partial

from django.db import transaction

from marketplace.core.events import event_listener_register
from marketplace.core.outbox import PUBLISH_OPTIONS, outbox_register

from .sending import webhook_deliver
from .sources import TOPIC, on_event, on_events, webhook_source_register


def _handle(payloads: list[dict]) -> None:
    # The relay calls this inside the transaction that marks the message delivered: the post
    # waits for that commit, so it holds no transaction (a crash before it: beat sends it).
    for payload in payloads:
        transaction.on_commit(partial(webhook_deliver, delivery_id=payload["delivery_id"]))


def _publish(messages: list[tuple[int, dict]]) -> None:
    from ..tasks import webhook_delivery_send

    for message_id, payload in messages:
        webhook_delivery_send.apply_async(
            (payload["delivery_id"],), {"outbox_id": message_id}, **PUBLISH_OPTIONS
        )


def register() -> None:
    outbox_register(TOPIC, handle=_handle, publish=_publish)
    event_listener_register(on_event, many=on_events)
    # A factory's own products: their events go to the factory's own subscriptions (product.*).
    from factories.models import Product

    webhook_source_register(Product, kind="product", factory_of=lambda product: product.factory_id)
