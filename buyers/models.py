from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from factories.models import Category


class Platform(models.TextChoices):
    DOUYIN = "douyin", _("Douyin (抖音)")
    KUAISHOU = "kuaishou", _("Kuaishou (快手)")
    TAOBAO_LIVE = "taobao_live", _("Taobao Live (淘宝直播)")
    WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels (视频号)")
    XIAOHONGSHU = "xiaohongshu", _("Xiaohongshu (小红书)")


class BuyerProfile(models.Model):
    """A streamer (主播 / 达人): who they sell to, at what price band (客单价) and volume."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="buyer_profile"
    )
    display_name = models.CharField(_("display name"), max_length=80)
    categories = models.ManyToManyField(Category, related_name="buyers", verbose_name=_("categories"))
    price_min = models.DecimalField(
        _("price band from (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    price_max = models.DecimalField(
        _("price band to (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    monthly_gmv = models.DecimalField(
        _("monthly GMV (CNY)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    units_per_session = models.PositiveIntegerField(_("typical units per live session"), default=0)
    province = models.CharField(_("province"), max_length=32, blank=True)
    city = models.CharField(_("city"), max_length=32, blank=True)
    needs_customization = models.BooleanField(_("needs customized products"), default=False)
    audience_age_min = models.PositiveSmallIntegerField(
        _("audience age from"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
    )
    audience_age_max = models.PositiveSmallIntegerField(
        _("audience age to"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(120)]
    )
    audience_female_share = models.DecimalField(
        _("female share of audience"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )

    # The streamer's record, recomputed by the trials app; factories see it when judging a request.
    trials_count = models.PositiveIntegerField(_("trials"), default=0)
    feedback_on_time_rate = models.DecimalField(
        _("feedback on time"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    sample_followthrough_rate = models.DecimalField(
        _("samples followed up"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    cancellations_count = models.PositiveIntegerField(_("cancellations"), default=0)
    # The counts behind the rates (matching shrinks a rate by how much it rests on).
    feedback_due = models.PositiveIntegerField(_("trial feedback due"), default=0)
    feedback_on_time = models.PositiveIntegerField(_("trial feedback on time"), default=0)
    trials_decided = models.PositiveIntegerField(_("trials decided after feedback"), default=0)
    trials_converted = models.PositiveIntegerField(_("trials turned into bulk orders"), default=0)
    samples_received = models.PositiveIntegerField(_("samples received"), default=0)
    samples_followed = models.PositiveIntegerField(_("samples followed by a trial"), default=0)

    search_index_dirty = models.BooleanField(
        _("needs reindexing"), default=True, db_index=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("streamer profile")
        verbose_name_plural = _("streamer profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_max__gte=models.F("price_min")), name="buyer_price_band_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def record(self) -> dict:
        return {
            "trials_count": self.trials_count,
            "feedback_on_time_rate": self.feedback_on_time_rate,
            "sample_followthrough_rate": self.sample_followthrough_rate,
            "cancellations_count": self.cancellations_count,
            "feedback_due": self.feedback_due,
            "feedback_on_time": self.feedback_on_time,
            "trials_decided": self.trials_decided,
            "trials_converted": self.trials_converted,
            "samples_received": self.samples_received,
            "samples_followed": self.samples_followed,
        }


class Channel(models.Model):
    """One account on one live-commerce platform."""

    buyer = models.ForeignKey(
        BuyerProfile, on_delete=models.CASCADE, related_name="channels", verbose_name=_("streamer")
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=80)
    followers = models.PositiveIntegerField(_("followers"), default=0)

    class Meta:
        ordering = ["-followers", "id"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            # Handles are case-insensitive on these platforms: @ABC and @abc are one account.
            models.UniqueConstraint(Lower("handle"), "platform", name="channel_unique_handle_per_platform_ci")
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle}"
