"""notification_mark_all_read: one UPDATE over the caller's unread rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.notifications.models import Notification
from marketplace.notifications.services import notification_create, notification_mark_all_read
from tests import makers

pytestmark = pytest.mark.django_db


def test_marks_only_the_users_unread_rows_and_returns_how_many(django_assert_num_queries):
    # given
    me, someone = makers.UserMaker(), makers.UserMaker()
    for n in range(3):
        notification_create(recipient=me, kind="trial.accepted", key=f"trial:{n}:accept", data={"title": "x"})
    earlier = notification_create(recipient=me, kind="trial.shipped", key="trial:9:ship", data={"title": "y"})
    read_at = timezone.now() - timedelta(days=1)
    Notification.objects.filter(pk=earlier.pk).update(read_at=read_at)
    theirs = notification_create(recipient=someone, kind="trial.accepted", key="trial:5:accept", data={})
    # when
    with django_assert_num_queries(1):
        changed = notification_mark_all_read(user=me)
    # then
    assert changed == 3
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=earlier.pk).read_at == read_at
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    # and again: nothing left to change
    assert notification_mark_all_read(user=me) == 0
