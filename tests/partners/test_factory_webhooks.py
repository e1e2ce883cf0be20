"""A factory's own webhooks (issue 12, point 3): its owner subscribes to `product.*` and hears of
its products — created (one by one and by the catalog import, whose batch writes call the
listener too), changed, and the review's decisions — signed, in order per product; nobody else
manages them, and no other factory's product reaches them."""

import pytest
from django.utils import timezone

from factories.catalog_import import catalog_import, catalog_preview
from factories.models import Product
from factories.services import product_approve, product_reject, product_update
from marketplace.core.models import Event
from partners.models import WebhookDelivery, WebhookSubscription
from partners.webhooks import services as webhook_services
from partners.webhooks.sending import deliveries_due, webhook_deliver
from tests import makers
from tests.conftest import Client
from tests.factories.catalog_files import good_row, xlsx

from .test_webhooks import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def factory(db):
    return makers.FactoryMaker(accepts_trials=True)


def _subscribe(factory, url):
    return webhook_services.webhook_create(
        factory=factory, actor=factory.owner, url=url, event_types=["product.*"]
    )


def _send_all() -> list[str]:
    return [webhook_deliver(delivery_id=pk) for pk in deliveries_due(now=timezone.now())]


def test_the_owner_subscribes_through_the_api_and_others_get_404(factory):
    url = f"/api/v1/factories/{factory.pk}/webhooks/"
    owner = Client().as_user(factory.owner)
    # when: the owner subscribes to its products' events
    made = owner.post(
        url, {"url": "https://hooks.example.com/erp", "event_types": ["product.*"]}, format="json"
    )
    # then: 201 with the secret once, owned by the factory
    assert made.status_code == 201, made.content
    assert made.json()["secret"].startswith("whsec_")
    subscription = WebhookSubscription.objects.get()
    assert (subscription.factory_id, subscription.organization_id) == (factory.pk, None)
    assert [w["id"] for w in owner.get(url).json()["results"]] == [subscription.pk]
    # and: a streamer's event types are not a factory's (400, nothing written)
    refused = owner.post(
        url, {"url": "https://hooks.example.com/x", "event_types": ["trial.*"]}, format="json"
    )
    assert refused.status_code == 400 and "event_types" in refused.json()
    assert WebhookSubscription.objects.count() == 1
    # and: another factory's owner, a streamer, staff: 404, nothing listed or written
    for other in (makers.FactoryUserMaker(), makers.UserMaker(), makers.StaffUserMaker()):
        client = Client().as_user(other)
        assert client.get(url).status_code == 404
        assert (
            client.post(
                url, {"url": "https://e.example.com/", "event_types": ["product.*"]}, format="json"
            ).status_code
            == 404
        )
        assert client.delete(f"{url}{subscription.pk}/").status_code == 404
    assert WebhookSubscription.objects.count() == 1
    # and: the audit row names the owner
    assert Event.objects.filter(verb="webhook.created", actor=factory.owner).count() == 1


def test_a_factory_hears_of_its_products_edits_and_review_decisions_in_order(receiver, factory, staff):
    # given
    _subscription, secret = _subscribe(factory, receiver.url)
    product = makers.ProductMaker(factory=factory, status="pending_review")
    other = makers.ProductMaker(status="pending_review")  # another factory's
    # when: staff reject it, the factory edits and resubmits, staff approve; the other is approved
    product_reject(product=product, actor=staff, reason="图片与实物不符")
    product_update(
        product=Product.objects.get(pk=product.pk), actor=factory.owner, data={"moq": 300}, submit=True
    )
    product_approve(product=Product.objects.get(pk=product.pk), actor=staff)
    product_approve(product=other, actor=staff)
    # then: one delivery per event of its own product, nothing of the other factory's
    verbs = Event.objects.filter(target_type__model="product", target_id=product.pk).order_by("pk")
    expected = ["product." + verb.split(".", 1)[1] for verb in verbs.values_list("verb", flat=True)]
    assert expected[0] == "product.rejected" and expected[-1] == "product.approved" and len(expected) >= 3
    assert WebhookDelivery.objects.filter(payload__data__id=other.pk).count() == 0
    # when: beat's sweep sends them, oldest first
    assert _send_all() == ["sent"] * len(expected)
    # then: in the order they happened, signed, about that product only, without the audit's data
    events = receiver.events(secret, timezone.now().timestamp())
    assert [e["type"] for e in events] == expected
    assert {(e["data"]["object"], e["data"]["id"], e["data"]["factory"]) for e in events} == {
        ("product", product.pk, factory.pk)
    }
    assert all("address" not in e["data"] and "before" not in e["data"] for e in events)


