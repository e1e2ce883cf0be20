"""Webhook deliveries as a consumer of the outbox topic `webhook.delivery`: the row is written with
the change; after the commit a task makes the first attempt (the relay, if the broker was down)."""

from marketplace.core.events import event_listener_register
from marketplace.core.outbox import PUBLISH_OPTIONS, outbox_register

from .sending import webhook_deliver
from .sources import TOPIC, on_event


def _handle(payloads: list[dict]) -> None:
    for payload in payloads:
        webhook_deliver(delivery_id=payload["delivery_id"])


def _publish(messages: list[tuple[int, dict]]) -> None:
    from ..tasks import webhook_delivery_send

    for message_id, payload in messages:
        webhook_delivery_send.apply_async(
            (payload["delivery_id"],), {"outbox_id": message_id}, **PUBLISH_OPTIONS
        )


def register() -> None:
    outbox_register(TOPIC, handle=_handle, publish=_publish)
    event_listener_register(on_event)
