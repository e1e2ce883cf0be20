"""The webhooks page of an organization (issue 12, point 3): an owner subscribes (the secret shown
once), reads the delivery log and sends an event again; a member reads only; another
organization's people get 404; both languages."""

import pytest

from marketplace.core.models import Event
from partners import services
from partners.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from partners.webhooks.sealing import unseal
from partners.webhooks.services import webhook_create
from tests import makers
from tests.partners.conftest import member_join

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization_owner():
    owner = makers.UserMaker(username="mcn_owner")
    return services.organization_create(actor=owner, name="星河 MCN"), owner


def test_an_owner_subscribes_reads_the_log_and_redelivers(web, organization_owner):
    # given
    org, owner = organization_owner
    web.as_user(owner)
    url = f"/me/organizations/{org.pk}/webhooks/"
    # when
    made = web.post(
        url, {"url": "https://hooks.example.com/yt", "event_types": ["trial.*", "quote.*"]}, follow=True
    )
    # then: subscribed, the secret shown this once
    subscription = WebhookSubscription.objects.get()
    assert subscription.event_types == ["trial.*", "quote.*"]
    secret = unseal(subscription.secret_sealed)
    assert secret.startswith("whsec_") and secret in made.content.decode()
    assert secret not in web.get(url).content.decode()
    # given: a failed delivery in the log
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id="8b0c9c1e-1c1a-4c33-9a57-3f1f3c1a0001",
        event_type="trial.accepted",
        object_key="trial:12",
        payload={"id": "x"},
        status=DeliveryStatus.FAILED,
        attempts=11,
        last_status_code=500,
    )
    page = web.get(url).content.decode()
    assert "trial.accepted" in page and "trial:12" in page and "HTTP 500" in page
    # when
    web.post(f"{url}{subscription.pk}/deliveries/{delivery.pk}/redeliver/", follow=True)
    # then
    again = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert (str(again.event_id), again.status, again.redelivery_of_id) == (
        str(delivery.event_id),
        "pending",
        delivery.pk,
    )
    assert Event.objects.filter(verb="webhook.redelivered", actor=owner).count() == 1


def test_a_bad_url_is_refused_with_nothing_written(web, organization_owner):
    org, owner = organization_owner
    web.as_user(owner)
    page = web.post(
        f"/me/organizations/{org.pk}/webhooks/",
        {"url": "http://example.com/", "event_types": ["trial.*"]},
        follow=True,
    )
    assert "The URL must start with https://." in page.content.decode()
    assert WebhookSubscription.objects.count() == 0


def test_a_member_reads_and_an_outsider_gets_404(web, organization_owner):
    org, owner = organization_owner
    member = makers.UserMaker(username="helper")
    member_join(organization=org, owner=owner, username="helper", role="member")
    url = f"/me/organizations/{org.pk}/webhooks/"
    web.as_user(member)
    assert web.get(url).status_code == 200
    refused = web.post(url, {"url": "https://a.example/", "event_types": ["trial.*"]}, follow=True)
    assert "Only owners of the organization can do this." in refused.content.decode()
    assert WebhookSubscription.objects.count() == 0
    web.as_user(makers.UserMaker())
    assert web.get(url).status_code == 404


def test_the_page_speaks_chinese(web_zh, organization_owner):
    org, owner = organization_owner
    web_zh.as_user(owner)
    page = web_zh.get(f"/me/organizations/{org.pk}/webhooks/")
    assert "添加 Webhook" in page.content.decode()


# A factory's own webhooks in its workspace: me/factory/webhooks/ (product.* events only).
FACTORY_URL = "/me/factory/webhooks/"


def _failed_delivery(subscription, n=1):
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=f"8b0c9c1e-1c1a-4c33-9a57-3f1f3c1a100{n}",
        event_type="product.updated",
        object_key=f"product:{40 + n}",
        payload={"id": "x"},
        status=DeliveryStatus.FAILED,
        attempts=11,
        last_status_code=503,
    )


def test_a_factory_owner_subscribes_reads_the_log_redelivers_and_deletes(web, factory):
    web.as_user(factory.owner)
    # when: product.* is the only choice (and a trial.* smuggled in is dropped)
    made = web.post(
        FACTORY_URL,
        {"url": "https://erp.example.com/yt", "event_types": ["product.*", "trial.*"]},
        follow=True,
    )
    # then: the factory's own subscription, the secret shown this once
    subscription = WebhookSubscription.objects.get()
    assert (subscription.factory_id, subscription.organization_id) == (factory.pk, None)
    assert subscription.event_types == ["product.*"]
    secret = unseal(subscription.secret_sealed)
    assert secret in made.content.decode()
    page = web.get(FACTORY_URL).content.decode()
    assert secret not in page and "trial.*" not in page
    # given: a failed delivery
    delivery = _failed_delivery(subscription)
    page = web.get(FACTORY_URL).content.decode()
    assert "product.updated" in page and "product:41" in page and "HTTP 503" in page and "11 attempts" in page
    # when: sent again
    web.post(f"{FACTORY_URL}{subscription.pk}/deliveries/{delivery.pk}/redeliver/", follow=True)
    # then: a new pending delivery of the same event, audited as the owner
    again = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert (str(again.event_id), again.status, again.redelivery_of_id) == (
        str(delivery.event_id),
        "pending",
        delivery.pk,
    )
    assert Event.objects.filter(verb="webhook.redelivered", actor=factory.owner).count() == 1
    # when: deleted
    web.post(f"{FACTORY_URL}{subscription.pk}/delete/", follow=True)
    assert WebhookSubscription.objects.count() == 0
    assert Event.objects.filter(verb="webhook.deleted", actor=factory.owner).count() == 1


