"""The trials app's outbox topics: voiding a cancelled payment attempt at its provider."""

from marketplace.core.outbox import PUBLISH_OPTIONS, outbox_register

from .services.payments import PAYMENT_CANCEL_TOPIC
from .tasks import payment_provider_cancel, payment_provider_cancel_now


def _handle(payloads: list[dict]) -> None:
    for payload in payloads:
        payment_provider_cancel_now(payload["payment_id"])


def _publish(messages: list[tuple[int, dict]]) -> None:
    for message_id, payload in messages:
        payment_provider_cancel.apply_async(
            (payload["payment_id"],), {"outbox_id": message_id}, **PUBLISH_OPTIONS
        )


def register() -> None:
    outbox_register(PAYMENT_CANCEL_TOPIC, handle=_handle, publish=_publish)
