"""A real Celery worker on Redis e-mails the other side of a new message, once per burst, with
contact details masked (no agreement yet)."""

import pytest
from django.core import mail

from marketplace.notifications.models import Notification
from tests.conftest import Client
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.async_worker]


def test_a_real_worker_emails_the_new_message(live_celery_worker, buyer, factory, conversation):
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    factory_client = Client().as_user(factory.owner)
    # when: two messages in a burst
    assert factory_client.post(url, {"body": "欢迎看厂，电话13800138000"}, format="json").status_code == 201
    assert factory_client.post(url, {"body": "明天也可以"}, format="json").status_code == 201
    # then: one inbox entry, e-mailed once by the worker, to the streamer only
    (notice,) = Notification.objects.all()
    assert notice.recipient_id == buyer.user.pk
    wait_until(
        lambda: Notification.objects.filter(emailed_at__isnull=False).exists(), message="worker sent nothing"
    )
    assert [m.to for m in mail.outbox] == [[buyer.user.email]]
    body = mail.outbox[0].body
    assert "欢迎看厂，电话[contact hidden]" in body and "13800138000" not in body
