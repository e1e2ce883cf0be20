"""Staff read tours here; every change goes through the services (the API and the pages), so the
admin shows and never edits: a status set by hand would skip its event row and notifications."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import TourAvailability, TourBlackout, TourBooking, TourWindow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class WindowInline(ReadOnlyInline):
    model = TourWindow


class BlackoutInline(ReadOnlyInline):
    model = TourBlackout


@admin.register(TourAvailability)
class TourAvailabilityAdmin(ReadOnlyAdmin):
    list_display = ["factory", "slot_minutes", "parallel_calls", "active", "updated_at"]
    list_filter = ["active", "slot_minutes"]
    search_fields = ["factory__name"]
    inlines = [WindowInline, BlackoutInline]


@admin.register(TourBooking)
class TourBookingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "factory", "buyer", "status", "starts_at", "rating"]
    list_filter = ["status"]
    search_fields = ["factory__name", "buyer__display_name"]
    date_hierarchy = "starts_at"
    list_select_related = ["factory", "buyer"]
