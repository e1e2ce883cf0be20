"""Reads of the conversations app: whose conversations, unread counts, a topic's messages."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Max, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from marketplace.accounts.models import User

from .agreements import agreement_between
from .masking import body_shown, contact_masked
from .models import ContactCard, Conversation, Message, Side


def conversations_of(user: User, *, unread_only: bool = False) -> QuerySet[Conversation]:
    """The conversations `user` is a side of (nobody else's: a third party's lookups find nothing,
    which the API and the pages turn into 404), each with `unread`: the other side's messages past
    the user's read marker, and `last_message_id` (for the list's previews: with_previews); only
    those with unread messages when `unread_only`."""
    base = Conversation.objects.select_related("buyer__user", "factory__owner")
    if not user.is_authenticated:
        return base.annotate(unread=Value(0), last_message_id=Value(None, output_field=IntegerField())).none()
    if user.is_buyer:
        mine, other, marker = Q(buyer__user=user), Side.FACTORY, "buyer_read_upto"
    elif user.is_factory:
        mine, other, marker = Q(factory__owner=user), Side.BUYER, "factory_read_upto"
    else:
        # Staff and others are no side of any conversation; `unread` is there so that callers may
        # filter on it as on anyone's (staff asking for ?unread=true got a 500).
        return base.annotate(unread=Value(0), last_message_id=Value(None, output_field=IntegerField())).none()
    counted = (
        base.filter(mine)
        .annotate(
            unread=Count("messages", filter=Q(messages__side=other, messages__id__gt=F(marker))),
            # The same join and GROUP BY as the count: the newest message's id costs nothing more.
            last_message_id=Max("messages__id"),
        )
        # Explicit: Meta.ordering does not apply to a GROUP BY query.
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )
    return counted.filter(unread__gt=0) if unread_only else counted


def unread_messages(user: User) -> QuerySet[Message]:
    """The other side's messages past the user's read markers, over all their conversations."""
    if user.is_authenticated and user.is_buyer:
        return Message.objects.filter(
            conversation__buyer__user=user, side=Side.FACTORY, id__gt=F("conversation__buyer_read_upto")
        )
    if user.is_authenticated and user.is_factory:
        return Message.objects.filter(
            conversation__factory__owner=user, side=Side.BUYER, id__gt=F("conversation__factory_read_upto")
        )
    return Message.objects.none()


def unread_total(user: User) -> int:
    """Unread messages over all of the user's conversations: one COUNT."""
    return unread_messages(user).count()


def unread_total_expression(user: User) -> Coalesce:
    """unread_total as a scalar subquery, for a page that counts several things in one query (the
    navigation's badges: frontend/templatetags/bell.py). 0 when nothing is unread."""
    return count_subquery(unread_messages(user))


def count_subquery(qs: QuerySet[Any]) -> Coalesce:
    """SELECT COUNT(id) … as an expression (COUNT as a plain function: no GROUP BY, always one row)."""
    counted = qs.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("author").prefetch_related("attachments")


def messages_before(
    conversation: Conversation, *, before: int | None, limit: int
) -> tuple[list[Message], bool]:
    """One page of the conversation, newest first: up to `limit` messages with an id below `before`
    (all when None), and whether older ones remain. Keyset by id, not OFFSET: a page stays the same
    while new messages arrive, and reading far back costs one index range scan
    (message_conversation_id) instead of skipping rows. The page and the API page alike."""
    qs = messages_of(conversation).order_by("-id")
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


def with_shown_bodies(messages: Iterable[Message], *, user: User) -> list[Message]:
    """The messages, each with `shown_body`: its body as `user` reads it (masking.py: contact details
    hidden from the other side until the pair has agreed to talk). Every output of a message body
    (API serializers, pages) reads `shown_body`, never `body`. One agreement check per pair."""
    agreed: dict[tuple[int, int], bool] = {}
    rows = list(messages)
    for message in rows:
        conversation = message.conversation
        pair = (conversation.buyer_id, conversation.factory_id)
        if pair not in agreed:
            agreed[pair] = agreement_between(buyer_id=pair[0], factory_id=pair[1]) is not None
        reader = side_of_user(conversation, user)
        message.shown_body = body_shown(
            body=message.body, author_side=message.side, reader_side=reader, agreed=agreed[pair]
        )
    return rows


PREVIEW_LENGTH = 120


def with_previews(conversations: Iterable[Conversation], *, user: User) -> list[Conversation]:
    """The conversations (from conversations_of), each with `preview`: its newest message as `user`
    reads it in the thread — the same rule as with_shown_bodies (contact details hidden from the other
    side until agreed, shown once agreed) — cut to PREVIEW_LENGTH characters after masking, so a cut
    never leaves half a phone number readable; "" without messages.

    One query for the page's newest messages; the agreement is asked only for a preview that masking
    would change (the other side's message with contact details in it), once per conversation."""
    rows = list(conversations)
    # `last_message_id` is conversations_of's annotation (absent on a conversation from elsewhere).
    newest_ids = [newest_id for c in rows if (newest_id := getattr(c, "last_message_id", None))]
    newest = {
        m.conversation_id: m
        for m in Message.objects.filter(id__in=newest_ids).only("id", "conversation_id", "side", "body")
    }
    for conversation in rows:
        message = newest.get(conversation.pk)
        if message is None:
            conversation.preview = ""
            continue
        body = message.body
        reader = side_of_user(conversation, user)
        if message.side != reader and contact_masked(body) != body:
            agreed = (
                agreement_between(buyer_id=conversation.buyer_id, factory_id=conversation.factory_id)
                is not None
            )
            body = body_shown(body=body, author_side=message.side, reader_side=reader, agreed=agreed)
        body = " ".join(body.split())  # one line in a list
        if len(body) > PREVIEW_LENGTH:
            body = body[: PREVIEW_LENGTH - 1] + "…"
        conversation.preview = body or _("(an attachment)")
    return rows


def side_of_user(conversation: Conversation, user: User) -> str | None:
    if conversation.buyer.user_id == user.pk:
        return Side.BUYER
    if conversation.factory.owner_id == user.pk:
        return Side.FACTORY
    return None


def topic_messages(*, kind: str, topic_id: int, user: User) -> QuerySet[Message]:
    """The messages about one thing (e.g. a custom request) that `user` may read: a factory only those
    of its own conversation, a streamer those of all their conversations, staff all."""
    qs = (
        Message.objects.filter(topic_kind=kind, topic_id=topic_id)
        .select_related("author", "conversation__buyer", "conversation__factory")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    if user.is_staff_member:
        return qs
    if user.is_factory:
        return qs.filter(conversation__factory__owner=user)
    if user.is_buyer:
        return qs.filter(conversation__buyer__user=user)
    return qs.none()


def other_contact(conversation: Conversation, user: User) -> tuple[str | None, ContactCard | None]:
    """The other side's contact details for `user`, shown only once the two sides have agreed to talk
    (agreements.py): (the agreement's name, their card) or (None, None)."""
    agreement = agreement_between(buyer_id=conversation.buyer_id, factory_id=conversation.factory_id)
    if agreement is None:
        return None, None
    other = (
        conversation.factory.owner_id if conversation.buyer.user_id == user.pk else conversation.buyer.user_id
    )
    return agreement, ContactCard.objects.filter(user_id=other).first()
