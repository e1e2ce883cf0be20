"""The webhooks page of an organization (issue 12, point 3): an owner subscribes (the secret shown
once), reads the delivery log and sends an event again; a member reads only; another
organization's people get 404; both languages."""

import pytest

from marketplace.core.models import Event
from partners import services
from partners.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from partners.webhooks.sealing import unseal
from tests import makers

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
    services.member_add(organization=org, actor=owner, username="helper", role="member")
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
