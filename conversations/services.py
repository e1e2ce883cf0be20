"""Writes of the conversations app: start a conversation, post a message, mark read, contact card."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from factories.models import Factory, VerificationStatus
from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.core.validators import is_control
from marketplace.notifications.models import Notification
from marketplace.notifications.services import notification_create

from .attachments import CheckedAttachment
from .events import ConversationEvents
from .limits import message_rate_check, messaging_block_check
from .masking import contact_masked
from .models import Attachment, ContactCard, Conversation, Message, Side
from .topics import topic_check, topic_notice

# Line breaks and tabs belong in a message; every other control character is refused.
_ALLOWED_CONTROLS = {"\n", "\t"}


def side_of(conversation: Conversation, user: User) -> str | None:
    """Which side `user` is in the conversation, or None for anyone else (staff included: they
    read conversations in the admin, they do not write in them)."""
    if not user.is_authenticated:
        return None
    if conversation.buyer.user_id == user.pk:
        return Side.BUYER
    if conversation.factory.owner_id == user.pk:
        return Side.FACTORY
    return None


def conversation_start(
    *, actor: User, buyer: BuyerProfile, factory: Factory, require_verified: bool = True
) -> Conversation:
    """The one conversation of the pair, made on first use. Race-safe: the pair is unique in the
    database; a parallel start that loses the insert reads the winner's row.

    A streamer starts one only with a verified factory (`require_verified=False`: an app above has
    already tied the two, e.g. a custom request sent to that factory)."""
    if buyer.user_id == actor.pk:
        side = Side.BUYER
    elif factory.owner_id == actor.pk:
        side = Side.FACTORY
    else:
        raise NotAllowed(_("You can only talk for your own streamer profile or factory."))
    existing = Conversation.objects.filter(buyer=buyer, factory=factory).first()
    if existing is not None:
        return existing
    if require_verified and factory.verification_status != VerificationStatus.VERIFIED:
        raise ValidationError({"factory": [_("No such factory.")]})
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(buyer=buyer, factory=factory, started_by=side)
            event_record(actor=actor, verb=ConversationEvents.STARTED, target=conversation, side=side)
    except IntegrityError:
        return Conversation.objects.get(buyer=buyer, factory=factory)
    return conversation


def body_clean(body: str | None) -> str:
    """A message body as stored: trimmed, at most Message.MAX_BODY characters, no control characters
    but line breaks and tabs (CR/LF pairs become LF)."""
    body = (body or "").replace("\r\n", "\n").strip()
    if len(body) > Message.MAX_BODY:
        raise ValidationError(
            {
                "body": [
                    _("Write at most %(n)d characters (you wrote %(have)d).")
                    % {"n": Message.MAX_BODY, "have": len(body)}
                ]
            }
        )
    if any(is_control(c) and c not in _ALLOWED_CONTROLS for c in body):
        raise ValidationError(
            {"body": [_("The message contains control characters; remove them and send again.")]}
        )
    return body


@dataclass(frozen=True)
class Notice:
    """How the other side is told of a message: the notification kind and its data (an app above
    may word it for its topic, e.g. a custom request's title)."""

    kind: str
    data: dict[str, Any]  # `title` defaults to the author's name; _notify adds author, body, conversation_id


def message_post(
    *,
    conversation: Conversation,
    actor: User,
    body: str | None,
    topic: tuple[str, int] | None = None,
    attachment: CheckedAttachment | None = None,
    notice: Notice | None = None,
) -> Message:
    """Post one message. Checked before anything is written: the actor is a side, the body is
    bounded, the topic (kind, id) is one of this pair's (topics.py; 400 otherwise), the sender is not blocked by staff (403) and within the rate limits (429 otherwise;
    nothing written, nobody told).

    The other side gets one inbox entry and one e-mail per burst: the notification's key holds their
    read marker, so until they read the conversation further messages add nothing to their inbox."""
    side = side_of(conversation, actor)
    if side is None:
        raise NotAllowed(_("This is not your conversation."))
    body = body_clean(body)
    if not body and attachment is None:
        raise ValidationError({"body": [_("Write a message.")]})
    about = None
    if topic is not None:
        about = topic_check(
            kind=topic[0],
            topic_id=topic[1],
            buyer_id=conversation.buyer_id,
            factory_id=conversation.factory_id,
        )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        messaging_block_check(author_id=actor.pk)
        message_rate_check(author_id=actor.pk)
        message = Message.objects.create(
            conversation=conversation,
            author=actor,
            side=side,
            body=body,
            topic_kind=topic[0] if topic else "",
            topic_id=topic[1] if topic else None,
        )
        if attachment is not None:
            _attach(message, attachment)
        # Posting reads the conversation up to the new message (one answers what one has seen, as in
        # any chat); the other side's marker is read under the row lock, for the notification's key.
        marker = "buyer_read_upto" if side == Side.BUYER else "factory_read_upto"
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=message.created_at, **{marker: Greatest(F(marker), message.pk)}
        )
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if notice is None and about is not None:
            kind, data = topic_notice(message.topic_kind, about)
            notice = Notice(kind=kind, data={"ref": str(conversation), **data})
        _notify(conversation, message, notice)
    return message


