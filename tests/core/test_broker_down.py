"""Broker down: every write answers 2xx and is stored once, its side effects wait as outbox rows,
and one relay run delivers each exactly once (index updated, e-mails sent), a second run nothing."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from factories.models import Product
from marketplace.core.models import OutboxMessage
from marketplace.core.outbox import outbox_pending_counts, outbox_relay
from marketplace.notifications.models import Notification
from tests import makers
from tests.conftest import Client
from tests.core.conftest import DEAD_BROKER
from tests.search.conftest import index_all
from trials.models import TrialOrder

pytestmark = pytest.mark.django_db(transaction=True)

SEARCH = "/api/v1/search/products/"


def found(api, **params) -> list[str]:
    return [row["title"] for row in api.get(SEARCH, params).json()["results"]]


@pytest.fixture
def listed():
    factory = makers.FactoryMaker(max_trial_quantity=50, trial_days=30, categories=["tea-sets"])
    item = makers.ProductMaker(
        factory=factory, title="折叠收纳箱", factory_price=Decimal("12.35"), moq=500, description=""
    )
    index_all()
    return item


def test_writes_succeed_with_the_broker_down_and_the_relay_delivers_them_once(broker, listed):
    # given
    buyer = makers.BuyerMaker()
    owner = listed.factory.owner
    f, b, anonymous = Client().as_user(owner), Client().as_user(buyer.user), Client()
    assert found(anonymous, q="收纳箱", moq_max=100) == []
    broker(DEAD_BROKER)
    # when: a product is created, another edited, a trial requested and accepted
    created = f.post(
        "/api/v1/products/",
        {
            "title": "青花瓷茶杯 四只装",
            "category": "tea-sets",
            "factory_price": "12.50",
            "moq": 200,
            "lead_time_days": 10,
        },
    )
    edited = f.patch(f"/api/v1/products/{listed.pk}/", {"moq": 60})
    trial = b.post("/api/v1/trials/", {"product": listed.pk, "quantity": 10})
    accepted = f.post(f"/api/v1/trials/{trial.json()['id']}/accept/")
    # then: every write answered 2xx and is stored once
    assert [created.status_code, edited.status_code, trial.status_code, accepted.status_code] == [
        201,
        200,
        201,
        200,
    ]
    assert Product.objects.filter(title="青花瓷茶杯 四只装").count() == 1
    assert Product.objects.get(pk=listed.pk).moq == 60
    assert TrialOrder.objects.count() == 1
    # and its side effects wait in the outbox: nothing was indexed or e-mailed
    pending = outbox_pending_counts()
    assert pending["notification.email"] == 2
    assert pending["search.index"] >= 2
    assert mail.outbox == []
    assert Product.objects.get(pk=listed.pk).search_index_dirty is True
    assert found(anonymous, q="收纳箱", moq_max=100) == []

    # when: the relay runs (its beat task, once the broker is back)
    delivered = outbox_relay()
    # then: everything delivered, each e-mail exactly once
    assert delivered == sum(pending.values())
    assert outbox_pending_counts() == {}
    assert found(anonymous, q="收纳箱", moq_max=100) == ["折叠收纳箱"]
    assert not Product.objects.filter(search_index_dirty=True).exists()
    sent = sorted((m.to[0], m.extra_headers["X-Yuantou-Notification"]) for m in mail.outbox)
    trial_id = trial.json()["id"]
    assert sent == sorted(
        [(owner.email, f"trial:{trial_id}:requested"), (buyer.user.email, f"trial:{trial_id}:accept")]
    )
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    # when: the relay runs again (the management command)
    out = io.StringIO()
    call_command("outbox_relay", stdout=out)
    # then: nothing is delivered twice
    assert out.getvalue().strip() == "delivered 0; still pending: none"
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0


def test_a_notification_transition_with_the_broker_down_answers_2xx(broker, listed):
    # given: an accepted trial (its e-mails already sent)
    buyer = makers.BuyerMaker()
    f, b = Client().as_user(listed.factory.owner), Client().as_user(buyer.user)
    trial = b.post("/api/v1/trials/", {"product": listed.pk, "quantity": 10}).json()
    assert f.post(f"/api/v1/trials/{trial['id']}/decline/").status_code == 200
    sent_before = len(mail.outbox)
    broker(DEAD_BROKER)
    # when: the buyer requests again and the factory declines, broker down
    again = b.post("/api/v1/trials/", {"product": listed.pk, "quantity": 5})
    declined = f.post(f"/api/v1/trials/{again.json()['id']}/decline/")
    # then
    assert (again.status_code, declined.status_code) == (201, 200)
    assert len(mail.outbox) == sent_before
    assert outbox_pending_counts()["notification.email"] == 2
    assert outbox_relay() >= 2
    assert len(mail.outbox) == sent_before + 2
