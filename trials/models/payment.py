from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .trial import TrialOrder

if TYPE_CHECKING:  # bulk.py imports this module
    from .bulk import BulkOrder


class PaymentProvider(models.TextChoices):
    STRIPE = "stripe", _("card (Stripe)")
    BANK_TRANSFER = "bank_transfer", _("bank transfer (对公转账)")


class PaymentPurpose(models.TextChoices):
    TRIAL = "trial", _("trial order")
    DEPOSIT = "deposit", _("deposit")
    BALANCE = "balance", _("balance")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("awaiting payment")
    PROCESSING = "processing", _("processing")
    FAILED = "failed", _("failed")
    SUCCEEDED = "succeeded", _("succeeded")
    CANCELED = "canceled", _("canceled")
    # Money came in although the trial could no longer be paid for, and went back (see Refund).
    REFUNDED = "refunded", _("refunded")


# Events arrive late, twice and out of order: nothing moves a payment out of these, and an event
# older than the last one applied is ignored (see services/payments.py).
FINAL_PAYMENT_STATUSES = {PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED, PaymentStatus.REFUNDED}
LIVE_PAYMENT_STATUSES = [PaymentStatus.PENDING, PaymentStatus.PROCESSING]


class Payment(models.Model):
    """One attempt to pay one trial, or a bulk order's deposit or balance. `idempotency_key` makes
    the attempt unique on our side, since neither a retried HTTP request nor localstripe can be
    trusted to deduplicate for us."""

    trial = models.ForeignKey(
        TrialOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("trial"),
    )
    bulk_order = models.ForeignKey(
        "trials.BulkOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("bulk order"),
    )
    purpose = models.CharField(
        max_length=8, choices=PaymentPurpose.choices, default=PaymentPurpose.TRIAL, verbose_name=_("for")
    )
    provider = models.CharField(max_length=16, choices=PaymentProvider.choices, verbose_name=_("provider"))
    status = models.CharField(
        max_length=16,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
        db_index=True,
        verbose_name=_("status"),
    )
    attempt = models.PositiveSmallIntegerField(default=1, verbose_name=_("attempt"))
    idempotency_key = models.CharField(max_length=64, unique=True, verbose_name=_("idempotency key"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    provider_reference = models.CharField(
        max_length=255, null=True, blank=True, unique=True, verbose_name=_("provider reference")
    )
    client_secret = models.CharField(max_length=255, blank=True, verbose_name=_("client secret"))
    reference_code = models.CharField(_("transfer reference"), max_length=32, blank=True, db_index=True)
    last_event_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last provider event"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    succeeded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("succeeded at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["trial", "attempt"], name="payment_unique_attempt"),
            models.UniqueConstraint(
                fields=["bulk_order", "purpose", "attempt"], name="payment_unique_bulk_attempt"
            ),
            # A trial payment belongs to a trial, a deposit or balance to a bulk order: never both.
            models.CheckConstraint(
                condition=(
                    models.Q(purpose="trial", trial__isnull=False, bulk_order__isnull=True)
                    | models.Q(
                        purpose__in=["deposit", "balance"], trial__isnull=True, bulk_order__isnull=False
                    )
                ),
                name="payment_pays_one_order",
            ),
            # At most one live attempt per trial: the buyer can't end up paying twice.
            models.UniqueConstraint(
                fields=["trial"],
                condition=models.Q(status__in=["pending", "processing"]),
                name="payment_one_live_per_trial",
            ),
            models.UniqueConstraint(
                fields=["bulk_order", "purpose"],
                condition=models.Q(status__in=["pending", "processing"]),
                name="payment_one_live_per_bulk_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.amount} ({self.status})"

    @property
    def order(self) -> "TrialOrder | BulkOrder":
        """What this pays for: the trial, or the bulk order (its deposit or balance)."""
        order = self.trial if self.trial_id else self.bulk_order
        # Never None: the check constraint in Meta holds exactly one of the two.
        return cast("TrialOrder | BulkOrder", order)


class StripeEvent(models.Model):
    """Every Stripe event id we have processed, stored in the same transaction as its effect."""

    event_id = models.CharField(max_length=255, unique=True, verbose_name=_("event id"))
    type = models.CharField(max_length=64, verbose_name=_("event type"))
    created = models.DateTimeField(verbose_name=_("created at Stripe"))
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("payment")
    )
    outcome = models.CharField(max_length=32, blank=True, verbose_name=_("outcome"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=_("received at"))

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.event_id


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("refund pending")  # owed at the provider; the outbox delivers it
    DUE = "due", _("refund due")  # a bank transfer: staff pay it back by hand
    SUCCEEDED = "succeeded", _("refunded")


class Refund(models.Model):
    """Money that came in for a trial that could no longer be paid for (cancelled meanwhile) and
    goes back. One per payment, enforced by the database (`payment` is one-to-one), so a webhook
    delivered twice or two relays racing never open a second; `idempotency_key` is sent to Stripe
    and stored in the refund's metadata, where a retry finds a refund made just before a crash."""

    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="refund", verbose_name=_("payment")
    )
    status = models.CharField(
        max_length=16,
        choices=RefundStatus.choices,
        default=RefundStatus.PENDING,
        db_index=True,
        verbose_name=_("status"),
    )
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    idempotency_key = models.CharField(max_length=64, unique=True, verbose_name=_("idempotency key"))
    provider_reference = models.CharField(
        max_length=255, null=True, blank=True, unique=True, verbose_name=_("provider reference")
    )
    reference = models.CharField(_("transfer reference"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    refunded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("refunded at"))
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("refunded by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.status})"
