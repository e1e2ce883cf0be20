"""Writes on webhook subscriptions: create (the secret is returned once), rotate the secret (the
new one returned once), delete, enable again after an automatic disabling, redeliver. Each
writes an audit row (point 6).

The caller is an owner of the organization (their own token) or a key of the organization with
the `webhooks:manage` scope; a key is recorded by its prefix, as it has no account of its own.
"""

import secrets
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factories.models import Factory
from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.outbox import outbox_put

from ..events import PartnerEvents
from ..models import Organization, WebhookDelivery, WebhookSubscription
from ..services import _require_owner
from .addresses import refusal
from .sealing import seal
from .sources import FACTORY_PATTERNS, PATTERNS, TOPIC

MAX_URL_LENGTH = 500


def _clean_url(url: str) -> str:
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH or any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise ValidationError({"url": _("Give a URL of at most 500 characters without spaces.")})
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname == "127.0.0.1" and settings.WEBHOOK_ALLOW_LOCAL_HTTP
    if not (parts.scheme == "https" and parts.hostname) and not local:
        raise ValidationError({"url": _("The URL must start with https://.")})
    if parts.username or parts.password:
        raise ValidationError({"url": _("The URL must not contain a user name or password.")})
    if refusal(url, resolve=False) is not None:
        raise ValidationError({"url": _("The URL must point to an address on the public internet.")})
    return url


def _clean_patterns(event_types: list[str], allowed: tuple[str, ...] = PATTERNS) -> list[str]:
    unknown = sorted(set(event_types) - set(allowed))
    if unknown:
        raise ValidationError(
            {"event_types": _("Unknown event types: %(types)s.") % {"types": ", ".join(unknown)[:200]}}
        )
    if not event_types:
        raise ValidationError({"event_types": _("Choose at least one event type.")})
    return [p for p in allowed if p in event_types]


def _state(subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "url": subscription.url,
        "event_types": subscription.event_types,
        "disabled_at": subscription.disabled_at.isoformat() if subscription.disabled_at else None,
    }


def _require_manager(owner: Organization | Factory, actor: User | None, key_prefix: str | None) -> None:
    # A key reached here only for its own organization with the scope (authentication.py and the
    # view checked both); a person must be an owner, on the API and the web page alike. A
    # factory's webhooks are its owner's alone (no key manages them).
    if isinstance(owner, Factory):
        if key_prefix is not None or getattr(actor, "pk", None) != owner.owner_id:
            raise NotAllowed(_("Only the factory's owner can manage its webhooks."))
    elif key_prefix is None:
        # No key: a person acts (the views pass the signed-in user; a key's writes pass None).
        _require_owner(owner, cast(User, actor))


def _owner_of(subscription: WebhookSubscription) -> Organization | Factory:
    # The database checks that exactly one of the two is set.
    return subscription.organization or subscription.factory  # type: ignore[return-value]


def _audit(
    *,
    actor: User | None,
    key_prefix: str | None,
    verb: str,
    target: models.Model,
    address: str | None,
    **data: Any,
) -> None:
    if key_prefix:
        data["key"] = key_prefix
    event_record(actor=actor, verb=verb, target=target, address=address, **data)


