"""Products in the admin: staff approve, reject (with a reason) or delist listings via the services."""

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, Model
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.admin import admin_user
from marketplace.core.admin import (
    EventHistoryMixin,
    OptionalReasonForm,
    ReasonForm,
    StaffAction,
    StaffActionsMixin,
    object_link,
)

from ..flows import PRODUCT_TABLE
from ..models import Category, Product, ProductImage, ProductStatus, RevisionStatus
from ..services import product_approve, product_delist, product_reject, product_update
from ..services.products import EDITABLE_FIELDS


def thumbnail_tag(image: ProductImage, size: int = 120) -> str:
    if not image.thumbnail:
        return "—"
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px">', image.thumbnail.url, size, size
    )


class ProductImageInline(admin.TabularInline):
    """Images are processed (EXIF stripped, thumbnail made) on upload through the API; here they are shown."""

    model = ProductImage
    fields = ("preview", "width", "height", "position", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("thumbnail"))
    def preview(self, image: ProductImage) -> str:
        return thumbnail_tag(image)


@admin.register(Product)
class ProductAdmin(StaffActionsMixin, EventHistoryMixin, admin.ModelAdmin):
    list_display = ("title", "factory", "category", "factory_price", "moq", "status", "created_at")
    list_filter = ("status", "customizable", "trial_eligible", "factory__verification_status", "category")
    search_fields = ("title", "factory__name", "=id")
    list_select_related = ("factory", "category")
    inlines = (ProductImageInline,)
    readonly_fields = (
        "factory",
        "status",
        "status_reason",
        "pending_changes",
        "created_at",
        "updated_at",
        "event_history",
    )
    fieldsets = (
        (None, {"fields": ("factory", "title", "category", "description")}),
        (_("Status"), {"fields": ("status", "status_reason", "pending_changes")}),
        (
            _("Terms"),
            {
                "fields": (
                    "factory_price",
                    "moq",
                    "lead_time_days",
                    "customizable",
                    "trial_eligible",
                    "attributes",
                )
            },
        ),
        (_("History"), {"fields": ("created_at", "updated_at", "event_history")}),
    )
    staff_flow = PRODUCT_TABLE
    staff_actions = (
        StaffAction(
            name="approve",
            label=_("Approve"),
            done=_("Approved: %(objects)s."),
            apply=lambda p, actor, data: product_approve(product=p, actor=actor),
        ),
        StaffAction(
            name="reject",
            label=_("Reject"),
            done=_("Rejected: %(objects)s."),
            apply=lambda p, actor, data: product_reject(product=p, actor=actor, reason=data["reason"]),
            form=ReasonForm,
        ),
        StaffAction(
            name="delist",
            label=_("Delist"),
            done=_("Delisted: %(objects)s."),
            apply=lambda p, actor, data: product_delist(product=p, actor=actor, reason=data["reason"]),
            form=OptionalReasonForm,
        ),
    )

    @admin.display(description=_("changes waiting for review"))
    def pending_changes(self, product: Product) -> str:
        revision = product.revisions.filter(status=RevisionStatus.PENDING).first()
        return object_link(revision, str(_("Review the changes"))) if revision else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Listings are created by their factory; staff review them.
        return False

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> list[str] | tuple[str, ...]:
        if isinstance(obj, Product) and obj.status == ProductStatus.DELISTED:
            # product_update refuses edits of a delisted listing until its factory resubmits it.
            return (*self.readonly_fields, *EDITABLE_FIELDS)
        return self.readonly_fields

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.filter(parent__isnull=False).select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
        if "category" in data:
            data["category"] = data["category"].slug
        if data:
            product_update(product=obj, actor=admin_user(request), data=data)
