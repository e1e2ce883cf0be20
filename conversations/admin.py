"""Read-only moderation view of conversations: staff read what was said (e.g. after a report of
fakes or abuse) but never write or edit in someone's conversation. Attachments are listed by
name and size; the files themselves stay behind the participants' views."""

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from factories.admin.reports import NoteForm, ReportAdmin, report_action, report_dismiss_action
from factories.models import ReportStatus
from marketplace.core.admin import ReadOnlyAdminMixin, object_link

from .models import (
    Attachment,
    ContactCard,
    Conversation,
    ConversationReport,
    Message,
    MessagingBlock,
)
from .moderation import MAX_BLOCK_DAYS, conversation_report_resolve


class _ReadOnlyInline(admin.TabularInline):
    """Inline rows staff read but never add, change or delete."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
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
    def attachment_names(self, message: Message) -> str:
        return ", ".join(f"{a.name} ({a.size} B)" for a in message.attachments.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
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


class ActForm(NoteForm):
    block_days = forms.IntegerField(
        label=_("Block the reported sender from messaging for (days; 0 = no block)"),
        min_value=0,
        max_value=MAX_BLOCK_DAYS,
        initial=7,
    )
    field_order = ("block_days", "note")


@admin.register(ConversationReport)
class ConversationReportAdmin(ReportAdmin):
    """The queue of reported conversations and messages: read what was said (the message, the
    conversation link), then act (resolve, optionally blocking the sender) or dismiss."""

    list_display = (
        "created_at",
        "status",
        "reason",
        "conversation_link",
        "reported",
        "reporter",
        "handled_by",
    )
    list_filter = ("status", "reason")
    search_fields = (
        "reporter__username",
        "reported__username",
        "detail",
        "message__body",
        "=conversation__id",
    )
    list_select_related = ("conversation", "reporter", "reported", "handled_by")
    fields = ("conversation", "message", "message_body", "reporter", "reported", *ReportAdmin.REPORT_FIELDS)
    staff_actions = (
        report_action(
            "act",
            _("Act (resolve, block the sender)"),
            _("Resolved: %(objects)s."),
            lambda r, actor, data: conversation_report_resolve(
                report=r,
                actor=actor,
                status=ReportStatus.RESOLVED,
                note=data["note"],
                block_days=data["block_days"],
            ),
            ActForm,
        ),
        report_dismiss_action(conversation_report_resolve),
    )

    def history_target(self, obj: ConversationReport) -> Conversation:
        # Report events are recorded on the conversation.
        return obj.conversation

    @admin.display(description=_("conversation"), ordering="conversation_id")
    def conversation_link(self, obj: ConversationReport) -> str:
        return object_link(obj.conversation)

    @admin.display(description=_("message"))
    def message_body(self, obj: ConversationReport) -> str:
        return obj.message.body if obj.message is not None else "—"


@admin.register(MessagingBlock)
class MessagingBlockAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "until", "report", "created_by", "created_at"]
    list_select_related = ["user", "report", "created_by"]
    search_fields = ["user__username"]
