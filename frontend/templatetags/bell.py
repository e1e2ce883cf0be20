"""{% unread_notifications as n %}: the header bell's count; {% unread_messages as n %}: the
conversations link's count; {% tours_waiting as n %}: the video tours waiting for this person's
answer (a request for the factory, a proposed time for the streamer); {% acting_header as acting %}:
the organization member's "acting for" switcher and banner (frontend/acting.py). All come from
one query per page (cached on the request), and none for anonymous visitors; the switcher's
streamers are one more, for members of an organization only."""

from typing import Any

from django import template
from django.db.models import Exists, Q, QuerySet, Value
from django.http import HttpRequest
from django.template.context import Context
from django.utils import timezone

from conversations.selectors import count_subquery, unread_total_expression
from marketplace.accounts.models import User
from marketplace.notifications.selectors import notification_list
from partners.selectors import member_streamers
from tours.models import TourBooking, TourStatus

from .. import acting

register = template.Library()


def _tours_waiting(user: User) -> QuerySet[TourBooking]:
    # A request or proposal whose start has passed waits for nobody (the expiry task closes it).
    return TourBooking.objects.filter(
        Q(status=TourStatus.REQUESTED, factory__owner_id=user.pk)
        | Q(status=TourStatus.PROPOSED, buyer__user_id=user.pk),
        starts_at__gt=timezone.now(),
    )


def _counts(request: HttpRequest | None) -> tuple[int, int, int, bool]:
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return 0, 0, 0, False
    # Cached on the request: a page that shows a count twice (header and inbox) asks once.
    cached: tuple[int, int, int, bool] | None = request.__dict__.get("_unread_counts")
    if cached is None:
        # The inbox is the signed-in person's own; messages and tours are the workspace's (the
        # streamer's while an organization member acts for one: frontend/acting.py).
        me, workspace = acting.person(request), acting.workspace_user(request)
        if not me.is_authenticated or not workspace.is_authenticated:  # (both are, as `user` is)
            return 0, 0, 0, False
        cached = (
            User.objects.filter(pk=me.pk)
            .annotate(
                unread_notifications=count_subquery(notification_list(user=me, unread_only=True)),
                unread_messages=unread_total_expression(workspace),
                tours_waiting=count_subquery(_tours_waiting(workspace)),
                # Whether the header offers the "acting for" switcher at all (never a factory).
                may_act=Value(False) if me.is_factory else Exists(member_streamers(me).exclude(user=me)),
            )
            .values_list("unread_notifications", "unread_messages", "tours_waiting", "may_act")
            .get()
        )
        request.__dict__["_unread_counts"] = cached
    return cached


@register.simple_tag(takes_context=True)
def unread_notifications(context: Context) -> int:
    return _counts(context.get("request"))[0]


@register.simple_tag(takes_context=True)
def unread_messages(context: Context) -> int:
    return _counts(context.get("request"))[1]


@register.simple_tag(takes_context=True)
def tours_waiting(context: Context) -> int:
    return _counts(context.get("request"))[2]


@register.simple_tag(takes_context=True)
def acting_header(context: Context) -> dict[str, Any] | None:
    """{% acting_header as acting %}: the header's switcher and banner. None for someone who acts
    for nobody and may act for nobody (no query beyond the counts' one); else who is signed in,
    whom they act for (None: themselves) and the streamers they may choose."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    current = acting.acting(request)
    if current is None and not _counts(request)[3]:
        return None
    me = acting.person(request)
    if not me.is_authenticated:  # (never: request.user is signed in)
        return None
    return {
        "person": me,
        "streamer": current.streamer if current is not None else None,
        "choices": acting.choices(me),
    }
