"""Members act for their organizations' streamers through the API with their own token (issue
12, point 1): `?buyer=` or a `buyer` field, the same operations as a key (scopes.RULES)."""

import pytest
from django.utils import translation

from frontend.history import history
from marketplace.core.models import Event
from partners import services
from tests import makers
from trials.events import TrialEvents
from trials.flows.trial import TABLE
from trials.models import TrialOrder

from .conftest import member_join

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(organization, owner):
    user = makers.UserMaker(username="mcn_helper")
    member_join(organization=organization, owner=owner, username=user.username, role="member")
    return user


def test_a_member_places_a_trial_for_a_streamer_of_the_organization(api, member, streamer, product):
    # when
    response = api.as_user(member).post(
        "/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5}
    )
    # then
    assert response.status_code == 201, response.json()
    assert TrialOrder.objects.get().buyer == streamer
    assert [t["id"] for t in api.get("/api/v1/trials/", {"buyer": streamer.pk}).json()["results"]] == [
        response.json()["id"]
    ]


def test_a_member_naming_a_streamer_outside_the_organizations_is_404(api, member, outsider, product):
    response = api.as_user(member).post(
        "/api/v1/trials/", {"buyer": outsider.pk, "product": product.pk, "quantity": 5}
    )
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No such streamer in your organizations."},
    )
    assert TrialOrder.objects.count() == 0


def test_after_the_streamer_leaves_the_member_cannot_act_for_them(api, member, streamer, product):
    services.link_end(link=streamer.organization_links.get(), actor=streamer.user)
    response = api.as_user(member).post(
        "/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5}
    )
    assert response.status_code == 404
    assert TrialOrder.objects.count() == 0


def test_a_streamer_naming_themselves_acts_as_before_and_naming_another_is_404(api, streamer, outsider):
    mine = api.as_user(streamer.user).get("/api/v1/buyers/", {"buyer": streamer.pk})
    other = api.get("/api/v1/buyers/", {"buyer": outsider.pk})
    assert [b["id"] for b in mine.json()["results"]] == [streamer.pk]
    assert other.status_code == 404


def test_without_buyer_and_outside_the_rules_a_token_is_unchanged(api, member, streamer):
    # no buyer: the member's own (empty) trials
    assert api.as_user(member).get("/api/v1/trials/").json()["results"] == []
    # an operation no key may call ignores `buyer`: me/ is still the member
    me = api.get("/api/v1/me/", {"buyer": streamer.pk})
    assert (me.status_code, me.json()["username"]) == (200, "mcn_helper")


def test_a_member_acting_for_a_streamer_cannot_manage_organizations(api, member, streamer, organization):
    response = api.as_user(member).post(f"/api/v1/organizations/?buyer={streamer.pk}", {"name": "x"})
    # organizations/ is outside the rules: `buyer` is ignored and the member acts as themselves
    assert response.status_code == 201


def _trial_events():
    return list(
        Event.objects.filter(verb__startswith="trial.").order_by("id").values("verb", "actor", "data")
    )


def test_a_members_write_records_the_member_who_acted_for_the_streamer(api, member, streamer, product):
    # when: the member places a trial for the streamer, then the streamer cancels it themselves
    created = api.as_user(member).post(
        "/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5}
    )
    trial_id = created.json()["id"]
    cancelled = api.as_user(streamer.user).post(f"/api/v1/trials/{trial_id}/cancel/")
    # then: the member's row names them, the streamer's own row names no member (nothing leaks)
    assert (created.status_code, cancelled.status_code) == (201, 200)
    events = _trial_events()
    assert [(e["verb"], e["actor"], e["data"].get("member")) for e in events] == [
        (TrialEvents.REQUESTED, streamer.user.pk, {"id": member.pk, "name": "mcn_helper"}),
        ("trial.cancelled", streamer.user.pk, None),
    ]


def test_the_history_says_which_member_acted_for_the_streamer(api, member, streamer, product):
    api.as_user(member).post("/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5})
    trial = TrialOrder.objects.get()
    with translation.override("en"):
        assert [row["who"] for row in history(trial, TABLE.flow.labels)] == [
            f"mcn_helper for {streamer.display_name}"
        ]
    with translation.override("zh-hans"):
        assert [row["who"] for row in history(trial, TABLE.flow.labels)] == [
            f"mcn_helper 代 {streamer.display_name} 操作"
        ]


def test_a_member_of_another_organization_writes_no_row(api, streamer, product):
    stranger = makers.UserMaker(username="other_mcn_owner")
    services.organization_create(actor=stranger, name="别家 MCN")
    response = api.as_user(stranger).post(
        "/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5}
    )
    assert response.status_code == 404
    assert (TrialOrder.objects.count(), _trial_events()) == (0, [])


def test_a_keys_write_records_the_key_and_the_history_names_it(partner, organization, streamer, product):
    # when: the organization's key (no person) places a trial for its streamer
    response = partner.post("/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5})
    # then: the row names the key and its organization, and no member
    assert response.status_code == 201, response.json()
    (event,) = _trial_events()
    assert (event["actor"], event["data"].get("member"), event["data"].get("key")) == (
        streamer.user.pk,
        None,
        {"id": partner.key.pk, "name": "选品工具", "organization": "星河 MCN"},
    )
    trial = TrialOrder.objects.get()
    with translation.override("en"):
        assert [row["who"] for row in history(trial, TABLE.flow.labels)] == [
            f"星河 MCN's API key “选品工具” for {streamer.display_name}"
        ]
    with translation.override("zh-hans"):
        assert [row["who"] for row in history(trial, TABLE.flow.labels)] == [
            f"星河 MCN 的 API 密钥“选品工具”代 {streamer.display_name} 操作"
        ]


def test_a_key_reading_for_a_streamer_leaves_nothing_on_the_streamers_own_writes(
    api, partner, streamer, product
):
    # a key's request (a read) is over: the streamer's own write afterwards names no key
    assert partner.get("/api/v1/trials/", {"buyer": streamer.pk}).status_code == 200
    partner.credentials()
    created = api.as_user(streamer.user).post("/api/v1/trials/", {"product": product.pk, "quantity": 5})
    assert created.status_code == 201, created.json()
    (event,) = _trial_events()
    assert "key" not in event["data"] and "member" not in event["data"]


def test_webhooks_of_another_organization_are_not_told_who_acted(
    api, organization, owner, member, streamer, product
):
    # given: a second organization works for the same streamer and hears its trial events
    from partners.models import WebhookDelivery
    from partners.webhooks import services as webhooks

    other_owner = makers.UserMaker(username="other_mcn_owner")
    other = services.organization_create(actor=other_owner, name="别家 MCN")
    link = services.streamer_invite(organization_id=other.pk, actor=other_owner, buyer_id=streamer.pk)
    services.link_accept(link=link, actor=streamer.user)
    webhooks.webhook_create(
        organization=other,
        actor=other_owner,
        url="https://hooks.example.com/yuantou",
        event_types=["trial.*"],
    )
    # when: the first organization's member places a trial for the streamer
    created = api.as_user(member).post(
        "/api/v1/trials/", {"buyer": streamer.pk, "product": product.pk, "quantity": 5}
    )
    # then: the audit row names the member; the other organization's payload does not
    assert created.status_code == 201, created.json()
    (event,) = _trial_events()
    assert event["data"]["member"] == {"id": member.pk, "name": "mcn_helper"}
    (delivery,) = WebhookDelivery.objects.filter(subscription__organization=other)
    assert delivery.payload["type"] == "trial.requested"
    assert "member" not in delivery.payload["data"] and "key" not in delivery.payload["data"]
