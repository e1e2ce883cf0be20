from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Attachment, ContactCard, Conversation, ConversationReport, Message, ReportReason, Side
from ..topics import TopicView, with_topics


class AttachmentOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Served to the two sides of the conversation only.")

    class Meta:
        model = Attachment
        fields = ["id", "kind", "name", "content_type", "size", "width", "height", "url"]

    def get_url(self, attachment: Attachment) -> str:
        return reverse(
            "conversation-attachment",
            kwargs={"pk": attachment.message.conversation_id, "attachment_id": attachment.pk},
        )


class TopicSerializer(serializers.Serializer):
    """One thing a message can be about, as a message's `topic` names it."""

    kind = serializers.CharField(
        help_text="topic_kind: product, trial, sample, bulk_order, custom_request, tour_booking"
    )
    id = serializers.IntegerField(help_text="topic_id")
    # The metaclass takes declared fields off the class, so this shadows Field.label for mypy only.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The kind in the caller's language, e.g. 50%-off trial / 五折试销."
    )
    title = serializers.CharField(help_text="e.g. T000007 · 补水面膜")
    url = serializers.CharField(allow_null=True, help_text="Its web page.")


class ConversationMessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(help_text="The streamer's display name or the factory name.")
    topic = serializers.SerializerMethodField(
        help_text='What it is about, or null: {"kind": "trial", "id": 7, "label": "50%-off trial", '
        '"title": "T000007 · 补水面膜", "url": "/me/trials/7/"} (kinds: product, trial, sample, bulk_order, '
        "custom_request, tour_booking; `url` is the web page, null when the object is gone)."
    )
    attachments = AttachmentOutputSerializer(many=True, read_only=True)
    body = serializers.CharField(
        source="shown_body",
        read_only=True,
        help_text="As written; before both sides have agreed to talk, phone numbers, WeChat IDs, QQ numbers, "
        "e-mail and web addresses in the other side's messages read [contact hidden].",
    )

    class Meta:
        model = Message
        fields = ["id", "side", "author", "body", "topic", "attachments", "created_at"]

    def get_author(self, message: Message) -> str:
        conversation: Conversation = self.context["conversation"]
        return conversation.buyer.display_name if message.side == Side.BUYER else conversation.factory.name

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "kind": {"type": "string"},
                "id": {"type": "integer"},
                "label": {"type": "string"},
                "title": {"type": "string"},
                "url": {"type": "string", "nullable": True},
            },
        }
    )
    def get_topic(self, message: Message) -> TopicView | None:
        if not hasattr(message, "topic"):
            with_topics([message])
        return message.topic


class ContactCardSerializer(serializers.ModelSerializer):
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Null until the card is first saved."
    )

    class Meta:
        model = ContactCard
        fields = ["name", "phone", "wechat", "email", "updated_at"]
        read_only_fields = ["updated_at"]


class ConversationOutputSerializer(serializers.ModelSerializer):
    buyer = serializers.IntegerField(source="buyer_id", read_only=True)
    buyer_name = serializers.CharField(source="buyer.display_name", read_only=True)
    factory_name = serializers.CharField(source="factory.name", read_only=True)
    side = serializers.SerializerMethodField(help_text="The caller's side: buyer or factory.")
    unread = serializers.IntegerField(
        read_only=True, help_text="The other side's messages the caller has not read."
    )
    preview = serializers.SerializerMethodField(
        help_text="The newest message as the caller reads it in the thread (contact details in the other "
        "side's message read [contact hidden] until both sides have agreed to talk), on one line, at most "
        "120 characters; empty without messages."
    )

    class Meta:
        model = Conversation
        fields = [
            "id",
            "buyer",
            "buyer_name",
            "factory",
            "factory_name",
            "side",
            "unread",
            "preview",
            "created_at",
            "last_message_at",
        ]

    def get_preview(self, conversation: Conversation) -> str:
        if not hasattr(conversation, "preview"):  # a single conversation, not a list page
            selectors.with_previews([conversation], user=self.context["user"])
        return conversation.preview

    def get_side(self, conversation: Conversation) -> str:
        return Side.BUYER if conversation.buyer.user_id == self.context["user"].pk else Side.FACTORY


class ConversationDetailSerializer(ConversationOutputSerializer):
    agreement = serializers.SerializerMethodField(
        help_text="Why contact details are shared (e.g. trial, sample, quote, tour_booking), or null: "
        "until both sides have agreed to talk, contact is null."
    )
    contact = serializers.SerializerMethodField(help_text="The other side's contact details, once agreed.")

    class Meta(ConversationOutputSerializer.Meta):
        fields = [*ConversationOutputSerializer.Meta.fields, "agreement", "contact"]

    def get_agreement(self, conversation: Conversation) -> str | None:
        agreement: str | None = self.context["agreement"]
        return agreement

    @extend_schema_field(ContactCardSerializer(allow_null=True))
    def get_contact(self, conversation: Conversation) -> dict[str, Any] | None:
        card = self.context["contact"]
        if self.context["agreement"] is None:
            return None
        return ContactCardSerializer(card).data if card is not None else {}


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    detail = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=ConversationReport.MAX_DETAIL,
        help_text="What happened, in a few words; required with reason other.",
    )
    message = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The other side's message reported; without it, the whole conversation.",
    )


class ReportOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConversationReport
        fields = ["id", "conversation", "message", "reason", "detail", "status", "created_at"]
