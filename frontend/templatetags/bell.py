"""{% unread_notifications as n %}: the header bell's count; {% unread_messages as n %}: the
conversations link's count; {% tours_waiting as n %}: the video tours waiting for this person's
answer (a request for the factory, a proposed time for the streamer). All come from one query per
page (cached on the request), and none for anonymous visitors."""

from django import template
from django.db.models import Q, QuerySet
from django.utils import timezone

from conversations.selectors import count_subquery, unread_total_expression
from marketplace.accounts.models import User
from marketplace.notifications.selectors import notification_list
from tours.models import TourBooking, TourStatus

register = template.Library()


def _tours_waiting(user) -> QuerySet[TourBooking]:
    # A request or proposal whose start has passed waits for nobody (the expiry task closes it).
    return TourBooking.objects.filter(
        Q(status=TourStatus.REQUESTED, factory__owner_id=user.pk)
        | Q(status=TourStatus.PROPOSED, buyer__user_id=user.pk),
        starts_at__gt=timezone.now(),
    )


def _counts(request) -> tuple[int, int, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0, 0, 0
    # Cached on the request: a page that shows a count twice (header and inbox) asks once.
    if not hasattr(request, "_unread_counts"):
        request._unread_counts = (
            User.objects.filter(pk=user.pk)
            .annotate(
                unread_notifications=count_subquery(notification_list(user=user, unread_only=True)),
                unread_messages=unread_total_expression(user),
                tours_waiting=count_subquery(_tours_waiting(user)),
            )
            .values_list("unread_notifications", "unread_messages", "tours_waiting")
            .get()
        )
    return request._unread_counts


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    return _counts(context.get("request"))[0]


@register.simple_tag(takes_context=True)
def unread_messages(context) -> int:
    return _counts(context.get("request"))[1]


@register.simple_tag(takes_context=True)
def tours_waiting(context) -> int:
    return _counts(context.get("request"))[2]
