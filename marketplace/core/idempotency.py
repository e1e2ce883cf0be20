"""Idempotency keys for create requests, without HTTP: claim a key, remember the answer, purge old ones.

Why one transaction and not "look up, then insert": two requests with the same key that arrive
together would both find nothing and both create. Here the key row is inserted first, inside the
request's transaction; PostgreSQL makes a second insert of the same (user, key) wait until the first
transaction ends, then fail with a unique violation, and only then do we read the committed answer.
So at most one request per key ever runs its create, and the other replays it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import IdempotencyKey

if TYPE_CHECKING:
    # django-stubs' name for settings.AUTH_USER_MODEL: the accounts app's User, a layer above core.
    from django.contrib.auth.models import _User

# Stripe keeps keys for 24 hours; after that the same key starts a new request.
KEY_LIFETIME = timedelta(hours=24)


class KeyReused(Exception):
    """The key was used before with another request (method, path or body)."""


@dataclass(frozen=True)
class Replay:
    status: int
    body: object


def key_is_valid(key: str) -> bool:
    """1–255 printable ASCII characters (what HTTP header values carry safely; Stripe uses UUIDs)."""
    return 0 < len(key) <= IdempotencyKey.MAX_LENGTH and all(" " <= ch <= "~" for ch in key)


def idempotency_key_claim(*, user: "_User", key: str, fingerprint: str) -> IdempotencyKey | Replay:
    """Claim `key` for this request, or return the stored answer of the request that claimed it.

    Must run inside the transaction that also does the work (`transaction.atomic`), so the claim
    and the created rows commit or roll back together. Returns the unsaved-answer row to finish
    with `idempotency_key_record`; raises `KeyReused` for the same key with another request.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("idempotency_key_claim must run inside the request's transaction")
    now = timezone.now()
    # An expired key is free again; deleting it first keeps the unique index the only arbiter.
    IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=now - KEY_LIFETIME).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user, key=key, fingerprint=fingerprint, response_status=0, response_body=None
            )
    except IntegrityError:
        pass
    # The other request committed (we waited on its row lock): its answer is final.
    first = IdempotencyKey.objects.get(user=user, key=key)
    if first.fingerprint != fingerprint:
        raise KeyReused()
    return Replay(status=first.response_status, body=first.response_body)


def idempotency_key_record(*, claim: IdempotencyKey, status: int, body: object) -> None:
    """Keep a successful answer for replay; forget the key after a refusal, so the client can fix
    the request and send it again with the same key (as Stripe does for requests that failed validation)."""
    if 200 <= status < 300:
        claim.response_status = status
        claim.response_body = body
        claim.save(update_fields=["response_status", "response_body"])
    else:
        claim.delete()


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Delete keys older than their lifetime; returns how many. Called by a beat task."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
