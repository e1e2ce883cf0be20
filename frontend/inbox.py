"""The inbox page's rows: each notification in the reader's language with a link to what it is
about. The link comes from the ids the flows put in `data` (trial_id, sample_id,
custom_request_id, product_id, bulk_order_id, conversation_id) or, for payments, from the order's reference
(T000012, B000012)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from marketplace.notifications.messages import render
from marketplace.notifications.models import Notification

_ID_ROUTES = (
    ("trial_id", "frontend:trial"),
    ("bulk_order_id", "frontend:bulk-order"),
    ("sample_id", "frontend:sample"),
    ("custom_request_id", "frontend:custom"),
    ("product_id", "frontend:my-product-edit"),  # only factories are told about their listings
    ("conversation_id", "frontend:conversation"),
)
_REF_ROUTES = {
    "T": "frontend:trial",
    "S": "frontend:sample",
    "C": "frontend:custom",
    "B": "frontend:bulk-order",
}


def notification_url(data: dict[str, Any]) -> str | None:
    for key, route in _ID_ROUTES:
        if isinstance(data.get(key), int):
            return reverse(route, args=[data[key]])
    ref = data.get("ref")
    if isinstance(ref, str) and len(ref) > 1 and ref[0] in _REF_ROUTES and ref[1:].isdigit():
        return reverse(_REF_ROUTES[ref[0]], args=[int(ref[1:])])
    return None


@dataclass
class InboxEntry:
    notification: Notification
    title: str
    body: str
    url: str | None

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def entries(notifications: Iterable[Notification]) -> list[InboxEntry]:
    rows = []
    for n in notifications:
        title, body = render(n.kind, n.data)
        rows.append(InboxEntry(n, title, body, notification_url(n.data)))
    return rows
