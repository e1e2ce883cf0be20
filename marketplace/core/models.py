from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
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
