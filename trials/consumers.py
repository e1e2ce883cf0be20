"""The trials app's outbox topics: voiding a cancelled payment attempt at its provider, and
refunding a payment that succeeded for a trial that could no longer be paid for."""

from typing import Any

from marketplace.core.outbox import PUBLISH_OPTIONS, outbox_register

from .services.payments import PAYMENT_CANCEL_TOPIC
from .services.refunds import PAYMENT_REFUND_TOPIC, refund_at_provider
from .tasks import payment_provider_cancel, payment_provider_cancel_now, payment_refund


def _handle(payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:
        payment_provider_cancel_now(payload["payment_id"])


def _publish(messages: list[tuple[int, dict[str, Any]]]) -> None:
    for message_id, payload in messages:
        payment_provider_cancel.apply_async(
            (payload["payment_id"],), {"outbox_id": message_id}, **PUBLISH_OPTIONS
        )


def _handle_refunds(payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:
        refund_at_provider(refund_id=payload["refund_id"])


def _publish_refunds(messages: list[tuple[int, dict[str, Any]]]) -> None:
    for message_id, payload in messages:
        payment_refund.apply_async((payload["refund_id"],), {"outbox_id": message_id}, **PUBLISH_OPTIONS)


def register() -> None:
    outbox_register(PAYMENT_CANCEL_TOPIC, handle=_handle, publish=_publish)
    # One row per delivery (batch=1): a refund is money; a batch failing halfway must not redo one.
    outbox_register(PAYMENT_REFUND_TOPIC, handle=_handle_refunds, publish=_publish_refunds)
