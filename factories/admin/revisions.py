"""Changes to live listings waiting for staff (ProductRevision): a queue of pending changes, each
shown as live value → proposed value with the new photos, approved or rejected with a reason
through the same services as POST products/{id}/revision/approve|reject/."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import admin
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin import ReadOnlyAdminMixin, ReasonForm, StaffAction, StaffActionsMixin, object_link

from ..models import ProductImage, ProductRevision, RevisionStatus
from ..services import product_revision_approve, product_revision_reject
from ..services.revisions import revision_live_values
from .products import thumbnail_tag


def _pending(revision: ProductRevision) -> bool:
    return revision.status == RevisionStatus.PENDING


class PendingFirstFilter(admin.SimpleListFilter):
    """The queue opens on what waits; decided changes are one click away."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> Iterable[tuple[str, Any]]:
        return [*RevisionStatus.choices, ("all", _("All"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value() or RevisionStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist: Any) -> Iterator[Any]:  # Django's _ListFilterChoices dicts
        current = self.value() or RevisionStatus.PENDING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


@admin.register(ProductRevision)
class ProductRevisionAdmin(StaffActionsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "product_link",
        "factory",
        "fields_changed",
        "photo_count",
        "status",
        "updated_at",
    )
    list_filter = (PendingFirstFilter,)
    list_select_related = ("product__factory", "product__category")
    search_fields = ("product__title", "product__factory__name", "=product__id")
    ordering = ("created_at", "id")  # oldest waiting first
    fields = (
        "product_link",
        "factory",
        "status",
        "comparison",
        "photos",
        "reason",
        "created_at",
        "decided_at",
    )
    readonly_fields = fields
    staff_actions = (
        StaffAction(
            name="approve",
            label=_("Approve changes"),
            done=_("Approved: %(objects)s."),
            apply=lambda r, actor, data: product_revision_approve(product=r.product, actor=actor),
            available=_pending,
        ),
        StaffAction(
            name="reject",
            label=_("Reject changes"),
            done=_("Rejected: %(objects)s."),
            apply=lambda r, actor, data: product_revision_reject(
                product=r.product, actor=actor, reason=data["reason"]
            ),
            form=ReasonForm,
            available=_pending,
        ),
    )

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # No editing of the row itself; "change" is what lets staff take the decisions above.
        return request.user.is_active and request.user.is_staff

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Every field is read-only: the decisions are the buttons, so no "Save" row.
        hidden = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **hidden})

    @admin.display(description=_("product"))
    def product_link(self, revision: ProductRevision) -> str:
        return object_link(revision.product)

    @admin.display(description=_("factory"))
    def factory(self, revision: ProductRevision) -> str:
        return object_link(revision.product.factory)

    @admin.display(description=_("changed fields"))
    def fields_changed(self, revision: ProductRevision) -> str:
        return ", ".join(sorted(revision.changes)) or "—"

    @admin.display(description=_("new photos"))
    def photo_count(self, revision: ProductRevision) -> int:
        count: int = revision.photo_count  # type: ignore[attr-defined]  # annotated by get_queryset
        return count

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductRevision]:
        # Counted in the list's one query, not once per row (the join reads the image table, not
        # ProductImage's default manager, so photos waiting for review are the ones counted).
        revisions: QuerySet[ProductRevision] = super().get_queryset(request)
        return revisions.annotate(photo_count=Count("images"))

    @admin.display(description=_("live → proposed"))
    def comparison(self, revision: ProductRevision) -> str:
        if not revision.changes:
            return "—"
        live = revision_live_values(revision.product)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td><strong>{}</strong></td></tr>",
            ((field, live[field], value) for field, value in sorted(revision.changes.items())),
        )
        return format_html(
            "<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("live"),
            _("proposed"),
            rows,
        )

    @admin.display(description=_("new photos"))
    def photos(self, revision: ProductRevision) -> str:
        images = ProductImage.all_objects.filter(revision=revision)
        return format_html_join(" ", "{}", ((thumbnail_tag(image),) for image in images)) or "—"
