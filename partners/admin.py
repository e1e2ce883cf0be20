"""Organizations, streamer links and partner keys in the admin: read for staff, changes through
the services (the API), so every change leaves its audit row. A key can be revoked from here."""

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.accounts.admin import admin_user
from marketplace.core.admin import EventHistoryMixin, ReadOnlyAdminMixin

from .models import (
    MemberInvitation,
    Membership,
    Organization,
    PartnerKey,
    StreamerLink,
    WebhookDelivery,
    WebhookSubscription,
)
from .services import key_revoke


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class InvitationInline(admin.TabularInline):
    model = MemberInvitation
    extra = 0
    fields = ("invitee", "role", "status", "invited_by", "invited_at", "expires_at", "answered_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(EventHistoryMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name", "memberships__user__username")
    fields = ("name", "created_at", "event_history")
    readonly_fields = fields
    inlines = [MembershipInline, InvitationInline]


@admin.register(StreamerLink)
class StreamerLinkAdmin(EventHistoryMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "buyer", "status", "invited_by", "created_at", "accepted_at", "ended_at")
    list_filter = ("status", "invited_by")
    search_fields = ("organization__name", "buyer__display_name")
    list_select_related = ("organization", "buyer")
    fields = (*list_display, "event_history")
    readonly_fields = fields


@admin.register(PartnerKey)
class PartnerKeyAdmin(EventHistoryMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "prefix",
        "organization",
        "created_at",
        "last_used_at",
        "revoked_at",
        "expires_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix", "organization__name")
    list_select_related = ("organization",)
    fields = (
        "name",
        "prefix",
        "organization",
        "scopes",
        "rate_per_minute",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "expires_at",
        "replaced_by",
        "event_history",
    )
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = 0
        for key in queryset.filter(revoked_at__isnull=True):
            key_revoke(key=key, actor=admin_user(request), address=get_client_ip_address(request))
            count += 1
        messages.success(
            request, ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count}
        )


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(EventHistoryMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only; the signing secret is never shown, not even to staff."""

    list_display = ("organization", "factory", "url", "consecutive_failures", "disabled_at", "created_at")
    list_filter = ("disabled_at",)
    search_fields = ("organization__name", "factory__name", "url")
    list_select_related = ("organization", "factory")
    fields = (
        "organization",
        "factory",
        "url",
        "event_types",
        "consecutive_failures",
        "disabled_at",
        "created_at",
    )
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "event_type",
        "subscription",
        "object_key",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "event_type")
    search_fields = ("event_id", "object_key", "subscription__url")
    list_select_related = ("subscription__organization",)
    fields = (
        "subscription",
        "event_id",
        "event_type",
        "object_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
        "redelivery_of",
        "payload",
    )
    readonly_fields = fields
