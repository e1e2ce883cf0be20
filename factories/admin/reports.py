"""The moderation queue: open reports first; staff resolve (optionally delisting) or dismiss them."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin import EventHistoryMixin, StaffAction, StaffActionsMixin, object_link

from ..models import ProductReport, ProductStatus, ReportStatus
from ..services import product_delist, product_report_resolve


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    delist = forms.BooleanField(label=_("Also delist the product"), required=False)


class DismissForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _resolve(report: ProductReport, actor, data: dict) -> None:
    # Both or neither: a resolved report whose delisting failed would hide the fake from the queue.
    with transaction.atomic():
        report = product_report_resolve(
            report=report, actor=actor, status=ReportStatus.RESOLVED, note=data["note"]
        )
        if data["delist"] and report.product.status != ProductStatus.DELISTED:
            product_delist(product=report.product, actor=actor, reason=data["note"])


def _is_open(report: ProductReport) -> bool:
    return report.status == ReportStatus.OPEN


@admin.register(ProductReport)
class ProductReportAdmin(StaffActionsMixin, EventHistoryMixin, admin.ModelAdmin):
    list_display = ("created_at", "status", "reason", "product_link", "factory", "reporter", "handled_by")
    list_filter = ("status", "reason", "product__status")
    search_fields = ("product__title", "product__factory__name", "reporter__username", "detail")
    list_select_related = ("product", "product__factory", "reporter", "handled_by")
    # Open reports first (the queue), oldest first within each group.
    ordering = (Case(When(status=ReportStatus.OPEN, then=Value(0)), default=Value(1)).asc(), "created_at")
    fields = (
        "product",
        "reporter",
        "reason",
        "detail",
        "status",
        "resolution_note",
        "handled_by",
        "handled_at",
        "created_at",
        "event_history",
    )
    readonly_fields = fields
    staff_actions = (
        StaffAction(
            name="resolve",
            label=_("Resolve (action taken)"),
            done=_("Resolved: %(objects)s."),
            apply=_resolve,
            form=ResolveForm,
            available=_is_open,
        ),
        StaffAction(
            name="dismiss",
            label=_("Dismiss"),
            done=_("Dismissed: %(objects)s."),
            apply=lambda r, actor, data: product_report_resolve(
                report=r, actor=actor, status=ReportStatus.DISMISSED, note=data["note"]
            ),
            form=DismissForm,
            available=_is_open,
        ),
    )

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Every field is read-only: a report changes only through the resolve/dismiss actions."""

    def history_target(self, obj: ProductReport):
        # Report events are recorded on the product, next to its approvals and delistings.
        return obj.product

    @admin.display(description=_("product"), ordering="product__title")
    def product_link(self, obj: ProductReport) -> str:
        return object_link(obj.product)

    @admin.display(description=_("factory"), ordering="product__factory__name")
    def factory(self, obj: ProductReport) -> str:
        return obj.product.factory.name
