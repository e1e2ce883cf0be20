"""One conversation per (streamer, factory) pair, its messages and their attachments.

A message may name what it is about (`topic_kind` + `topic_id`, e.g. a trial; topics.py): a plain
pair of columns rather than a foreign key, because the things talked about live in apps above this
one (trials, tours) and this layer imports none of them.
"""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile
from factories.models import Factory, ReportStatus
from factories.models.media import private_storage
from marketplace.core.validators import validate_single_line

if TYPE_CHECKING:
    from .topics import TopicView


class Side(models.TextChoices):
    BUYER = "buyer", _("streamer")
    FACTORY = "factory", _("factory")


class Conversation(models.Model):
    buyer = models.ForeignKey(
        BuyerProfile, on_delete=models.PROTECT, related_name="conversations", verbose_name=_("streamer")
    )
    factory = models.ForeignKey(
        Factory, on_delete=models.PROTECT, related_name="conversations", verbose_name=_("factory")
    )
    started_by = models.CharField(_("started by"), max_length=8, choices=Side.choices)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    # Last-read markers: the id of the newest message each side has seen. Message ids only grow,
    # so "unread" is every message of the other side with a larger id — one integer per side
    # instead of a row per message and reader.
    buyer_read_upto = models.PositiveBigIntegerField(_("streamer read up to"), default=0)
    factory_read_upto = models.PositiveBigIntegerField(_("factory read up to"), default=0)

    # Not a column: set by selectors.with_previews on the rows it returns.
    preview: str

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [models.UniqueConstraint(fields=["buyer", "factory"], name="conversation_one_per_pair")]
        indexes = [models.Index(fields=["factory", "-last_message_at"], name="conversation_factory_recent")]

    def __str__(self) -> str:
        # M for message thread (C is a custom request's reference).
        return f"M{self.pk:06d}" if self.pk else "M"


class TopicKind:
    """The kinds code below the registering apps names. Which kinds exist, their labels and pages are
    registered from above (topics.py); the column holds no choices, so a new kind needs no migration."""

    CUSTOM_REQUEST = "custom_request"


class Message(models.Model):
    MAX_BODY = 4000

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", verbose_name=_("conversation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    body = models.TextField(_("message"), blank=True)
    topic_kind = models.CharField(_("about"), max_length=32, blank=True)
    topic_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    # A default rather than auto_now_add: the migration of the custom-request threads keeps their times.
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    # Not columns: set on the rows a reader gets, by selectors.with_shown_bodies (the body as that
    # reader may see it) and topics.with_topics; a row that did not pass through them has neither.
    shown_body: str
    topic: "TopicView | None"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["conversation", "id"], name="message_conversation_id"),
            models.Index(fields=["topic_kind", "topic_id"], name="message_topic"),
            # The rate limit counts a sender's recent messages.
            models.Index(fields=["author", "created_at"], name="message_author_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(topic_kind="") & models.Q(topic_id__isnull=True))
                | (~models.Q(topic_kind="") & models.Q(topic_id__isnull=False)),
                name="message_topic_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.body[:40]}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # Under PRIVATE_MEDIA_ROOT (no URL: only the views that check the reader is a side serve it).
    # A random name: the stored path says nothing about the conversation or the original file name.
    return f"conversations/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("image")
    PDF = "pdf", _("PDF")


class Attachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage, max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(_("content type"), max_length=40)
    name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ContactCard(models.Model):
    """How to reach a person outside the service. Shown to the other side of a conversation only
    once both sides have agreed to talk (agreements.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_card",
        verbose_name=_("user"),
    )
    name = models.CharField(_("contact name"), max_length=60, blank=True, validators=[validate_single_line])
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_single_line])
    wechat = models.CharField(_("WeChat ID"), max_length=40, blank=True, validators=[validate_single_line])
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self) -> str:
        return self.name or str(self.user_id)


class ReportReason(models.TextChoices):
    SPAM = "spam", _("spam or advertising")
    SCAM = "scam", _("scam or fraud")
    ABUSE = "abuse", _("harassment or abuse")
    FAKES = "fakes", _("offers fakes or prohibited goods")
    OTHER = "other", _("other")


class ConversationReport(models.Model):
    """A side's report of the other side's message (or of the whole conversation when `message` is
    null): the staff moderation queue (trials/moderation.py). Once per reporter and message, and
    once per reporter and conversation for a report of the whole: a double click or a parallel
    request finds the database's unique constraint, not a check that raced."""

    MAX_DETAIL = 1000

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="reports", verbose_name=_("conversation")
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("message"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reported by")
    )
    # Who is reported: the message's author, or the other side of the conversation. Kept on the row
    # so that the staff action blocks exactly that account.
    reported = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reported user")
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    detail = models.TextField(_("detail"), blank=True, max_length=MAX_DETAIL)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    resolution_note = models.TextField(_("resolution note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("conversation report")
        verbose_name_plural = _("conversation reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "message"],
                condition=models.Q(message__isnull=False),
                name="conversation_report_once_per_message",
            ),
            models.UniqueConstraint(
                fields=["reporter", "conversation"],
                condition=models.Q(message__isnull=True),
                name="conversation_report_once_per_conversation",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="conversation_report_queue")]

    def __str__(self) -> str:
        # From the ids alone (as Conversation.__str__ words it): the dashboard shows the oldest
        # report without another query.
        what = f"M{self.conversation_id:06d}" + (f" #{self.message_id}" if self.message_id else "")
        return f"{self.get_reason_display()}: {what}"


class MessagingBlock(models.Model):
    """Staff barred `user` from sending messages until `until` (a reported sender). The message
    service refuses their messages meanwhile; reading stays open."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    until = models.DateTimeField(_("blocked until"))
    report = models.ForeignKey(
        ConversationReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blocks",
        verbose_name=_("report"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("blocked by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-until"]
        verbose_name = _("messaging block")
        verbose_name_plural = _("messaging blocks")
        indexes = [models.Index(fields=["user", "-until"], name="messaging_block_user_until")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.until:%Y-%m-%d %H:%M}"
