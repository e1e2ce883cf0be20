"""Notifications as a consumer of the outbox topic `notification.email`."""

from marketplace.core.outbox import PUBLISH_OPTIONS, outbox_register

from .services import EMAIL_TOPIC, notification_email
from .tasks import notification_email_send


def _handle(payloads: list[dict]) -> None:
    for payload in payloads:  # one at a time (batch=1): each e-mail commits with its own row
        notification_email(notification_id=payload["notification_id"])


def _publish(messages: list[tuple[int, dict]]) -> None:
    for message_id, payload in messages:
        notification_email_send.apply_async(
            (payload["notification_id"],), {"outbox_id": message_id}, **PUBLISH_OPTIONS
        )


def register() -> None:
    outbox_register(EMAIL_TOPIC, handle=_handle, publish=_publish)
