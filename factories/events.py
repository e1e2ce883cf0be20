"""Every event verb the factories app records (Saleor's `OrderEvents`, Zulip's audit-log types):
the one place a reader finds them, and what the services, the flow tables, the history pages and
the notification texts read. A state change's event holds `from` and `to` (the statuses)."""


class FactoryEvents:
    CREATED = "factory.created"
    UPDATED = "factory.updated"
    PHOTO_ADDED = "factory.photo_added"
    PHOTO_REMOVED = "factory.photo_removed"
    LICENCE_UPLOADED = "factory.licence_uploaded"
    # State changes (factories/flows.py, FACTORY_TABLE): from, to, reason (+ tier on verification).
    VERIFIED = "factory.verified"
    REJECTED = "factory.rejected"
    SUSPENDED = "factory.suspended"
    RESUBMITTED = "factory.resubmitted"
    # Verification freshness (services/freshness.py): the reminder before expiry, and the lapse.
    VERIFICATION_EXPIRING = "factory.verification_expiring"
    VERIFICATION_LAPSED = "factory.verification_lapsed"


class ProductEvents:
    CREATED = "product.created"
    UPDATED = "product.updated"
    IMAGE_ADDED = "product.image_added"
    IMAGE_MOVED = "product.image_moved"
    IMAGE_DELETED = "product.image_deleted"
    REPORTED = "product.reported"
    REVISION_OPENED = "product.revision_opened"
    REVISION_UPDATED = "product.revision_updated"
    REVISION_WITHDRAWN = "product.revision_withdrawn"
    REVISION_APPROVED = "product.revision_approved"
    REVISION_REJECTED = "product.revision_rejected"
    REVISION_MERGED = "product.revision_merged"
    # State changes (factories/flows.py, PRODUCT_TABLE): from, to, reason.
    SUBMITTED = "product.submitted"
    RESUBMITTED = "product.resubmitted"
    APPROVED = "product.approved"
    REJECTED = "product.rejected"
    DELISTED = "product.delisted"


class ReportEvents:
    """Recorded on the reported product: what staff did with a report."""

    RESOLVED = "report.resolved"
    DISMISSED = "report.dismissed"
