from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from factories.validators import validate_credit_code

from .catalog import Category, IndustrialBelt
from .media import licence_path, private_storage, validate_https


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("pending verification")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")
    SUSPENDED = "suspended", _("suspended")


class FactoryTier(models.TextChoices):
    STANDARD = "standard", _("standard")
    SUPER = "super", _("super factory")


class VerificationCheck(models.TextChoices):
    """What staff checked when they verified a factory (any of them)."""

    BUSINESS_LICENCE = "business_licence", _("business licence")
    SITE_VISIT = "site_visit", _("site visit")
    VIDEO_TOUR = "video_tour", _("video tour")


class CustomizationLevel(models.TextChoices):
    NONE = "none", _("no customization")
    OEM = "oem", _("OEM (your brand, our design)")
    ODM = "odm", _("ODM (we design for you)")


class Factory(models.Model):
    """A source factory (源头工厂). Public only once staff have verified it."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="factory")
    name = models.CharField(_("factory name"), max_length=120)
    province = models.CharField(_("province"), max_length=32)
    city = models.CharField(_("city"), max_length=32)
    industrial_belt = models.ForeignKey(
        IndustrialBelt,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="factories",
        verbose_name=_("industrial belt"),
    )
    categories = models.ManyToManyField(Category, related_name="factories", verbose_name=_("categories"))
    description = models.TextField(_("description"), blank=True)
    established_year = models.PositiveSmallIntegerField(
        _("year established"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity (units)"), null=True, blank=True)
    customization = models.CharField(
        _("customization"), max_length=8, choices=CustomizationLevel.choices, default=CustomizationLevel.NONE
    )
    # xgettext:no-python-format
    accepts_trials = models.BooleanField(_("accepts 50%-off trials"), default=True)
    max_trial_quantity = models.PositiveIntegerField(
        _("max trial quantity"), default=100, validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    trial_days = models.PositiveSmallIntegerField(
        _("trial days"), default=30, validators=[MinValueValidator(7), MaxValueValidator(180)]
    )
    # The share of a bulk order paid before production (定金); the balance is paid on delivery.
    deposit_percent = models.PositiveSmallIntegerField(
        _("bulk-order deposit (%)"), default=30, validators=[MinValueValidator(10), MaxValueValidator(90)]
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )

    verification_status = models.CharField(
        _("verification"),
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    tier = models.CharField(
        _("tier"), max_length=16, choices=FactoryTier.choices, default=FactoryTier.STANDARD
    )
    status_reason = models.TextField(_("reason (rejection / suspension)"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Verification freshness (issue 12, point 5): what staff checked, and until when it holds. A
    # verification past its expiry is lapsed (`verification_lapsed_at`, set by the beat task):
    # the factory keeps its listings public but loses its verified badge and its super tier
    # until staff verify it again. The reminder is stamped so it is sent once per verification.
    verification_checks = models.JSONField(_("checked on verification"), default=list, blank=True)
    verification_expires_at = models.DateTimeField(
        _("verification expires at"), null=True, blank=True, db_index=True
    )
    verification_reminded_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)
    verification_lapsed_at = models.DateTimeField(_("verification lapsed at"), null=True, blank=True)

    # The factory's record, recomputed by the trials app from real trials and requests; they
    # feed matching and are shown on the profile. Null means "not enough history yet".
    response_rate = models.DecimalField(
        _("response rate"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    median_response_hours = models.DecimalField(
        _("median response time (hours)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    trial_conversion_rate = models.DecimalField(
        _("trial → order conversion"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    return_rate = models.DecimalField(
        _("return rate in trials"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    average_rating = models.DecimalField(
        _("average trial rating"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    trials_completed = models.PositiveIntegerField(_("trials completed"), default=0)
    # The counts behind the rates: matching trusts a rate in proportion to how many trials it
    # rests on (search/fit/outcomes.py), so it needs them, not only the rates.
    trials_reported = models.PositiveIntegerField(_("trials with feedback"), default=0)
    trials_decided = models.PositiveIntegerField(_("trials decided after feedback"), default=0)
    trials_converted = models.PositiveIntegerField(_("trials turned into bulk orders"), default=0)
    units_sold = models.PositiveBigIntegerField(_("units sold in trials"), default=0)
    units_returned = models.PositiveBigIntegerField(_("units returned in trials"), default=0)
    requests_answered = models.PositiveIntegerField(_("requests answered"), default=0)
    requests_expired = models.PositiveIntegerField(_("requests left to expire"), default=0)
    # Paid trials the factory never shipped, which staff cancelled and refunded (the trials app's
    # `cancel_with_refund`): its failures to deliver, shown to streamers beside its record.
    trials_failed_to_ship = models.PositiveIntegerField(_("paid trials not shipped"), default=0)
    # Video tours (the tours app): the streamers' ratings after their calls.
    tour_rating = models.DecimalField(
        _("average video tour rating"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    tours_rated = models.PositiveIntegerField(_("video tours rated"), default=0)

    video_url = models.URLField(
        _("factory tour video link"), max_length=500, blank=True, validators=[validate_https]
    )
    # Seen by staff only (verification), never served under MEDIA_URL: see media.py.
    licence_image = models.FileField(
        _("business licence"), upload_to=licence_path, storage=private_storage, blank=True, editable=False
    )

    search_index_dirty = models.BooleanField(
        _("needs reindexing"), default=True, db_index=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("factory")
        verbose_name_plural = _("factories")

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def verification_current(self) -> bool:
        """Verified and not lapsed: what the verified badge and the search filter show."""
        return self.is_public and self.verification_lapsed_at is None

    @property
    def verification_checks_display(self) -> list[str]:
        labels = dict(VerificationCheck.choices)
        return [str(labels.get(check, check)) for check in self.verification_checks]

    @property
    def metrics(self) -> dict:
        return {
            "response_rate": self.response_rate,
            "median_response_hours": self.median_response_hours,
            "trial_conversion_rate": self.trial_conversion_rate,
            "return_rate": self.return_rate,
            "average_rating": self.average_rating,
            "trials_completed": self.trials_completed,
            "trials_reported": self.trials_reported,
            "trials_decided": self.trials_decided,
            "trials_converted": self.trials_converted,
            "units_sold": self.units_sold,
            "units_returned": self.units_returned,
            "requests_answered": self.requests_answered,
            "requests_expired": self.requests_expired,
            "trials_failed_to_ship": self.trials_failed_to_ship,
            "tour_rating": self.tour_rating,
            "tours_rated": self.tours_rated,
        }
