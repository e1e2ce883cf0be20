from django.db import models
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile
from factories.models import Factory, Product


class SampleStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    SHIPPED = "shipped", _("shipped")
    RECEIVED = "received", _("received")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")


OPEN_SAMPLE_STATUSES = [SampleStatus.REQUESTED, SampleStatus.ACCEPTED, SampleStatus.SHIPPED]


class SampleRequest(models.Model):
    """申请样品: a free sample before a trial. Capped per streamer per month (see services/samples.py)."""

    buyer = models.ForeignKey(
        BuyerProfile, on_delete=models.PROTECT, related_name="sample_requests", verbose_name=_("buyer")
    )
    factory = models.ForeignKey(
        Factory, on_delete=models.PROTECT, related_name="sample_requests", verbose_name=_("factory")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="sample_requests", verbose_name=_("product")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SampleStatus.choices,
        default=SampleStatus.REQUESTED,
        db_index=True,
    )
    note = models.TextField(_("note"), blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    # Where the goods go, frozen from the streamer's address book when the order was made (an edit
    # of the book later moves nothing on its way); who may read how much: addresses/snapshot.py.
    shipping_address = models.JSONField(_("shipping address"), default=dict, blank=True)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    responded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    shipped_at = models.DateTimeField(null=True, blank=True, verbose_name=_("shipped at"))
    received_at = models.DateTimeField(null=True, blank=True, verbose_name=_("received at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sample request")
        verbose_name_plural = _("sample requests")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "product"],
                condition=models.Q(status__in=OPEN_SAMPLE_STATUSES),
                name="sample_one_open_per_buyer_product",
            )
        ]

    def __str__(self) -> str:
        return f"S{self.pk:06d}" if self.pk else "S(new)"
