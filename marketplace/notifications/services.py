import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import ValidationError
from marketplace.core.outbox import outbox_put
from marketplace.core.sql import insert_unless_exists

from .messages import render
from .models import Notification, NotificationSettings

EMAIL_TOPIC = "notification.email"

logger = logging.getLogger(__name__)

# kind -> notification -> [(filename, content, mimetype)]: files an app attaches to the e-mail of
# its notifications (a tour's calendar file). Registered from the app's ready(); this app imports none.
Attacher = Callable[[Notification], list[tuple[str, str | bytes, str]]]
_attachers: dict[str, Attacher] = {}


def notification_attacher_register(kind: str, attacher: Attacher) -> None:
    _attachers[kind] = attacher


def notification_create(*, recipient: User, kind: str, key: str, data: dict[str, Any]) -> Notification | None:
    """Put one entry in the recipient's inbox and e-mail it once the caller's transaction commits.

    Call it inside the service transaction that makes the change, so the inbox never announces a
    change that rolled back, and the e-mail is never lost to a broker outage (the outbox relays it). Returns None when this event was already notified (same `key`).
    """
    notification = Notification(recipient=recipient, kind=kind, key=key, data=data)
    # One INSERT … ON CONFLICT DO NOTHING on (recipient, key), not get_or_create's four statements
    # in two savepoints: nothing to roll back, as a second notice of an event writes nothing.
    if not insert_unless_exists(notification, ["recipient", "key"]):
        return None
    # The e-mail is owed from now on: an outbox row in this transaction, sent after the commit.
    outbox_put(EMAIL_TOPIC, {"notification_id": notification.pk})
    return notification


def notification_create_best_effort(
    *, recipient: User, kind: str, key: str, data: dict[str, Any]
) -> Notification | None:
    """notification_create for a courtesy notice beside a decision that must stand on its own (the
    reporter told that staff handled their report): in a savepoint, so whatever fails in writing
    the notice is logged and rolls back only the notice, never the caller's change. The e-mail is
    sent after the commit by the outbox, whose failures are retried and never reach the caller."""
    try:
        with transaction.atomic():
            return notification_create(recipient=recipient, kind=kind, key=key, data=data)
    # Any failure, not only the database's: a courtesy notice must never undo the decision.
    except Exception:
        logger.exception("notification %s for user %s not written", key, recipient.pk)
        return None


def notification_supersede(*, recipient: User, key: str, kind: str) -> int:
    """A notice that no longer holds says what happened instead: the same row, read or not, now of
    `kind` (an invitation withdrawn before it was answered: the invitee's inbox must not keep
    offering to accept it). Inside the caller's transaction; returns the rows changed (0: none
    was sent). An e-mail not sent yet goes out with the new text."""
    return Notification.objects.filter(recipient=recipient, key=key).update(kind=kind)


def notification_language(user: User) -> str:
    prefs = NotificationSettings.objects.filter(user=user).first()
    return prefs.language if prefs else settings.LANGUAGE_CODE


@transaction.atomic
def notification_email(*, notification_id: int) -> bool:
    """Send the e-mail of one notification at most once. Returns True when it sent one.

    The row lock makes two deliveries of the same task (acks_late, retries) wait for each other;
    the second sees `emailed_at` and stops. A failure to send raises, rolls back the stamp, and
    the task retries with backoff.
    """
    # The recipient and their settings come with the row (one query where there were two); only
    # the notification is locked, as that is what two deliveries contend for.
    rows = list(
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient__notification_settings")
        .filter(pk=notification_id)
        .order_by()
    )
    notification = rows[0] if rows else None
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    # A user without a settings row: the related object is missing (DoesNotExist is an AttributeError).
    prefs: NotificationSettings | None = getattr(recipient, "notification_settings", None)
    notification.email_attempts += 1
    if not recipient.email or (prefs is not None and not prefs.email_enabled):
        # Nothing to send; stamp it so the sweeper leaves it alone.
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at", "email_attempts"])
        return False
    language = prefs.language if prefs else settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body = render(notification.kind, notification.data)
    attacher = _attachers.get(notification.kind)
    EmailMessage(
        subject=subject,
        body=body,
        to=[recipient.email],
        headers={"Content-Language": language, "X-Yuantou-Notification": notification.key},
        attachments=attacher(notification) if attacher else None,
    ).send()
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at", "email_attempts"])
    return True


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.recipient_id != user.pk:
        raise ValidationError({"detail": _("This is not your notification.")})
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` read; returns how many changed.

    One UPDATE guarded by `read_at IS NULL`: a concurrent single mark-read keeps its own time
    and nothing is counted twice, so no row lock is needed.
    """
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_settings_set(
    *, user: User, language: str | None = None, email_enabled: bool | None = None
) -> NotificationSettings:
    prefs, _created = NotificationSettings.objects.get_or_create(user=user)
    fields: list[str] = []
    if language is not None:
        prefs.language = language
        fields.append("language")
    if email_enabled is not None:
        prefs.email_enabled = email_enabled
        fields.append("email_enabled")
    if fields:
        prefs.save(update_fields=fields)
    return prefs