def test_a_factory_has_at_most_five_and_the_form_says_so(web, factory, settings):
    assert settings.WEBHOOK_MAX_PER_FACTORY == 5
    web.as_user(factory.owner)
    for n in range(5):
        web.post(FACTORY_URL, {"url": f"https://erp.example.com/{n}", "event_types": ["product.*"]})
    page = web.get(FACTORY_URL).content.decode()
    assert "You have the most webhooks allowed (5)" in page and 'id="webhook-url"' not in page
    # a sixth posted anyway is refused by the service, nothing written
    refused = web.post(
        FACTORY_URL, {"url": "https://erp.example.com/6", "event_types": ["product.*"]}, follow=True
    )
    assert "A factory has at most 5 webhooks." in refused.content.decode()
    assert WebhookSubscription.objects.filter(factory=factory).count() == 5


def test_another_factory_and_a_streamer_get_404_and_touch_nothing(web, factory):
    subscription, _secret = webhook_create(
        factory=factory, actor=factory.owner, url="https://erp.example.com/a", event_types=["product.*"]
    )
    delivery = _failed_delivery(subscription)
    other = makers.FactoryMaker(name="另一家工厂")
    web.as_user(other.owner)
    # their own (empty) page, without the first factory's webhook
    assert "erp.example.com/a" not in web.get(FACTORY_URL).content.decode()
    for path in (
        f"{FACTORY_URL}{subscription.pk}/delete/",
        f"{FACTORY_URL}{subscription.pk}/enable/",
        f"{FACTORY_URL}{subscription.pk}/deliveries/{delivery.pk}/redeliver/",
    ):
        assert web.post(path).status_code == 404, path
    assert WebhookSubscription.objects.filter(pk=subscription.pk).exists()
    assert WebhookDelivery.objects.count() == 1
    streamer = makers.BuyerMaker().user
    web.as_user(streamer)
    assert web.get(FACTORY_URL).status_code == 404


def test_the_factory_page_speaks_chinese(web_zh, factory):
    web_zh.as_user(factory.owner)
    page = web_zh.get(FACTORY_URL).content.decode()
    assert "关于您产品的事件（product.*）" in page and "添加 Webhook" in page


def test_an_owner_rotates_the_secret_on_the_page_shown_once_in_chinese(web_zh, organization_owner):
    # given: a subscription
    org, owner = organization_owner
    subscription, first = webhook_create(
        organization=org, actor=owner, url="https://hooks.example.com/yt", event_types=["trial.*"]
    )
    web_zh.as_user(owner)
    url = f"/me/organizations/{org.pk}/webhooks/"
    # when
    page = web_zh.post(f"{url}{subscription.pk}/rotate-secret/", follow=True).content.decode()
    # then: the new secret shown this once, in Chinese, with the end of the grace period
    subscription.refresh_from_db()
    second = unseal(subscription.secret_sealed)
    assert second != first and unseal(subscription.previous_secret_sealed) == first
    assert f"新的签名密钥（仅显示这一次）：{second}" in page
    assert second not in web_zh.get(url).content.decode()
    assert "之前的密钥也会签名，直到" in web_zh.get(url).content.decode()
    assert Event.objects.filter(verb="webhook.secret_rotated", actor=owner).count() == 1


def test_a_member_cannot_rotate_on_the_page(web, organization_owner):
    org, owner = organization_owner
    subscription, first = webhook_create(
        organization=org, actor=owner, url="https://hooks.example.com/yt", event_types=["trial.*"]
    )
    member = makers.UserMaker(username="mcn_member")
    member_join(organization=org, owner=owner, username=member.username, role="member")
    web.as_user(member)
    page = web.post(f"/me/organizations/{org.pk}/webhooks/{subscription.pk}/rotate-secret/", follow=True)
    assert "New secret" not in page.content.decode()  # no button for a member
    subscription.refresh_from_db()
    assert unseal(subscription.secret_sealed) == first and subscription.previous_secret_until is None
    assert not Event.objects.filter(verb="webhook.secret_rotated").exists()
