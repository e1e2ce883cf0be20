"""Staff see organizations, links and keys in the admin without editing them, revoke keys with an
action (audited), and the refusals a partner reads exist in Chinese."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client as DjangoClient

from marketplace.core.models import Event
from partners.invitations import member_invite
from partners.models import Organization, PartnerKey
from tests import makers
from tests.admin.helpers import change_url, changelist_url
from tests.conftest import Client

from .conftest import make_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff):
    client = DjangoClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client


def test_staff_revoke_keys_with_an_action_and_it_is_audited(staff_client, staff, organization, owner):
    # given
    key, raw = make_key(organization, owner)
    # when
    response = staff_client.post(
        changelist_url(PartnerKey), {"action": "revoke", ACTION_CHECKBOX_NAME: [key.pk]}, follow=True
    )
    # then
    assert response.status_code == 200
    assert "1 key revoked." in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None
    event = Event.objects.get(verb="partner_key.revoked")
    assert (event.actor, event.data["address"], event.data["before"]["revoked_at"]) == (
        staff,
        "127.0.0.1",
        None,
    )
    refused = Client()
    refused.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert refused.get("/api/v1/categories/").status_code == 401


def test_organizations_are_read_only_in_the_admin(staff_client, organization):
    page = staff_client.get(change_url(organization))
    assert page.status_code == 200
    posted = staff_client.post(change_url(organization), {"name": "changed"})
    assert posted.status_code == 403
    assert Organization.objects.get().name == "星河 MCN"


def test_a_partner_reads_refusals_in_chinese(organization, owner, product):
    # given
    _key, raw = make_key(organization, owner, scopes=["catalog:read"])
    client = Client(language="zh-hans")
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    # when
    no_scope = client.get("/api/v1/trials/", {"buyer": 1})
    no_buyer = client.get("/api/v1/matches/products/")
    # then
    assert no_scope.json() == {"detail": "此 API 密钥没有 trials:write 权限范围。"}
    assert no_buyer.json() == {"buyer": ["请指明本次请求代表哪位主播：?buyer=<id> 或 buyer 字段。"]}


def test_webhooks_are_read_only_in_the_admin_and_never_show_the_secret(staff_client, organization, owner):
    from partners.models import WebhookSubscription
    from partners.webhooks.services import webhook_create

    # given
    subscription, secret = webhook_create(
        organization=organization, actor=owner, url="https://hooks.example.com/yt", event_types=["trial.*"]
    )
    # when
    listing = staff_client.get(changelist_url(WebhookSubscription))
    page = staff_client.get(change_url(subscription))
    posted = staff_client.post(change_url(subscription), {"url": "https://evil.example/"})
    # then
    assert (listing.status_code, page.status_code, posted.status_code) == (200, 200, 403)
    assert "hooks.example.com/yt" in page.content.decode()
    assert secret not in page.content.decode() and secret not in listing.content.decode()
    assert WebhookSubscription.objects.get().url == "https://hooks.example.com/yt"


def test_staff_see_an_organizations_invitations_read_only(staff_client, organization, owner):
    makers.UserMaker(username="xiaoli")
    member_invite(organization=organization, actor=owner, username="xiaoli", role="member")
    page = staff_client.get(change_url(organization)).content.decode()
    assert "xiaoli" in page and "Waiting for an answer" in page
