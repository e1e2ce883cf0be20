from django.db.models import QuerySet

from marketplace.accounts.models import User

from .models import Notification


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_unread_count(*, user: User) -> int:
    """The bell on every page: one COUNT over the (recipient, read_at) index."""
    return notification_list(user=user, unread_only=True).count()
