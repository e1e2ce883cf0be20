from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_price_tiers
from .catalog import Category
from .factory import Factory


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING_REVIEW = "pending_review", _("pending review")
    ACTIVE = "active", _("active")
    REJECTED = "rejected", _("rejected")
    DELISTED = "delisted", _("delisted")


def open_for_trials(trial_eligible: bool, factory_accepts_trials: bool) -> bool:
    """Whether a buyer can take a 50%-off trial of a listing: its own flag, and its factory taking
    trials at all. A factory that stops switches off all its listings; their own flags are kept,
    so turning trials back on restores them."""
    return trial_eligible and factory_accepts_trials


class Product(models.Model):
    """A listing. Prices are the factory (ex-works) price per unit in CNY."""

    factory = models.ForeignKey(
        Factory, on_delete=models.PROTECT, related_name="products", verbose_name=_("factory")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    factory_price = models.DecimalField(
        _("factory price (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("9999999.99"))],
    )
    moq = models.PositiveIntegerField(_("MOQ"), validators=[MinValueValidator(1)])
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    customizable = models.BooleanField(_("customizable"), default=False)
    # xgettext:no-python-format
    trial_eligible = models.BooleanField(_("50%-off trial available"), default=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    # Volume prices above the MOQ (阶梯价): [{"min_quantity": 500, "unit_price": "10.50"}, …], the
    # quantities rising above `moq` and the prices never above `factory_price` nor rising. The
    # first tier is always `moq` at `factory_price`, so search, matching and the 50%-off trial
    # keep reading `factory_price`; a bulk order takes the tier of its quantity (price_for).
    price_tiers = models.JSONField(
        _("volume prices"), default=list, blank=True, validators=[validate_price_tiers]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProductStatus.choices,
        default=ProductStatus.PENDING_REVIEW,
        db_index=True,
    )
    status_reason = models.TextField(_("rejection reason"), blank=True)

    # Indexed only where true, in the order the indexer takes them (product_dirty_by_factory).
    search_index_dirty = models.BooleanField(_("needs reindexing"), default=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["factory", "status"]),
            # The indexer re-aggregates each touched factory's public prices and MOQs
            # (search.documents.factory_product_stats): with these columns in a partial index
            # that is an index-only scan — 271 → 137 ms for 1,000 factories at 1M products.
            models.Index(
                fields=["factory"],
                include=["factory_price", "moq"],
                condition=models.Q(status=ProductStatus.ACTIVE),
                name="product_public_price_moq",
            ),
            # The search indexer's queue (search.indexing.KEY_ORDER): the few dirty rows, by
            # factory. A full index on the flag held every product for the sake of a few.
            models.Index(
                fields=["factory", "id"],
                condition=models.Q(search_index_dirty=True),
                name="product_dirty_by_factory",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The tiers against the MOQ, the factory price and each other (their shape is the
        field's validator's): quantities rise, prices never do."""
        if not self.price_tiers or self.moq is None or self.factory_price is None:
            return
        try:
            validate_price_tiers(self.price_tiers)
        except ValidationError:
            return  # the field's own error says it
        quantity, price = self.moq, Decimal(self.factory_price)
        for tier in self.price_tiers:
            if tier["min_quantity"] <= quantity:
                raise ValidationError(
                    {"price_tiers": _("Each tier's quantity must be above the MOQ and the tier before it.")}
                )
            if Decimal(tier["unit_price"]) > price:
                raise ValidationError(
                    {"price_tiers": _("A larger quantity cannot cost more per unit than a smaller one.")}
                )
            quantity, price = tier["min_quantity"], Decimal(tier["unit_price"])

    def price_for(self, quantity: int) -> Decimal:
        """The unit price of `quantity` units: the highest tier it reaches, else the factory price."""
        price = self.factory_price
        for tier in self.price_tiers or []:
            if quantity >= tier["min_quantity"]:
                price = Decimal(tier["unit_price"])
        return price

    @property
    def all_price_tiers(self) -> list[dict]:
        """Every tier, the MOQ one first, for showing."""
        return [{"min_quantity": self.moq, "unit_price": self.factory_price}] + [
            {"min_quantity": t["min_quantity"], "unit_price": Decimal(t["unit_price"])}
            for t in self.price_tiers or []
        ]

    @property
    def open_for_trials(self) -> bool:
        return open_for_trials(self.trial_eligible, self.factory.accepts_trials)

    @property
    def is_public(self) -> bool:
        """Buyers may see it: an approved listing of a verified factory. The query form of this
        rule is factories.selectors.product_public_q; change both together."""
        return self.status == ProductStatus.ACTIVE and self.factory.is_public


def product_image_path(instance: "ProductImage", filename: str) -> str:
    return f"products/{instance.product_id}/{filename}"


class LiveImageManager(models.Manager["ProductImage"]):
    """The photos buyers may see. A photo added to a live listing belongs to its pending revision
    until staff approve it; being the default manager, every read (API, pages, search results,
    `product.images`) leaves it out unless it asks `ProductImage.all_objects` on purpose."""

    def get_queryset(self) -> models.QuerySet["ProductImage"]:
        return super().get_queryset().filter(revision__isnull=True)


class ProductImage(models.Model):
    """Stored re-encoded by Pillow (EXIF stripped), with a thumbnail of at most 400 px."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image = models.ImageField(
        _("image"), upload_to=product_image_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=product_image_path)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    revision = models.ForeignKey(
        "factories.ProductRevision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="images",
        verbose_name=_("awaiting review in"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    all_objects = models.Manager()
    objects = LiveImageManager()

    class Meta:
        ordering = ["position", "id"]
        default_manager_name = "objects"
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return f"{self.product_id}/{self.pk}"
