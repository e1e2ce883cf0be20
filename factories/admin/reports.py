"""The moderation queues of reports: `ReportAdmin`, the one base (open reports first, read-only,
resolve or dismiss), here in the lower layer so conversations' report queue uses it too; and the
product reports' queue, where staff resolve (optionally delisting) or dismiss."""

from collections.abc import Callable
from typing import Any, Protocol, cast

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Case, Model, Value, When
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.core.admin import EventHistoryMixin, StaffAction, StaffActionsMixin, object_link

from ..models import Product, ProductReport, ProductStatus, ReportStatus
from ..services import product_delist, product_report_resolve


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(NoteForm):
    delist = forms.BooleanField(label=_("Also delist the product"), required=False)


class _Report(Protocol):
    status: str  # a ReportStatus (product and conversation reports share it)


def report_is_open(report: _Report) -> bool:
    return report.status == ReportStatus.OPEN


ReportResolve = Callable[..., object]  # (report=, actor=, status=, note=, **what the action adds)


def report_action(
    name: str, label: Any, done: Any, apply: Callable[[Any, Any, dict], Any], form: type[forms.Form]
) -> StaffAction:  # label, done, apply: as StaffAction takes them
    """A staff action of a report queue: offered on open reports only."""
    return StaffAction(name=name, label=label, done=done, apply=apply, form=form, available=report_is_open)


def report_dismiss_action(resolve: ReportResolve) -> StaffAction:
    """The dismissal every report queue offers: closed with a note, nothing else done."""
    return report_action(
        "dismiss",
        _("Dismiss"),
        _("Dismissed: %(objects)s."),
        lambda r, actor, data: resolve(
            report=r, actor=actor, status=ReportStatus.DISMISSED, note=data["note"]
        ),
        NoteForm,
    )


class ReportAdmin(StaffActionsMixin, EventHistoryMixin, admin.ModelAdmin):
    """A moderation queue of reports (product reports here, conversation reports in the
    conversations app): open ones first, every field read-only, changed only through the staff
    actions (resolve in the queue's own way, or `report_dismiss_action`)."""

    # What every report shows after what it is about (the product; the conversation and message).
    REPORT_FIELDS = (
        "reason",
        "detail",
        "status",
        "resolution_note",
        "handled_by",
        "handled_at",
        "created_at",
        "event_history",
    )
    # Open reports first (the queue), oldest first within each group.
    ordering = (Case(When(status=ReportStatus.OPEN, then=Value(0)), default=Value(1)).asc(), "created_at")

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> list[str] | tuple[str, ...]:
        # The fields are flat names here (no fieldsets), so they are a readonly_fields list as they are.
        return cast(list[str] | tuple[str, ...], self.fields or ())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Every field is read-only: a report changes only through the staff actions."""


def _resolve(report: ProductReport, actor: User, data: dict[str, Any]) -> None:
    # Both or neither: a resolved report whose delisting failed would hide the fake from the queue.
    with transaction.atomic():
        report = product_report_resolve(
            report=report, actor=actor, status=ReportStatus.RESOLVED, note=data["note"]
        )
        if data["delist"] and report.product.status != ProductStatus.DELISTED:
            product_delist(product=report.product, actor=actor, reason=data["note"])


@admin.register(ProductReport)
class ProductReportAdmin(ReportAdmin):
    list_display = ("created_at", "status", "reason", "product_link", "factory", "reporter", "handled_by")
    list_filter = ("status", "reason", "product__status")
    search_fields = ("product__title", "product__factory__name", "reporter__username", "detail")
    list_select_related = ("product", "product__factory", "reporter", "handled_by")
    fields = ("product", "reporter", *ReportAdmin.REPORT_FIELDS)
    staff_actions = (
        report_action(
            "resolve", _("Resolve (action taken)"), _("Resolved: %(objects)s."), _resolve, ResolveForm
        ),
        report_dismiss_action(product_report_resolve),
    )

    def history_target(self, obj: ProductReport) -> Product:
        # Report events are recorded on the product, next to its approvals and delistings.
        return obj.product

    @admin.display(description=_("product"), ordering="product__title")
    def product_link(self, obj: ProductReport) -> str:
        return object_link(obj.product)

    @admin.display(description=_("factory"), ordering="product__factory__name")
    def factory(self, obj: ProductReport) -> str:
        return obj.product.factory.name
