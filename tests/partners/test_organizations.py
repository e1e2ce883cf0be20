"""Organizations, their members and the streamers they act for (issue 12, point 1): each change
with its audit row (who, before → after, from which address), each refusal with nothing written."""

import pytest

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from partners import services
from partners.models import LinkStatus, Membership, Organization, StreamerLink
from tests import makers

from .conftest import member_join

pytestmark = pytest.mark.django_db


def test_creating_an_organization_makes_the_creator_its_owner(api, owner):
    # when
    response = api.as_user(owner).post("/api/v1/organizations/", {"name": "  星河 MCN "})
    # then
    assert response.status_code == 201
    body = response.json()
    org = Organization.objects.get()
    assert (body["id"], body["name"], body["role"], body["streamers"]) == (org.pk, "星河 MCN", "owner", [])
    assert [(m["username"], m["role"]) for m in body["members"]] == [("mcn_owner", "owner")]
    event = Event.objects.get(verb="organization.created")
    assert (event.actor, event.data) == (
        owner,
        {"before": None, "after": {"name": "星河 MCN", "owner": "mcn_owner"}, "address": "127.0.0.1"},
    )


def test_organizations_are_private_to_their_members(api, organization):
    stranger = makers.UserMaker()
    assert api.as_user(stranger).get(f"/api/v1/organizations/{organization.pk}/").status_code == 404
    assert api.get("/api/v1/organizations/").json()["results"] == []


def test_owner_invites_a_member_who_joins_only_on_accepting(api, organization, owner):
    # given
    member = makers.UserMaker(username="helper")
    url = f"/api/v1/organizations/{organization.pk}/members/"
    # when: the owner invites
    first = api.as_user(owner).post(url, {"username": "HELPER", "role": "member"})
    second = api.post(url, {"username": "helper"})
    # then: an invitation, no membership yet
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["username"], body["role"], body["status"], body["invited_by"], body["organization"]) == (
        "helper",
        "member",
        "pending",
        "mcn_owner",
        {"id": organization.pk, "name": organization.name},
    )
    assert (second.status_code, second.json()) == (
        400,
        {"username": ["This account is already invited and has not answered yet."]},
    )
    assert not Membership.objects.filter(user=member).exists()
    # when: the invitee accepts
    mine = api.as_user(member).get("/api/v1/member-invitations/").json()["results"]
    accepted = api.post(f"/api/v1/member-invitations/{body['id']}/accept/")
    # then: a member now, the owner told
    assert [i["id"] for i in mine] == [body["id"]]
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")
    assert list(Membership.objects.filter(user=member).values_list("role", flat=True)) == ["member"]
    assert Event.objects.filter(verb="organization.member_invited").count() == 1
    assert Event.objects.filter(verb="organization.invitation_accepted", actor=member).count() == 1
    assert Notification.objects.filter(recipient=owner, kind="organization.invitation_accepted").count() == 1
    # and inviting a member again is refused
    again = api.as_user(owner).post(url, {"username": "helper"})
    assert (again.status_code, again.json()) == (400, {"username": ["This account is already a member."]})


def test_a_member_cannot_add_members(api, organization, owner):
    member = makers.UserMaker()
    member_join(organization=organization, owner=owner, username=member.username, role="member")
    other = makers.UserMaker()
    response = api.as_user(member).post(
        f"/api/v1/organizations/{organization.pk}/members/", {"username": other.username}
    )
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only owners of the organization can do this."},
    )
    assert not Membership.objects.filter(user=other).exists()


def test_the_last_owner_cannot_leave_but_a_member_can(api, organization, owner):
    # given
    member = makers.UserMaker()
    member_join(organization=organization, owner=owner, username=member.username, role="member")
    # when
    refused = api.as_user(owner).delete(f"/api/v1/organizations/{organization.pk}/members/{owner.pk}/")
    left = api.as_user(member).delete(f"/api/v1/organizations/{organization.pk}/members/{member.pk}/")
    # then
    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "An organization keeps at least one owner: add another owner first."},
    )
    assert left.status_code == 204
    assert list(Membership.objects.values_list("user__username", "role")) == [("mcn_owner", "owner")]
    event = Event.objects.get(verb="organization.member_removed")
    assert (event.actor, event.data["before"], event.data["after"]) == (
        member,
        {"user": member.username, "role": "member"},
        None,
    )


