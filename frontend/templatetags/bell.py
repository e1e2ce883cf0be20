"""{% unread_notifications as n %}: the header bell's count; {% unread_messages as n %}: the
conversations link's count. Both come from one query per page (cached on the request), and none
for anonymous visitors."""

from django import template

from conversations.selectors import count_subquery, unread_total_expression
from marketplace.accounts.models import User
from marketplace.notifications.selectors import notification_list

register = template.Library()


def _counts(request) -> tuple[int, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0, 0
    # Cached on the request: a page that shows a count twice (header and inbox) asks once.
    if not hasattr(request, "_unread_counts"):
        request._unread_counts = (
            User.objects.filter(pk=user.pk)
            .annotate(
                unread_notifications=count_subquery(notification_list(user=user, unread_only=True)),
                unread_messages=unread_total_expression(user),
            )
            .values_list("unread_notifications", "unread_messages")
            .get()
        )
    return request._unread_counts


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    return _counts(context.get("request"))[0]


@register.simple_tag(takes_context=True)
def unread_messages(context) -> int:
    return _counts(context.get("request"))[1]
