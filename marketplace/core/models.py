from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """An audit row written in the same transaction as the change it describes (Saleor-style).

    `verb` is a dotted code such as `factory.verified`; `data` holds what a reader needs later
    (a reason, old and new status) so the history is readable without joining other tables.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    verb = models.CharField(_("event"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("object type")
    )
    target_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.verb} #{self.target_id}"


class OutboxMessage(models.Model):
    """A side effect owed to the outside world, written in the same transaction as the change.

    Saleor keeps outgoing work as rows (EventPayload/EventDelivery) so that a request never
    depends on the broker: the row commits with the change, is published to Celery after the
    commit (best effort, never raising), and the relay delivers whatever is still pending. A
    consumer (search indexing, e-mail, partner webhooks) registers a handler for its `topic`
    from its own app (see `marketplace.core.outbox`); this layer knows no consumer.
    """

    topic = models.CharField(_("topic"), max_length=64)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The relay leaves a row alone until then: after a failed delivery it backs off.
    available_at = models.DateTimeField(_("available at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The relay's scan: only pending rows are in the index, so it stays small.
            models.Index(
                fields=["available_at", "id"],
                name="outbox_pending",
                condition=models.Q(delivered_at__isnull=True),
            ),
            # Pruning delivered rows after a week (outbox_prune).
            models.Index(
                fields=["delivered_at"],
                name="outbox_delivered",
                condition=models.Q(delivered_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class IdempotencyKey(models.Model):
    """The first answer to a create request sent with an `Idempotency-Key` header (Stripe's scheme).

    The row is written in the same transaction as whatever the request creates, and (user, key) is
    unique in the database: a retry, or a second request racing the first, can never make a second
    row — it waits for the first to commit and then replays its answer (marketplace/core/idempotency.py).
    """

    MAX_LENGTH = 255

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=MAX_LENGTH)
    # sha256 of method, path and body: the same key with another request is refused, not replayed.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"))
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_key_per_user")]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return self.key