@transaction.atomic
def webhook_create(
    *,
    organization: Organization | None = None,
    factory: Factory | None = None,
    actor: User | None,
    url: str,
    event_types: list[str],
    key_prefix: str | None = None,
    address: str | None = None,
) -> tuple[WebhookSubscription, str]:
    """Returns the subscription and its signing secret (shown to the caller this once). The owner
    is an organization (events about its streamers) or a factory (events about its products)."""
    owner: Organization | Factory | None = organization or factory
    if owner is None or (organization is not None and factory is not None):
        raise TypeError("webhook_create takes an organization or a factory.")
    _require_manager(owner, actor, key_prefix)
    allowed = FACTORY_PATTERNS if factory is not None else PATTERNS
    url, event_types = _clean_url(url), _clean_patterns(event_types, allowed)
    # Counted under the owner's row lock: two requests cannot both take the last place.
    if factory is not None:
        Factory.objects.select_for_update().filter(pk=factory.pk).first()
        limit, message = settings.WEBHOOK_MAX_PER_FACTORY, _("A factory has at most %(n)s webhooks.")
    else:
        Organization.objects.select_for_update().filter(pk=owner.pk).first()
        limit, message = (
            settings.WEBHOOK_MAX_PER_ORGANIZATION,
            _("An organization has at most %(n)s webhooks."),
        )
    if owner.webhooks.count() >= limit:
        raise ValidationError({"url": message % {"n": limit}})
    secret = _new_secret()
    subscription = WebhookSubscription.objects.create(
        organization=organization,
        factory=factory,
        url=url,
        event_types=event_types,
        secret_sealed=seal(secret),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _audit(
        actor=actor,
        key_prefix=key_prefix,
        verb=PartnerEvents.WEBHOOK_CREATED,
        target=subscription,
        address=address,
        before=None,
        after=_state(subscription),
    )
    return subscription, secret


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


@transaction.atomic
def webhook_rotate_secret(
    *,
    subscription: WebhookSubscription,
    actor: User | None,
    key_prefix: str | None = None,
    address: str | None = None,
) -> tuple[WebhookSubscription, str]:
    """A new signing secret, returned this once. The one it replaces keeps signing beside it (a
    second `v1` in the header) for WEBHOOK_SECRET_ROTATION_GRACE, so the receiver can switch
    without refusing a delivery; then only the new one signs.

    Only the secret just replaced stays: rotating again within the grace period drops the older
    one at once (two rotations are a deliberate act, e.g. after a leak, and a header carries at
    most two signatures). The audit row records the grace's end, never a secret."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    _require_manager(_owner_of(subscription), actor, key_prefix)
    before_until = subscription.previous_secret_until
    secret = _new_secret()
    subscription.previous_secret_sealed = subscription.secret_sealed
    subscription.previous_secret_until = timezone.now() + settings.WEBHOOK_SECRET_ROTATION_GRACE
    subscription.secret_sealed = seal(secret)
    subscription.save(update_fields=["previous_secret_sealed", "previous_secret_until", "secret_sealed"])
    _audit(
        actor=actor,
        key_prefix=key_prefix,
        verb=PartnerEvents.WEBHOOK_SECRET_ROTATED,
        target=subscription,
        address=address,
        before={"previous_secret_until": before_until.isoformat() if before_until else None},
        after={"previous_secret_until": subscription.previous_secret_until.isoformat()},
    )
    return subscription, secret


@transaction.atomic
def webhook_delete(
    *,
    subscription: WebhookSubscription,
    actor: User | None,
    key_prefix: str | None = None,
    address: str | None = None,
) -> None:
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    _require_manager(_owner_of(subscription), actor, key_prefix)
    # The audit row outlives the subscription: it names the organization (or the factory).
    _audit(
        actor=actor,
        key_prefix=key_prefix,
        verb=PartnerEvents.WEBHOOK_DELETED,
        target=_owner_of(subscription),
        address=address,
        before={"id": subscription.pk, **_state(subscription)},
        after=None,
    )
    subscription.delete()


@transaction.atomic
def webhook_enable(
    *,
    subscription: WebhookSubscription,
    actor: User | None,
    key_prefix: str | None = None,
    address: str | None = None,
) -> WebhookSubscription:
    """Turn a disabled subscription back on; its pending deliveries are sent again when due."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    _require_manager(_owner_of(subscription), actor, key_prefix)
    if subscription.disabled_at is None:
        raise TransitionNotAllowed(_("This webhook is not disabled."))
    before = _state(subscription)
    subscription.disabled_at, subscription.consecutive_failures = None, 0
    subscription.save(update_fields=["disabled_at", "consecutive_failures"])
    _audit(
        actor=actor,
        key_prefix=key_prefix,
        verb=PartnerEvents.WEBHOOK_ENABLED,
        target=subscription,
        address=address,
        before=before,
        after=_state(subscription),
    )
    return subscription


@transaction.atomic
def webhook_redeliver(
    *,
    delivery: WebhookDelivery,
    actor: User | None,
    key_prefix: str | None = None,
    address: str | None = None,
) -> WebhookDelivery:
    """Send an event again, as a new delivery with the same event id (receivers de-duplicate on
    it). It goes after the object's other pending deliveries, like any new one."""
    _require_manager(_owner_of(delivery.subscription), actor, key_prefix)
    again = WebhookDelivery.objects.create(
        subscription_id=delivery.subscription_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        object_key=delivery.object_key,
        payload=delivery.payload,
        redelivery_of=delivery,
    )
    outbox_put(TOPIC, {"delivery_id": again.pk})
    _audit(
        actor=actor,
        key_prefix=key_prefix,
        verb=PartnerEvents.WEBHOOK_REDELIVERED,
        target=delivery.subscription,
        address=address,
        delivery=delivery.pk,
        redelivery=again.pk,
        event_id=str(delivery.event_id),
    )
    return again
