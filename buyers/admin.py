"""Streamer profiles in the admin. Edits go through `buyer_update` (which records an event and
marks the profile for re-indexing); channels are edited inline and passed to the same service."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, Model, QuerySet, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.admin import admin_user
from marketplace.core.admin import EventHistoryMixin

from .models import BuyerProfile, Channel
from .services import PROFILE_FIELDS, buyer_update

RECORD_FIELDS = ("trials_count", "feedback_on_time_rate", "sample_followthrough_rate", "cancellations_count")


class ChannelInline(admin.TabularInline):
    model = Channel
    fields = ("platform", "handle", "followers")
    extra = 0


@admin.register(BuyerProfile)
class BuyerProfileAdmin(EventHistoryMixin, admin.ModelAdmin):
    list_display = (
        "display_name",
        "user",
        "city",
        "price_band",
        "monthly_gmv",
        "units_per_session",
        "channel_count",
        "followers",
        "created_at",
    )
    list_filter = ("needs_customization", "province", "channels__platform", "categories")
    search_fields = ("display_name", "user__username", "user__email", "channels__handle")
    list_select_related = ("user",)
    filter_horizontal = ("categories",)
    inlines = (ChannelInline,)
    readonly_fields = ("user", *RECORD_FIELDS, "created_at", "updated_at", "event_history")
    fieldsets = (
        (None, {"fields": ("user", "display_name", "province", "city", "categories")}),
        (
            _("Business"),
            {"fields": ("price_min", "price_max", "monthly_gmv", "units_per_session", "needs_customization")},
        ),
        (_("Audience"), {"fields": ("audience_age_min", "audience_age_max", "audience_female_share")}),
        (_("Record"), {"fields": RECORD_FIELDS}),
        (_("History"), {"fields": ("created_at", "updated_at", "event_history")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A streamer creates their own profile (one per account).
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[BuyerProfile]:
        profiles: QuerySet[BuyerProfile] = super().get_queryset(request)
        return profiles.annotate(
            _channels=Count("channels", distinct=True), _followers=Sum("channels__followers")
        )

    @admin.display(description=_("price band (CNY)"), ordering="price_min")
    def price_band(self, obj: BuyerProfile) -> str:
        return f"{obj.price_min}–{obj.price_max}"

    @admin.display(description=_("channels"), ordering="_channels")
    def channel_count(self, obj: BuyerProfile) -> int:
        count: int = obj._channels  # type: ignore[attr-defined]  # annotated by get_queryset
        return count

    @admin.display(description=_("followers"), ordering="_followers")
    def followers(self, obj: BuyerProfile) -> int:
        count: int = obj._followers or 0  # type: ignore[attr-defined]  # annotated by get_queryset
        return count

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Saved in save_related, once the channel formset is known: one service call, one event."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in PROFILE_FIELDS}
        if "categories" in data:
            data["categories"] = [c.slug for c in data["categories"]]
        if any(formset.has_changed() for formset in formsets):
            data["channels"] = [
                {
                    "platform": f.cleaned_data["platform"],
                    "handle": f.cleaned_data["handle"],
                    "followers": f.cleaned_data["followers"],
                }
                for formset in formsets
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
        if data:
            buyer_update(profile=form.instance, actor=admin_user(request), data=data)
        for formset in formsets:
            # The admin's change message reads these; the service replaced the channels itself.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("handle", "platform", "followers", "buyer")
    list_filter = ("platform",)
    search_fields = ("handle", "buyer__display_name")
    list_select_related = ("buyer",)

    # Read-only here: channels are edited on the streamer profile page, through buyer_update.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
