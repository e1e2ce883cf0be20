from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.notifications.services import notification_create_best_effort

from ..events import ProductEvents, ReportEvents
from ..models import Product, ProductReport, ReportReason, ReportStatus

REPORT_VERBS: dict[str, str] = {
    ReportStatus.RESOLVED: ReportEvents.RESOLVED,
    ReportStatus.DISMISSED: ReportEvents.DISMISSED,
}


def product_report_create(
    *, product: Product, reporter: User, reason: str, detail: str = ""
) -> ProductReport:
    """Anyone signed in can report a listing; it lands in the staff moderation queue."""
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose one of: counterfeit, misleading, prohibited, other.")})
    if product.factory.owner_id == reporter.pk:
        raise ValidationError({"detail": _("You cannot report your own product; edit or delist it instead.")})
    detail = (detail or "").strip()
    if reason == ReportReason.OTHER and not detail:
        raise ValidationError({"detail": _("Describe the problem.")})
    try:
        with transaction.atomic():
            report = ProductReport.objects.create(
                product=product, reporter=reporter, reason=reason, detail=detail
            )
            event_record(
                actor=reporter,
                verb=ProductEvents.REPORTED,
                target=product,
                report_id=report.pk,
                reason=reason,
            )
    except IntegrityError:
        raise ValidationError(
            {"detail": _("You have already reported this product; staff are looking at it.")}
        ) from None
    return report


@transaction.atomic
def product_report_resolve(
    *, report: ProductReport, actor: User, status: str, note: str = ""
) -> ProductReport:
    report = ProductReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise TransitionNotAllowed(_("This report has already been handled."))
    if status not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED):
        raise ValidationError({"status": _("Choose resolved or dismissed.")})
    report.status = status
    report.resolution_note = note
    report.handled_by = actor
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "resolution_note", "handled_by", "handled_at"])
    event_record(
        actor=actor, verb=REPORT_VERBS[status], target=report.product, report_id=report.pk, note=note
    )
    # The reporter learns the outcome only: not the note (staff's words may name the factory's
    # private details), nor what was done to the listing.
    notification_create_best_effort(
        recipient=report.reporter,
        kind=REPORT_VERBS[status],
        key=f"product-report:{report.pk}:handled",
        data={"ref": f"P{report.product_id:06d}", "title": report.product.title},
    )
    return report
