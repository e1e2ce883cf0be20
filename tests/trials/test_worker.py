"""A real Celery worker on Redis delivers every notification of a full trial, once each."""

import pytest
from django.core import mail

from marketplace.notifications.models import Notification
from tests.conftest import Client
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.async_worker]


def test_worker_delivers_the_notifications_of_a_full_trial(live_celery_worker, product, buyer, staff):
    # given
    b, f, s = Client().as_user(buyer.user), Client().as_user(product.factory.owner), Client().as_user(staff)
    # when: the whole 五折试销 flow through the API
    trial = b.post("/api/v1/trials/", {"product": product.pk, "quantity": 10}).json()
    url = f"/api/v1/trials/{trial['id']}"
    assert f.post(f"{url}/accept/").status_code == 200
    payment = b.post(f"{url}/pay/", {"provider": "bank_transfer"}).json()["payment"]
    assert s.post(f"/api/v1/payments/{payment['id']}/confirm/").status_code == 200
    assert f.post(f"{url}/ship/", {"carrier": "顺丰", "tracking_number": "SF9"}).status_code == 200
    assert b.post(f"{url}/receive/").status_code == 200
    assert b.post(f"{url}/feedback/", {"units_sold": 9, "units_returned": 1, "rating": 5}).status_code == 200
    assert b.post(f"{url}/convert/", {"quantity": 100}).status_code == 201
    # then: every inbox entry was e-mailed by the worker, exactly once
    expected = [
        (product.factory.owner.email, "trial.requested"),
        (buyer.user.email, "trial.accepted"),
        (buyer.user.email, "payment.instructions"),
        (buyer.user.email, "trial.paid"),
        (product.factory.owner.email, "trial.paid"),
        (buyer.user.email, "trial.shipped"),
        (product.factory.owner.email, "trial.received"),
        (product.factory.owner.email, "trial.feedback_submitted"),
        (product.factory.owner.email, "trial.converted"),
    ]
    assert Notification.objects.count() == len(expected)
    wait_until(
        lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(),
        message="worker sent nothing",
    )
    sent = sorted((m.to[0], m.extra_headers["X-Yuantou-Notification"].split(":")[-1]) for m in mail.outbox)
    keys = sorted(
        (n.recipient.email, n.key.split(":")[-1]) for n in Notification.objects.select_related("recipient")
    )
    assert sent == keys
    assert len(mail.outbox) == len(expected)
    assert sorted(
        (n.recipient.email, n.kind) for n in Notification.objects.select_related("recipient")
    ) == sorted(expected)