def test_the_catalog_imports_batch_writes_reach_the_factory_in_fixed_queries(
    receiver, factory, django_assert_max_num_queries
):
    # given: a subscription and an import of 40 rows in batches of 20
    _subscription, secret = _subscribe(factory, receiver.url)
    preview = catalog_preview(
        content=xlsx([good_row(n) for n in range(40)]), factory=factory, actor=factory.owner
    )
    # when: each batch costs the listener two queries (the subscriptions, one INSERT)
    with django_assert_max_num_queries(2 * (9 + 2)):
        assert catalog_import(preview=preview, actor=factory.owner, batch_size=20) == 40
    # then: one pending delivery per product, sent by beat's sweep, each signed
    created = list(Product.objects.filter(factory=factory).order_by("pk").values_list("pk", flat=True))
    deliveries = WebhookDelivery.objects.order_by("pk")
    assert [d.payload["data"]["id"] for d in deliveries] == created
    assert {(d.event_type, d.status) for d in deliveries} == {("product.created", "pending")}
    assert _send_all() == ["sent"] * 40
    events = receiver.events(secret, timezone.now().timestamp())
    assert sorted(e["data"]["id"] for e in events) == created
    assert {(e["type"], e["data"]["via"], e["data"]["factory"]) for e in events} == {
        ("product.created", "import", factory.pk)
    }


def test_an_import_for_a_factory_without_webhooks_writes_no_delivery(factory):
    other = makers.FactoryMaker()
    _subscribe(other, "https://hooks.example.com/other")
    preview = catalog_preview(
        content=xlsx([good_row(n) for n in range(5)]), factory=factory, actor=factory.owner
    )
    assert catalog_import(preview=preview, actor=factory.owner) == 5
    assert WebhookDelivery.objects.count() == 0


def test_a_factory_has_a_bounded_number_of_webhooks(settings, factory):
    settings.WEBHOOK_MAX_PER_FACTORY = 2
    owner = Client().as_user(factory.owner)
    url = f"/api/v1/factories/{factory.pk}/webhooks/"
    body = {"url": "https://hooks.example.com/erp", "event_types": ["product.*"]}
    assert [owner.post(url, body, format="json").status_code for _ in range(3)] == [201, 201, 400]
    assert WebhookSubscription.objects.filter(factory=factory).count() == 2


def test_a_failing_factory_webhook_is_disabled_and_its_owner_told(settings, receiver, factory):
    from marketplace.notifications.models import Notification

    # given: a receiver that fails, disabling after 2 failures in a row
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    subscription, _secret = _subscribe(factory, receiver.url)
    receiver.answers = [500, 500]
    product = makers.ProductMaker(factory=factory)
    product_update(product=product, actor=factory.owner, data={"moq": 250})
    (delivery,) = WebhookDelivery.objects.all()
    # when
    assert webhook_deliver(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert webhook_deliver(delivery_id=delivery.pk, now=delivery.next_attempt_at) == "failed"
    # then: disabled, and the factory's owner (no one else) told once
    subscription.refresh_from_db()
    assert subscription.disabled_at is not None
    assert list(Notification.objects.filter(kind="webhook.disabled").values_list("recipient", flat=True)) == [
        factory.owner.pk
    ]
