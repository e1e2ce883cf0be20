"""The outbox in the admin: what is still owed, why it failed, and a way to retry it now."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin import ReadOnlyAdminMixin, json_summary
from .models import OutboxMessage
from .outbox import outbox_retry_now


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: rows are written by services and delivered by the relay."""

    list_display = (
        "id",
        "topic",
        "created_at",
        "delivered_at",
        "attempts",
        "available_at",
        "payload_summary",
    )
    list_filter = ("topic", ("delivered_at", admin.EmptyFieldListFilter))
    readonly_fields = (
        "topic",
        "payload",
        "created_at",
        "available_at",
        "delivered_at",
        "attempts",
        "last_error",
    )
    fields = readonly_fields
    actions = ["retry_now"]

    @admin.display(description=_("payload"))
    def payload_summary(self, obj: OutboxMessage) -> str:
        return json_summary(obj.payload)

    @admin.action(description=_("Deliver with the next relay run"), permissions=["view"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_retry_now(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            gettext("%(count)d pending rows will be delivered by the next relay run.") % {"count": count},
            messages.SUCCESS,
        )
