from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Address


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    """Staff see every address in full (support for a parcel that went astray); changes go
    through the owner's own pages so the rules stay in one place."""

    list_display = [
        "recipient",
        "owner",
        "kind",
        "mobile",
        "province_code",
        "city_code",
        "is_default",
        "updated_at",
    ]
    list_filter = ["kind"]
    search_fields = ["recipient", "mobile", "owner__username"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> list[str] | tuple[str, ...]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