def test_organization_invites_a_streamer_who_accepts_and_later_leaves(api, organization, owner):
    # given
    buyer = makers.BuyerMaker()
    # when: the organization invites
    invited = api.as_user(owner).post(
        "/api/v1/streamer-links/", {"organization": organization.pk, "buyer": buyer.pk}
    )
    link_id = invited.json()["id"]
    # then: the organization itself cannot accept its own invitation
    own = api.post(f"/api/v1/streamer-links/{link_id}/accept/")
    assert (own.status_code, own.json()) == (403, {"detail": "Only the invited side can accept."})
    # when: the streamer sees it and accepts
    assert [
        link["id"] for link in api.as_user(buyer.user).get("/api/v1/streamer-links/").json()["results"]
    ] == [link_id]
    accepted = api.post(f"/api/v1/streamer-links/{link_id}/accept/")
    # then
    assert (accepted.status_code, accepted.json()["status"]) == (200, "active")
    assert api.as_user(owner).get(f"/api/v1/organizations/{organization.pk}/").json()["streamers"] == [
        {"id": buyer.pk, "display_name": buyer.display_name}
    ]
    # when: the streamer leaves
    left = api.as_user(buyer.user).post(f"/api/v1/streamer-links/{link_id}/end/")
    # then
    assert (left.status_code, left.json()["status"]) == (200, "ended")
    assert api.as_user(owner).get(f"/api/v1/organizations/{organization.pk}/").json()["streamers"] == []
    assert list(
        Event.objects.filter(target_id=link_id, verb__startswith="streamer_link.")
        .order_by("pk")
        .values_list("verb", "actor")
    ) == [
        ("streamer_link.invited", owner.pk),
        ("streamer_link.accepted", buyer.user.pk),
        ("streamer_link.ended", buyer.user.pk),
    ]
    ended = Event.objects.get(verb="streamer_link.ended")
    assert (ended.data["before"]["status"], ended.data["after"]["status"]) == ("active", "ended")
    # and ending twice is a conflict
    again = api.as_user(buyer.user).post(f"/api/v1/streamer-links/{link_id}/end/")
    assert (again.status_code, again.json()) == (409, {"detail": "This link has already ended."})


def test_streamer_invites_an_organization_and_a_member_accepts(api, organization, owner):
    buyer = makers.BuyerMaker()
    invited = api.as_user(buyer.user).post("/api/v1/streamer-links/", {"organization": organization.pk})
    assert (invited.status_code, invited.json()["invited_by"]) == (201, "streamer")
    # the streamer cannot accept their own invitation
    own = api.post(f"/api/v1/streamer-links/{invited.json()['id']}/accept/")
    assert own.status_code == 403
    accepted = api.as_user(owner).post(f"/api/v1/streamer-links/{invited.json()['id']}/accept/")
    assert (accepted.status_code, accepted.json()["status"]) == (200, "active")


def test_a_pair_has_one_open_link_and_may_link_again_after_ending(api, organization, owner):
    buyer = makers.BuyerMaker()
    first = services.streamer_invite(organization_id=organization.pk, actor=owner, buyer_id=buyer.pk)
    # when: the streamer invites the same organization while an invitation is open
    response = api.as_user(buyer.user).post("/api/v1/streamer-links/", {"organization": organization.pk})
    # then
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "This streamer and this organization are already invited or working together."},
    )
    assert StreamerLink.objects.count() == 1
    # after declining, a new invitation is possible
    services.link_end(link=first, actor=buyer.user)
    again = api.post("/api/v1/streamer-links/", {"organization": organization.pk})
    assert again.status_code == 201
    assert list(StreamerLink.objects.order_by("pk").values_list("status", flat=True)) == [
        LinkStatus.ENDED,
        LinkStatus.PENDING,
    ]


def test_only_members_invite_streamers_for_an_organization(api, organization):
    stranger = makers.UserMaker()
    buyer = makers.BuyerMaker()
    response = api.as_user(stranger).post(
        "/api/v1/streamer-links/", {"organization": organization.pk, "buyer": buyer.pk}
    )
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only members of the organization can do this."},
    )
    assert StreamerLink.objects.count() == 0
    assert not Event.objects.filter(verb="streamer_link.invited").exists()


def test_an_api_key_cannot_manage_organizations(api, streamer):
    from marketplace.accounts.services import api_key_create

    _key, raw = api_key_create(user=streamer.user, name="old tool")
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    response = api.post("/api/v1/organizations/", {"name": "via key"})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Manage organizations and keys with your own sign-in, not with an API key."},
    )
    assert Organization.objects.count() == 1  # the fixture's
