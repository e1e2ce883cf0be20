"""Read-only moderation view of conversations: staff read what was said (e.g. after a report of
fakes or abuse) but never write or edit in someone's conversation. Attachments are listed by
name and size; the files themselves stay behind the participants' views."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin import ReadOnlyAdminMixin

from .models import Attachment, ContactCard, Conversation, Message


class _ReadOnlyInline(admin.TabularInline):
    """Inline rows staff read but never add, change or delete."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


MESSAGE_FIELDS = ("created_at", "side", "author", "body", "topic_kind", "topic_id", "attachment_names")
ATTACHMENT_FIELDS = ("kind", "name", "content_type", "size", "width", "height")


class MessageInline(_ReadOnlyInline):
    model = Message
    fields = MESSAGE_FIELDS
    readonly_fields = MESSAGE_FIELDS
    ordering = ["-id"]
    show_change_link = True

    @admin.display(description=_("attachments"))
    def attachment_names(self, message) -> str:
        return ", ".join(f"{a.name} ({a.size} B)" for a in message.attachments.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").prefetch_related("attachments")


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "buyer", "factory", "started_by", "created_at", "last_message_at"]
    list_select_related = ["buyer", "factory"]
    search_fields = ["buyer__display_name", "factory__name", "=id"]
    list_filter = ["started_by"]
    date_hierarchy = "created_at"
    inlines = [MessageInline]


class AttachmentInline(_ReadOnlyInline):
    model = Attachment
    fields = ATTACHMENT_FIELDS
    readonly_fields = ATTACHMENT_FIELDS


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "conversation", "side", "author", "created_at", "topic_kind", "topic_id"]
    list_select_related = ["conversation", "author"]
    list_filter = ["side", "topic_kind"]
    search_fields = ["body", "=conversation__id"]
    inlines = [AttachmentInline]


@admin.register(ContactCard)
class ContactCardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "phone", "wechat", "email", "updated_at"]
    search_fields = ["user__username", "name", "phone", "wechat", "email"]
