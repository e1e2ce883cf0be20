from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .product import Product


class ReportReason(models.TextChoices):
    COUNTERFEIT = "counterfeit", _("counterfeit (假货)")
    MISLEADING = "misleading", _("misleading description")
    PROHIBITED = "prohibited", _("prohibited goods")
    OTHER = "other", _("other")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved: action taken")
    DISMISSED = "dismissed", _("dismissed")


class ProductReport(models.Model):
    """A report of fakes or bad listings: the staff moderation queue."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="reports", verbose_name=_("product")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    detail = models.TextField(_("detail"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    resolution_note = models.TextField(_("resolution note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("product report")
        verbose_name_plural = _("product reports")
        constraints = [
            # One open report per person and product: a double click does not double the queue.
            models.UniqueConstraint(
                fields=["product", "reporter"],
                condition=models.Q(status="open"),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.product}"
