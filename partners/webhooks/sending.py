"""Sending one delivery: sign, POST, record the attempt, schedule the next one or give up.

Signature (like Stripe's): header `Yuantou-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256 with the subscription's secret over "<t>.<raw body>". Receivers check it and that t
is recent (docs/api.md has the code). In the grace period after a rotation a second `v1` follows,
made with the secret replaced: a receiver holding either one accepts the delivery. Redirects are never followed (a 3xx is a failure): the
signed body goes only to the URL the partner registered. Timeouts are short so a slow receiver
holds a worker for seconds, not minutes, and it holds no database lock or transaction meanwhile:
a delivery is leased (`lease_until`) under a short lock, posted, then its outcome recorded under
another short lock.
"""

import contextlib
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.core.events import event_record

from ..events import PartnerEvents
from ..models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from .addresses import refusal
from .notify import webhook_disabled_notify
from .sealing import unseal

SIGNATURE_HEADER = "Yuantou-Signature"
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
GIVE_UP_AFTER = timedelta(hours=24)  # from the delivery's creation


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 30 s, 1 min, 2 min … at most 6 h apart."""
    wait: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return min(wait, LONGEST_WAIT)


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    started = time.monotonic()
    refused = refusal(url, resolve=True)  # before every attempt: a name may point elsewhere now
    if refused is not None:
        return Outcome(None, refused, int((time.monotonic() - started) * 1000))
    try:
        response = requests.post(
            url,
            data=body,
            headers=headers,
            timeout=(min(3.0, settings.WEBHOOK_TIMEOUT_SECONDS), settings.WEBHOOK_TIMEOUT_SECONDS),
            allow_redirects=False,
        )
        code, error = response.status_code, ""
        if 300 <= code < 400:
            error = "redirects are not followed"
        response.close()
    except requests.RequestException as exc:
        code, error = None, f"{type(exc).__name__}: {exc}"[:300]
    return Outcome(code, error, int((time.monotonic() - started) * 1000))


def _earlier_pending(delivery: WebhookDelivery) -> bool:
    return WebhookDelivery.objects.filter(
        subscription_id=delivery.subscription_id,
        object_key=delivery.object_key,
        status=DeliveryStatus.PENDING,
        pk__lt=delivery.pk,
    ).exists()


def lease_length() -> timedelta:
    """Long enough that a live worker's post (connect + read timeouts) ends well inside it; a
    lease still there after it is a worker that died, and the delivery is free again."""
    return timedelta(seconds=3 * settings.WEBHOOK_TIMEOUT_SECONDS + 30)


@dataclass(frozen=True)
class Claim:
    """What the post needs, read under the short lock: nothing of it is locked while posting."""

    delivery_id: int
    lease_until: datetime
    url: str
    sealed_secret: str
    # The secret a rotation replaced, while its grace lasts (at the claim's time); else "".
    previous_sealed_secret: str
    event_id: str
    event_type: str
    payload: dict[str, Any]


def _claim(delivery_id: int, now: datetime) -> Claim | str:
    """Lease a due delivery for one attempt, in a short transaction of its own. At most one
    delivery of an object is ever leased: a later one waits while an earlier one is pending (the
    order), and a leased one is not taken again until its lease is over."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return "gone"
        if delivery.lease_until is not None and delivery.lease_until > now:
            return "in_flight"
        subscription = delivery.subscription
        if subscription.disabled_at is not None:
            return "disabled"
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return "not_due"
        if _earlier_pending(delivery):
            return "waiting"
        delivery.lease_until = now + lease_length()
        delivery.save(update_fields=["lease_until"])
        return Claim(
            delivery_id=delivery.pk,
            lease_until=delivery.lease_until,
            url=subscription.url,
            sealed_secret=subscription.secret_sealed,
            previous_sealed_secret=subscription.previous_secret_sealed
            if subscription.previous_secret_until is not None and subscription.previous_secret_until > now
            else "",
            event_id=str(delivery.event_id),
            event_type=delivery.event_type,
            payload=delivery.payload,
        )