def _attach(message: Message, checked: CheckedAttachment) -> None:
    attachment = Attachment(
        message=message,
        kind=checked.kind,
        extension=checked.extension,
        content_type=checked.content_type,
        name=checked.name,
        size=len(checked.content),
        width=checked.width,
        height=checked.height,
    )
    # The (random) name is chosen now and the file written once the outermost transaction commits:
    # a rollback — here, or in a caller's transaction such as an idempotent request's — leaves no
    # file behind. Should the process die between commit and write, the row has no file and is
    # served as 404 (attachment_response), which beats files nobody can find or delete.
    attachment.file.name = attachment.file.field.generate_filename(attachment, f"upload.{checked.extension}")
    attachment.save()
    # robust: the message is committed; a failed write is logged, the client still gets its 201.
    transaction.on_commit(lambda: _attachment_write(attachment, checked.content), robust=True)


def _attachment_write(attachment: Attachment, content: bytes) -> None:
    stored = attachment.file.storage.save(attachment.file.name, ContentFile(content))
    if stored != attachment.file.name:  # the storage renamed it (the name was taken)
        Attachment.objects.filter(pk=attachment.pk).update(file=stored)


def _notify(conversation: Conversation, message: Message, notice: Notice | None) -> None:
    if message.side == Side.BUYER:
        recipient, read_upto = conversation.factory.owner, conversation.factory_read_upto
        author = conversation.buyer.display_name
    else:
        recipient, read_upto = conversation.buyer.user, conversation.buyer_read_upto
        author = conversation.factory.name
    # The inbox entry and its e-mail carry a copy of the text that can never be taken back (it sits
    # in a mailbox), so it is always masked, agreed or not: the thread itself shows contact details
    # once the two have agreed (selectors.py), the preview only points there.
    preview = contact_masked(message.body)[:200] or _("(an attachment)")
    # A message about a topic is announced as such ("… about the 50%-off trial T000012 · 补水面膜"):
    # the notification kind of its topic kind (topics.topic_notice_kind), worded in the recipient's
    # language; one without a topic, or whose app words it itself, as given.
    notice = notice or Notice(kind=ConversationEvents.MESSAGE, data={"ref": str(conversation)})
    notification_create(
        recipient=recipient,
        kind=notice.kind,
        key=f"conversation:{conversation.pk}:to:{recipient.pk}:after:{read_upto}",
        data={
            "title": author,
            **notice.data,
            "author": author,
            "body": preview,
            "conversation_id": conversation.pk,
        },
    )


def conversation_mark_read(*, conversation: Conversation, actor: User) -> int:
    """Move the reader's marker to the newest message (never back); their inbox entries for this
    conversation are read too. Returns the marker."""
    side = side_of(conversation, actor)
    if side is None:
        raise NotAllowed(_("This is not your conversation."))
    newest = conversation.messages.order_by("-id").values_list("id", flat=True).first() or 0
    marker = "buyer_read_upto" if side == Side.BUYER else "factory_read_upto"
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(**{marker: Greatest(F(marker), newest)})
        Notification.objects.filter(
            recipient=actor, key__startswith=f"conversation:{conversation.pk}:to:{actor.pk}:", read_at=None
        ).update(read_at=timezone.now())
    marker_now: int = Conversation.objects.values_list(marker, flat=True).get(pk=conversation.pk)
    return marker_now


CONTACT_FIELDS = ("name", "phone", "wechat", "email")


def contact_card_set(*, actor: User, data: Mapping[str, str | None]) -> ContactCard:
    """Save the actor's own contact details (the fields given; the rest kept)."""
    if not (actor.is_buyer or actor.is_factory):
        raise NotAllowed(_("Only streamers and factories have contact details here."))
    with transaction.atomic():
        card, _created = ContactCard.objects.select_for_update().get_or_create(user=actor)
        changed = [f for f in CONTACT_FIELDS if f in data]
        for field in changed:
            setattr(card, field, (data[field] or "").strip())
        card.full_clean()
        card.save(update_fields=[*changed, "updated_at"])
    return card
