from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile
from factories.models import Factory, Product

if TYPE_CHECKING:
    from .custom import Quote


class TrialStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")
    PAID = "paid", _("paid")
    SHIPPED = "shipped", _("shipped")
    IN_TRIAL = "in_trial", _("in trial")
    FEEDBACK_SUBMITTED = "feedback_submitted", _("feedback submitted")
    CONVERTED = "converted", _("converted to an order")
    ENDED = "ended", _("ended")


# A buyer may have one of these per product at a time (enforced by a partial unique index, so
# twenty identical requests racing each other still produce exactly one trial).
OPEN_TRIAL_STATUSES = [
    TrialStatus.REQUESTED,
    TrialStatus.ACCEPTED,
    TrialStatus.PAID,
    TrialStatus.SHIPPED,
    TrialStatus.IN_TRIAL,
    TrialStatus.FEEDBACK_SUBMITTED,
]


class TrialOrder(models.Model):
    """五折试销: goods at half the factory price, sold for `trial_days`, then convert or walk away.

    Prices are frozen at creation. `specification` is the product as it was when the factory
    accepted (attributes, image ids, title), so "the goods must match the trial" stays checkable.
    A trial run of a custom product has no catalog product, only the accepted `quote`.
    """

    buyer = models.ForeignKey(
        BuyerProfile, on_delete=models.PROTECT, related_name="trials", verbose_name=_("buyer")
    )
    factory = models.ForeignKey(
        Factory, on_delete=models.PROTECT, related_name="trials", verbose_name=_("factory")
    )
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trials",
        verbose_name=_("product"),
    )
    quote = models.OneToOneField(
        "trials.Quote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trial",
        verbose_name=_("quote"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TrialStatus.choices, default=TrialStatus.REQUESTED, db_index=True
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    factory_price = models.DecimalField(_("factory price (CNY)"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("trial unit price (CNY)"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total (CNY)"), max_digits=14, decimal_places=2)
    trial_days = models.PositiveSmallIntegerField(_("trial days"))
    specification = models.JSONField(_("approved specification"), default=dict, blank=True)
    # Where the goods go, frozen from the streamer's address book when the order was made (an edit
    # of the book later moves nothing on its way); who may read how much: addresses/snapshot.py.
    shipping_address = models.JSONField(_("shipping address"), default=dict, blank=True)

    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)

    units_sold = models.PositiveIntegerField(_("units sold"), null=True, blank=True)
    units_returned = models.PositiveIntegerField(_("units returned"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    responded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid at"))
    shipped_at = models.DateTimeField(null=True, blank=True, verbose_name=_("shipped at"))
    received_at = models.DateTimeField(null=True, blank=True, verbose_name=_("received at"))
    window_ends_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("trial window ends")
    )
    feedback_at = models.DateTimeField(null=True, blank=True, verbose_name=_("feedback at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed"))
    reminded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reminded at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        # xgettext:no-python-format
        verbose_name = _("50%-off trial")
        # xgettext:no-python-format
        verbose_name_plural = _("50%-off trials")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "product"],
                condition=models.Q(status__in=OPEN_TRIAL_STATUSES),
                name="trial_one_open_per_buyer_product",
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="trial_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=Decimal("0")), name="trial_unit_price_not_negative"
            ),
        ]
        indexes = [
            # A cancel recounts the streamer's cancellations under the trial's lock
            # (trials/services/records.py, BUYER_CANCELLED): counted from this index alone (with
            # the id, an index-only scan) rather than from the heap rows of every trial the
            # streamer ever had: 1.9 ms -> 0.4 ms at ~1,000 trials each (issue 11's load data).
            models.Index(
                fields=["buyer", "id"],
                condition=models.Q(status=TrialStatus.CANCELLED, paid_at__isnull=True),
                name="trial_buyer_cancelled_unpaid",
            ),
        ]

    def __str__(self) -> str:
        return f"T{self.pk:06d}" if self.pk else "T(new)"

    @property
    def title(self) -> str:
        if self.product is not None:
            return self.product.title
        return self.quote.request.title if self.quote is not None else ""

    @property
    def moq(self) -> int:
        return self.product.moq if self.product is not None else self.of_quote.moq

    @property
    def of_quote(self) -> "Quote":
        """The quote of a custom product's trial: every trial is created from a product or from an
        accepted quote, so asking a product's trial for its quote is a programming error."""
        if self.quote is None:
            raise ValueError(f"{self} is a product's trial, not a quote's")
        return self.quote
