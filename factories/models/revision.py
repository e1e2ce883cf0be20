from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .product import Product


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    # The factory put every field back and removed the new photos: nothing left to review.
    WITHDRAWN = "withdrawn", _("withdrawn")
    # The listing was delisted or taken down before a decision: the changes went into the listing
    # itself, which is reviewed as a whole before buyers can see it again.
    MERGED = "merged", _("merged into the listing")


class ProductRevision(models.Model):
    """Changes to a live listing that buyers do not see until staff approve them.

    Buyers and staff approved *that* listing, and fakes are typically slipped in by editing an
    approved one; hiding the listing while an edit waits would punish every honest price change.
    So a live listing keeps showing its approved version and the edit waits here: `changes` holds
    the proposed values (JSON: a category by slug, a price as a decimal string), new photos point
    at the revision (ProductImage.revision) until it is approved. At most one is pending per product.
    """

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("product")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    changes = models.JSONField(_("proposed changes"), default=dict, blank=True)
    reason = models.TextField(_("reviewer's reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("listing change")
        verbose_name_plural = _("listing changes")
        constraints = [
            # Two edits racing on one listing must end in one revision to review, not two.
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(status="pending"),
                name="factories_one_pending_revision_per_product",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.product_id}#{self.pk}"
