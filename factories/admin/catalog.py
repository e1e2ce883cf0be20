from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import Count, F, ForeignKey, QuerySet
from django.db.models.functions import Coalesce
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import Category, IndustrialBelt


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> Iterable[tuple[str, Any]]:
        return (("top", _("top level")), ("sub", _("sub-category")))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Listed as a tree: each top-level category followed by its sub-categories, indented."""

    list_display = ("tree_name", "name_en", "slug", "parent", "position", "product_count")
    list_filter = (LevelFilter, ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "name_en", "slug")
    list_select_related = ("parent",)
    # Parent's position first, then the parent itself before its children, then the children.
    ordering = (
        Coalesce("parent__position", "position").asc(),
        Coalesce("parent_id", "id").asc(),
        F("parent_id").asc(nulls_first=True),
        "position",
    )
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("parent", "name", "name_en", "slug", "position")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        categories: QuerySet[Category] = super().get_queryset(request)
        return categories.annotate(_products=Count("products"))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "parent":
            # Two levels only: a parent must itself be top-level.
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("name (Chinese)"), ordering="name")
    def tree_name(self, obj: Category) -> str:
        return f"\u3000└ {obj.name}" if obj.parent_id else obj.name

    @admin.display(description=_("products"), ordering="_products")
    def product_count(self, obj: Category) -> int:
        count: int = obj._products  # type: ignore[attr-defined]  # annotated by get_queryset
        return count


@admin.register(IndustrialBelt)
class IndustrialBeltAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "province", "city", "factory_count")
    list_filter = ("province",)
    search_fields = ("name", "name_en", "slug", "province", "city")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[IndustrialBelt]:
        belts: QuerySet[IndustrialBelt] = super().get_queryset(request)
        return belts.annotate(_factories=Count("factories"))

    @admin.display(description=_("factories"), ordering="_factories")
    def factory_count(self, obj: IndustrialBelt) -> int:
        count: int = obj._factories  # type: ignore[attr-defined]  # annotated by get_queryset
        return count
