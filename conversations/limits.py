"""Rate limits on messages against spam: per sender, per minute and per hour; and staff blocks of a
reported sender (moderation.py writes them, message_post reads them here).

Counted in the database from the messages themselves, under a lock on the sender's account row:
the count is exact (it is the rows that exist), two parallel posts of one sender wait for each
other instead of both passing a check-then-insert, and a refused message leaves nothing behind
to undo. The lock serialises only one person's own posts, which is no loss.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from marketplace.core.errors import NotAllowed, TooManyRequests

from .models import Message, MessagingBlock


def limits() -> list[tuple[timedelta, int]]:
    return [
        (timedelta(minutes=1), getattr(settings, "CONVERSATION_MESSAGES_PER_MINUTE", 10)),
        (timedelta(hours=1), getattr(settings, "CONVERSATION_MESSAGES_PER_HOUR", 120)),
    ]


def message_rate_check(*, author_id: int) -> None:
    """Inside the caller's transaction, with the author's row locked: refuse the next message when
    the sender already sent the limit within a window. Raises TooManyRequests (HTTP 429)."""
    now = timezone.now()
    for window, limit in limits():
        recent = list(
            Message.objects.filter(author_id=author_id, created_at__gt=now - window)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            # Free again when the oldest of the last `limit` messages leaves the window.
            wait = max(1, math.ceil((recent[-1] + window - now).total_seconds()))
            raise TooManyRequests(
                _("You are sending messages too fast; wait %(seconds)d seconds and send again.")
                % {"seconds": wait},
                retry_after=wait,
            )


def messaging_block_check(*, author_id: int) -> None:
    """Refuse a blocked sender's message (HTTP 403, nothing written): inside message_post's
    transaction, after the sender's row lock."""
    block = (
        MessagingBlock.objects.filter(user_id=author_id, until__gt=timezone.now()).order_by("-until").first()
    )
    if block is not None:
        until = formats.date_format(timezone.localtime(block.until), "Y-m-d H:i")
        raise NotAllowed(
            _(
                "Staff have blocked you from sending messages until %(until)s after a report; "
                "you can still read your conversations."
            )
            % {"until": until}
        )