def webhook_deliver(*, delivery_id: int, now: datetime | None = None) -> str:
    """Make one attempt at a delivery if it is due. Returns what happened (for logs and tests):
    sent, failed, gave_up, waiting (an earlier delivery of the object is pending), not_due,
    disabled, in_flight (another worker is posting it), or gone (delivered, given up, or held).

    Three steps, so no lock and no transaction is held while the receiver takes its time (up to
    WEBHOOK_TIMEOUT_SECONDS): lease the row (short transaction), post, record the outcome (short
    transaction). Call it outside any transaction (tasks and the outbox's on-commit step do).
    Never raises for the receiver's sake: a failure is an attempt row and a later retry.
    """
    now = now or timezone.now()
    claim = _claim(delivery_id, now)
    if isinstance(claim, str):
        return claim
    body = json.dumps(claim.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    outcome = _post(
        claim.url,
        body,
        {
            "Content-Type": "application/json",
            "User-Agent": "Yuantou-Webhooks/1",
            "Yuantou-Event-Id": claim.event_id,
            "Yuantou-Event-Type": claim.event_type,
            SIGNATURE_HEADER: signature_header(claim, timestamp, body),
        },
    )
    return _record(claim, outcome, now)


def signature_header(claim: Claim, timestamp: int, body: bytes) -> str:
    """`t=…,v1=<new>` and, in a rotation's grace period, `,v1=<replaced>` after it."""
    sealed = [claim.sealed_secret, *([claim.previous_sealed_secret] if claim.previous_sealed_secret else [])]
    return ",".join([f"t={timestamp}", *(f"v1={signature(unseal(s), timestamp, body)}" for s in sealed)])


def _record(claim: Claim, outcome: Outcome, now: datetime) -> str:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("subscription")
            .filter(pk=claim.delivery_id)
            .first()
        )
        if delivery is None:
            return "gone"  # the subscription was deleted while posting
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        if delivery.status != DeliveryStatus.PENDING or delivery.lease_until != claim.lease_until:
            # Our lease ran out and another attempt took over: the attempt is logged, the
            # outcome is the other one's to decide.
            return "gone"
        subscription = delivery.subscription
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
        delivery.lease_until = None
        fields = [
            "attempts",
            "last_status_code",
            "last_error",
            "status",
            "next_attempt_at",
            "delivered_at",
            "lease_until",
        ]
        if outcome.ok:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                DeliveryStatus.SUCCEEDED,
                now,
                None,
            )
            delivery.save(update_fields=fields)
            WebhookSubscription.objects.filter(pk=subscription.pk, consecutive_failures__gt=0).update(
                consecutive_failures=0
            )
            # The next delivery of the same object was waiting for this one.
            transaction.on_commit(lambda: _send_next_of(delivery))
            return "sent"
        retry_at = now + backoff(delivery.attempts)
        gave_up = retry_at > delivery.created_at + GIVE_UP_AFTER
        if gave_up:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            transaction.on_commit(lambda: _send_next_of(delivery))
        else:
            delivery.next_attempt_at = retry_at
        delivery.save(update_fields=fields)
        _count_failure(subscription, now)
        return "gave_up" if gave_up else "failed"


def _count_failure(subscription: WebhookSubscription, now: datetime) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    disabled = WebhookSubscription.objects.filter(
        pk=subscription.pk,
        disabled_at__isnull=True,
        consecutive_failures__gte=settings.WEBHOOK_DISABLE_AFTER_FAILURES,
    ).update(disabled_at=now)
    if disabled:
        subscription.refresh_from_db()
        event_record(
            actor=None,
            verb=PartnerEvents.WEBHOOK_DISABLED,
            target=subscription,
            before={"disabled_at": None},
            after={"disabled_at": now.isoformat()},
            failures=subscription.consecutive_failures,
        )
        webhook_disabled_notify(subscription)


def _send_next_of(delivery: WebhookDelivery) -> None:
    following = (
        WebhookDelivery.objects.filter(
            subscription_id=delivery.subscription_id,
            object_key=delivery.object_key,
            status=DeliveryStatus.PENDING,
            pk__gt=delivery.pk,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        from ..tasks import webhook_delivery_send  # tasks import this module

        # A broker outage loses nothing: the beat task sends it when due.
        with contextlib.suppress(Exception):
            webhook_delivery_send.apply_async((following,), retry=False)


def deliveries_due(*, now: datetime, limit: int = 500) -> list[int]:
    """Pending deliveries whose wait is over, oldest first (beat's retries)."""
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, subscription__disabled_at__isnull=True)
        .exclude(next_attempt_at__gt=now)
        .exclude(lease_until__gt=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
