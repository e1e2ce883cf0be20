from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile
from factories.models import Factory, Product

from .trial import TrialOrder


class BulkStatus(models.TextChoices):
    """大货: docs/api.md lists the transitions; flows/bulk.py says who fires each."""

    PLACED = "placed", _("awaiting the factory's confirmation")
    CONFIRMED = "confirmed", _("confirmed, awaiting the deposit")
    DEPOSIT_PAID = "deposit_paid", _("deposit paid")
    IN_PRODUCTION = "in_production", _("in production")
    SHIPPED = "shipped", _("shipped")
    RECEIVED = "received", _("received, awaiting the balance")
    BALANCE_PAID = "balance_paid", _("balance paid")
    COMPLETED = "completed", _("completed")
    DECLINED = "declined", _("declined by the factory")
    CANCELLED = "cancelled", _("cancelled")
    DISPUTED = "disputed", _("in dispute")


# Statuses a dispute can be opened from: money has changed hands and the goods are not settled.
DISPUTABLE_STATUSES = [
    BulkStatus.DEPOSIT_PAID,
    BulkStatus.IN_PRODUCTION,
    BulkStatus.SHIPPED,
    BulkStatus.RECEIVED,
    BulkStatus.BALANCE_PAID,
]
CLOSED_BULK_STATUSES = [BulkStatus.COMPLETED, BulkStatus.DECLINED, BulkStatus.CANCELLED]


class BulkOrder(models.Model):
    """The order signed after a successful trial (or straight from an accepted custom quote), at
    the full price of its quantity's tier. Money moves twice: a deposit (the factory's share,
    frozen here when the order is made) before production, the balance after delivery; the two
    add up to the total to the fen, which the database checks."""

    trial = models.OneToOneField(
        TrialOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulk_order",
        verbose_name=_("trial"),
    )
    quote = models.OneToOneField(
        "trials.Quote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulk_order",
        verbose_name=_("quote"),
    )
    buyer = models.ForeignKey(
        BuyerProfile, on_delete=models.PROTECT, related_name="bulk_orders", verbose_name=_("buyer")
    )
    factory = models.ForeignKey(
        Factory, on_delete=models.PROTECT, related_name="bulk_orders", verbose_name=_("factory")
    )
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulk_orders",
        verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price (CNY)"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total (CNY)"), max_digits=14, decimal_places=2)
    deposit_percent = models.PositiveSmallIntegerField(
        _("deposit (%)"), default=30, validators=[MinValueValidator(10), MaxValueValidator(90)]
    )
    deposit_amount = models.DecimalField(_("deposit (CNY)"), max_digits=14, decimal_places=2)
    balance_amount = models.DecimalField(_("balance (CNY)"), max_digits=14, decimal_places=2)
    specification = models.JSONField(_("specification (from the trial)"), default=dict, blank=True)
    # Where the goods go, frozen from the streamer's address book when the order was made (an edit
    # of the book later moves nothing on its way); who may read how much: addresses/snapshot.py.
    shipping_address = models.JSONField(_("shipping address"), default=dict, blank=True)
    status = models.CharField(
        max_length=16,
        choices=BulkStatus.choices,
        default=BulkStatus.PLACED,
        db_index=True,
        verbose_name=_("status"),
    )
    delivery_date = models.DateField(_("promised delivery date"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    note = models.TextField(_("reason (decline / cancel)"), blank=True)
    dispute_reason = models.TextField(_("dispute"), blank=True)
    # Where a dispute that staff resolve in favour of going on returns the order to.
    disputed_from = models.CharField(_("status before the dispute"), max_length=16, blank=True)
    # The status the last reminder was sent in: one reminder per step, however often beat runs.
    reminded_status = models.CharField(max_length=16, blank=True, verbose_name=_("reminded in status"))

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    deposit_paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("deposit paid at"))
    production_started_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("production started at")
    )
    shipped_at = models.DateTimeField(null=True, blank=True, verbose_name=_("shipped at"))
    received_at = models.DateTimeField(null=True, blank=True, verbose_name=_("received at"))
    balance_paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("balance paid at"))
    disputed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("disputed at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bulk order")
        verbose_name_plural = _("bulk orders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trial__isnull=False) | models.Q(quote__isnull=False),
                name="bulk_order_has_origin",
            ),
            models.CheckConstraint(
                condition=models.Q(total=models.F("deposit_amount") + models.F("balance_amount")),
                name="bulk_order_deposit_plus_balance_is_total",
            ),
            models.CheckConstraint(
                condition=models.Q(deposit_amount__gte=Decimal("0"), balance_amount__gte=Decimal("0")),
                name="bulk_order_payments_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"B{self.pk:06d}" if self.pk else "B(new)"

    @property
    def title(self) -> str:
        title: str = self.specification.get("title", "")
        return title
