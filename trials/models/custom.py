from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile
from conversations.models import Message, TopicKind
from factories.models import Category, Factory


class CustomStatus(models.TextChoices):
    OPEN = "open", _("open for quotes")
    CLOSED = "closed", _("closed for quotes")
    ACCEPTED = "accepted", _("quote accepted")
    CANCELLED = "cancelled", _("cancelled")


class CustomRequest(models.Model):
    """定制: a streamer's brief (benchmark link + requirements). Directed to one factory, or open.

    An open request is offered to fitting factories (`offers`); it closes for quotes at its
    deadline or at MAX_QUOTES quotes, and the buyer accepts one quote, which starts a trial run.
    """

    MAX_QUOTES = 10

    buyer = models.ForeignKey(
        BuyerProfile, on_delete=models.PROTECT, related_name="custom_requests", verbose_name=_("buyer")
    )
    factory = models.ForeignKey(
        Factory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directed_custom_requests",
        verbose_name=_("factory"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="custom_requests",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=120)
    requirements = models.TextField(_("requirements"))
    benchmark_url = models.URLField(_("benchmark product link"), max_length=500, blank=True)
    target_unit_price = models.DecimalField(
        _("target unit price (CNY)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    deadline = models.DateTimeField(_("quotes due by"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CustomStatus.choices, default=CustomStatus.OPEN, db_index=True
    )
    quotes_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("quotes"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("custom product request")
        verbose_name_plural = _("custom product requests")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open_request(self) -> bool:
        return self.factory_id is None

    @property
    def messages(self) -> models.QuerySet[Message]:
        """The messages about this request, in the conversations of its streamer with each factory
        (the thread moved onto conversations; trials/migrations/0009)."""
        return Message.objects.filter(topic_kind=TopicKind.CUSTOM_REQUEST, topic_id=self.pk)


class CustomRequestOffer(models.Model):
    """An open request shown to one fitting factory (computed once, when the request is made)."""

    request = models.ForeignKey(
        CustomRequest, on_delete=models.CASCADE, related_name="offers", verbose_name=_("request")
    )
    factory = models.ForeignKey(
        Factory, on_delete=models.CASCADE, related_name="custom_request_offers", verbose_name=_("factory")
    )
    rank = models.PositiveSmallIntegerField(default=0, verbose_name=_("rank"))
    # Why this factory was offered: the search fit at that moment (search/matching_custom.py), kept
    # because the factory's record and catalogue move on while the offer stays.
    score = models.FloatField(null=True, blank=True, verbose_name=_("fit score"))
    reasons = models.JSONField(default=list, blank=True, verbose_name=_("reasons"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "factory"], name="custom_offer_unique_factory")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.factory_id}"


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    NOT_CHOSEN = "not_chosen", _("not chosen")


class Quote(models.Model):
    request = models.ForeignKey(
        CustomRequest, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("request")
    )
    factory = models.ForeignKey(
        Factory, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("factory")
    )
    unit_price = models.DecimalField(
        _("unit price (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    moq = models.PositiveIntegerField(_("MOQ"), validators=[MinValueValidator(1)])
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"))
    proposal = models.TextField(_("proposal"))
    trial_quantity = models.PositiveIntegerField(
        _("suggested trial quantity"), validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        max_length=16, choices=QuoteStatus.choices, default=QuoteStatus.SUBMITTED, verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["request", "factory"], name="quote_one_per_factory"),
        ]

    def __str__(self) -> str:
        return f"Q{self.pk}"
