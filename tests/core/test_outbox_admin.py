"""Staff see what the outbox still owes and can make a failed row due again."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client


def test_the_changelist_shows_pending_rows_and_retry_makes_them_due(staff_client):
    # given: a row that failed and backs off for an hour, and a delivered one
    failed = OutboxMessage.objects.create(
        topic="notification.email",
        payload={"notification_id": 1},
        attempts=4,
        available_at=timezone.now() + timedelta(hours=1),
        last_error="SMTPException: relay down",
    )
    done = OutboxMessage.objects.create(topic="search.index", payload={}, delivered_at=timezone.now())
    url = reverse("admin:core_outboxmessage_changelist")
    # when
    page = staff_client.get(url, {"delivered_at__isempty": "1"})
    # then
    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == [failed]
    # when
    response = staff_client.post(
        url, {"action": "retry_now", "_selected_action": [failed.pk, done.pk]}, follow=True
    )
    # then: only the pending row changed
    assert "1 pending rows will be delivered by the next relay run." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.attempts, failed.last_error) == (0, "")
    assert failed.available_at <= timezone.now()
    done.refresh_from_db()
    assert done.attempts == 0 and done.delivered_at is not None


def test_nobody_edits_or_deletes_rows(staff_client):
    row = OutboxMessage.objects.create(topic="search.index", payload={})
    change = reverse("admin:core_outboxmessage_change", args=[row.pk])
    assert staff_client.get(change).status_code == 200
    assert staff_client.post(change, {"topic": "x"}).status_code == 403
    assert staff_client.post(reverse("admin:core_outboxmessage_delete", args=[row.pk])).status_code == 403
