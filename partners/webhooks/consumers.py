"""Webhook deliveries as a consumer of the outbox topic `webhook.delivery`: the row is written with
the change; after the commit a task makes the first attempt (the relay, if the broker was down)."""

import logging
import threading
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connections, transaction

from marketplace.core.events import event_listener_register
from marketplace.core.outbox import PUBLISH_OPTIONS, outbox_register

from .sending import webhook_deliver
from .sources import TOPIC, on_event, on_events, webhook_source_register

logger = logging.getLogger(__name__)


def _handle(payloads: list[dict[str, Any]]) -> None:
    # The relay calls this inside the transaction that marks the message delivered: the post
    # waits for that commit, so it holds no transaction (a crash before it: beat sends it).
    for payload in payloads:
        transaction.on_commit(partial(webhook_deliver, delivery_id=payload["delivery_id"]))


def _publish(messages: list[tuple[int, dict[str, Any]]]) -> None:
    from ..tasks import webhook_delivery_send

    if current_app.conf.task_always_eager and settings.WEBHOOK_EAGER_IN_THREAD:
        # Eager mode (`make run`, no broker) has no worker: apply_async would run the POST right
        # here, in the request whose commit published it, and a slow or dead receiver would hold
        # that request's response for up to WEBHOOK_TIMEOUT_SECONDS. A delivery never blocks the
        # write that caused it (issue 12), so a thread stands in for the worker.
        threading.Thread(
            target=_send_in_background, args=(messages,), name="webhook-first-attempts", daemon=True
        ).start()
        return
    for message_id, payload in messages:
        webhook_delivery_send.apply_async(
            (payload["delivery_id"],), {"outbox_id": message_id}, **PUBLISH_OPTIONS
        )


def _send_in_background(messages: list[tuple[int, dict[str, Any]]]) -> None:
    """The eager stand-in for a worker: the same task, one delivery after the other (an object's
    deliveries keep their order). A failure is the delivery's to record; one that escapes is
    logged and the delivery stays pending for beat's webhooks_send_due, as after a worker crash."""
    from ..tasks import webhook_delivery_send

    try:
        for message_id, payload in messages:
            try:
                webhook_delivery_send.apply((payload["delivery_id"],), {"outbox_id": message_id})
            except Exception:
                logger.exception("webhook delivery %s: first attempt failed", payload["delivery_id"])
    finally:
        connections.close_all()  # this thread's own connections


def register() -> None:
    outbox_register(TOPIC, handle=_handle, publish=_publish)
    event_listener_register(on_event, many=on_events)
    # A factory's own products: their events go to the factory's own subscriptions (product.*).
    from factories.models import Product

    webhook_source_register(Product, kind="product", factory_of=lambda product: product.factory_id)
