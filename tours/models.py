"""A factory's weekly tour availability and the streamers' bookings of it (视频看厂, issue 13).

Times of the week are wall-clock times in Asia/Shanghai (the factory's zone, no daylight saving);
a booking stores its start and end as aware datetimes (UTC in the database), so a viewer in any
zone sees the same instant.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile
from factories.models import Factory, Product
from marketplace.core.validators import validate_no_nul

from .validators import validate_meeting_url

MAX_PARALLEL_CALLS = 10
MEETING_URL_MAX_LENGTH = 500
AGENDA_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 1000


class SlotLength(models.IntegerChoices):
    MINUTES_15 = 15, _("15 minutes")
    MINUTES_20 = 20, _("20 minutes")
    MINUTES_30 = 30, _("30 minutes")
    MINUTES_45 = 45, _("45 minutes")
    MINUTES_60 = 60, _("60 minutes")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class TourAvailability(models.Model):
    """One per factory: how long a call is, how many calls at once, and the meeting link."""

    factory = models.OneToOneField(
        Factory, on_delete=models.CASCADE, related_name="tour_availability", verbose_name=_("factory")
    )
    meeting_url = models.URLField(
        _("meeting link"),
        max_length=MEETING_URL_MAX_LENGTH,
        validators=[validate_meeting_url],
        help_text=_("Your own Tencent Meeting, DingTalk or Zoom link (https)."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("call length"), choices=SlotLength.choices, default=SlotLength.MINUTES_30
    )
    parallel_calls = models.PositiveSmallIntegerField(
        _("calls at the same time"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARALLEL_CALLS)],
    )
    active = models.BooleanField(_("taking bookings"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("tour availability")
        verbose_name_plural = _("tour availabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(parallel_calls__gte=1, parallel_calls__lte=MAX_PARALLEL_CALLS),
                name="tour_parallel_calls_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.factory)


class TourWindow(models.Model):
    """A weekly time range (Asia/Shanghai) in which calls start and end."""

    availability = models.ForeignKey(
        TourAvailability, on_delete=models.CASCADE, related_name="windows", verbose_name=_("availability")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name = _("weekly time range")
        verbose_name_plural = _("weekly time ranges")
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="tour_window_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="tour_window_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TourBlackout(models.Model):
    """A date (Asia/Shanghai) without calls: a holiday, the fair, a machine overhaul."""

    availability = models.ForeignKey(
        TourAvailability, on_delete=models.CASCADE, related_name="blackouts", verbose_name=_("availability")
    )
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("date without calls")
        verbose_name_plural = _("dates without calls")
        constraints = [models.UniqueConstraint(fields=["availability", "date"], name="tour_blackout_once")]

    def __str__(self) -> str:
        return self.date.isoformat()


class TourStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    PROPOSED = "proposed", _("other time proposed")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")


# A booking in these states holds one of the slot's places.
HOLDING = [TourStatus.REQUESTED, TourStatus.PROPOSED, TourStatus.CONFIRMED]


class TourBooking(models.Model):
    """A streamer's video call with a factory at one slot.

    `place` is which of the slot's parallel calls this booking holds (1..parallel_calls). The
    partial unique index on (factory, starts_at, place) over holding bookings is what stops a
    double booking: two requests for the last place both try to insert the same place and the
    database lets one of them in.
    """

    factory = models.ForeignKey(
        Factory, on_delete=models.PROTECT, related_name="tour_bookings", verbose_name=_("factory")
    )
    buyer = models.ForeignKey(
        BuyerProfile, on_delete=models.PROTECT, related_name="tour_bookings", verbose_name=_("streamer")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.PositiveSmallIntegerField(_("place in the slot"))
    requested_starts_at = models.DateTimeField(_("first asked for"))
    status = models.CharField(
        _("status"), max_length=16, choices=TourStatus.choices, default=TourStatus.REQUESTED
    )
    agenda = models.TextField(
        _("what to see"), max_length=AGENDA_MAX_LENGTH, blank=True, validators=[validate_no_nul]
    )
    products = models.ManyToManyField(
        Product, related_name="tour_bookings", blank=True, verbose_name=_("products to discuss")
    )
    meeting_url = models.URLField(_("meeting link"), max_length=MEETING_URL_MAX_LENGTH, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=16, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("factory tour")
        verbose_name_plural = _("factory tours")
        constraints = [
            models.UniqueConstraint(
                fields=["factory", "starts_at", "place"],
                condition=Q(status__in=HOLDING),
                name="tour_one_booking_per_place",
            ),
            # A streamer is in one call at a time.
            models.UniqueConstraint(
                fields=["buyer", "starts_at"],
                condition=Q(status__in=HOLDING),
                name="tour_buyer_one_call_at_once",
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="tour_booking_order"),
            models.CheckConstraint(condition=Q(place__gte=1), name="tour_booking_place_positive"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="tour_rating_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="tour_status_start")]

    def __str__(self) -> str:
        return f"V{self.pk:06d}" if self.pk else "V(new)"
