"""{% unread_notifications as n %}: the header bell's count, one COUNT query per page, and none
for anonymous visitors."""

from django import template

from marketplace.notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    # Cached on the request: a page that shows the count twice (header and inbox) asks once.
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = notification_unread_count(user=user)
    return request._unread_notifications
