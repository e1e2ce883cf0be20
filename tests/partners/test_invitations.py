"""Invitations to join an organization (issue 12, point 1): nothing changes in the membership
until the invitee accepts; a decline or an expiry leaves no membership; each step is an audit row
and a notification to the other side."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from partners import invitations
from partners.models import InvitationStatus, MemberInvitation, Membership
from partners.tasks import member_invitations_expire
from tests import makers

pytestmark = pytest.mark.django_db

INVITED = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def invitee(db):
    return makers.UserMaker(username="xiaoli")


def invite(api, organization, owner, username="xiaoli", role="member"):
    with time_machine.travel(INVITED, tick=False):
        response = api.as_user(owner).post(
            f"/api/v1/organizations/{organization.pk}/members/", {"username": username, "role": role}
        )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_invitee_is_notified_and_nothing_changes_until_an_answer(api, organization, owner, invitee):
    body = invite(api, organization, owner, role="owner")
    assert (body["status"], body["role"], body["expires_at"]) == (
        "pending",
        "owner",
        "2026-05-18T16:00:00+08:00",
    )
    assert list(
        Membership.objects.filter(organization=organization).values_list("user__username", flat=True)
    ) == ["mcn_owner"]
    (notice,) = Notification.objects.filter(recipient=invitee)
    assert notice.kind == "organization.member_invited"
    assert notice.data["organization"] == organization.name and notice.data["days"] == 14
    event = Event.objects.get(verb="organization.member_invited")
    assert (event.actor, event.data["before"], event.data["after"]) == (
        owner,
        None,
        {"user": "xiaoli", "role": "owner", "status": "pending"},
    )
    # an invited account cannot act for the organization yet
    assert api.as_user(invitee).get(f"/api/v1/organizations/{organization.pk}/").status_code == 404


def test_a_decline_leaves_no_membership_and_cannot_be_accepted_after(api, organization, owner, invitee):
    body = invite(api, organization, owner)
    # when
    with time_machine.travel(INVITED + timedelta(hours=1), tick=False):
        declined = api.as_user(invitee).post(f"/api/v1/member-invitations/{body['id']}/decline/")
        accepted = api.post(f"/api/v1/member-invitations/{body['id']}/accept/")
    # then
    assert (declined.status_code, declined.json()["status"]) == (200, "declined")
    assert (accepted.status_code, accepted.json()) == (
        409,
        {"detail": "This invitation has already been answered."},
    )
    assert not Membership.objects.filter(user=invitee).exists()
    assert Notification.objects.filter(recipient=owner, kind="organization.invitation_declined").count() == 1
    assert Event.objects.filter(verb="organization.invitation_declined", actor=invitee).count() == 1
    assert not Event.objects.filter(verb="organization.invitation_accepted").exists()
    # and the owner may invite again: the same row, pending again
    again = invite(api, organization, owner)
    assert (again["id"], again["status"]) == (body["id"], "pending")
    assert MemberInvitation.objects.count() == 1


def test_an_expired_invitation_is_refused_and_marked_by_beat(api, organization, owner, invitee):
    body = invite(api, organization, owner)
    url = f"/api/v1/member-invitations/{body['id']}/accept/"
    # when: one second before the end it could still be answered; at the end it is refused
    with time_machine.travel(INVITED + timedelta(days=14), tick=False):
        refused = api.as_user(invitee).post(url)
        listed = api.get("/api/v1/member-invitations/").json()["results"]
    # then
    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "This invitation has expired: ask the organization to invite you again."},
    )
    assert [i["status"] for i in listed] == ["expired"]
    assert not Membership.objects.filter(user=invitee).exists()
    assert not Event.objects.filter(verb="organization.invitation_accepted").exists()
    # and beat marks it (only the one past its date)
    other = makers.UserMaker(username="later")
    with time_machine.travel(INVITED + timedelta(days=1), tick=False):
        invitations.member_invite(organization=organization, actor=owner, username="later", role="member")
    with time_machine.travel(INVITED + timedelta(days=14), tick=False):
        assert member_invitations_expire() == 1
    assert dict(MemberInvitation.objects.values_list("invitee__username", "status")) == {
        "xiaoli": InvitationStatus.EXPIRED,
        "later": InvitationStatus.PENDING,
    }
    assert other.organization_invitations.get().status == "pending"


def test_an_invitation_answered_just_before_it_expires_is_accepted(api, organization, owner, invitee):
    body = invite(api, organization, owner)
    with time_machine.travel(INVITED + timedelta(days=14) - timedelta(seconds=1), tick=False):
        accepted = api.as_user(invitee).post(f"/api/v1/member-invitations/{body['id']}/accept/")
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")
    assert Membership.objects.filter(user=invitee, organization=organization).exists()


def test_only_the_invitee_answers_and_refusals_write_nothing(api, organization, owner, invitee):
    body = invite(api, organization, owner)
    stranger = makers.UserMaker()
    # someone else's invitation is not found; the owner cannot accept for the invitee
    assert api.as_user(stranger).post(f"/api/v1/member-invitations/{body['id']}/accept/").status_code == 404
    assert api.as_user(owner).post(f"/api/v1/member-invitations/{body['id']}/accept/").status_code == 404
    assert api.as_user(stranger).get("/api/v1/member-invitations/").json()["results"] == []
    # no such account, bad role, over-long name: 400 and no row
    url = f"/api/v1/organizations/{organization.pk}/members/"
    assert api.as_user(owner).post(url, {"username": "nobody"}).json() == {
        "username": ["No account with this username."]
    }
    assert api.post(url, {"username": "x" * 151}).status_code == 400
    assert api.post(url, {"username": "xiaoli", "role": "admin"}).status_code == 400
    assert MemberInvitation.objects.count() == 1
    assert MemberInvitation.objects.get().status == "pending"
    assert not Membership.objects.filter(user=invitee).exists()


def test_existing_members_stay_members(api, organization, owner):
    # given: a member from before invitations (a row written directly, as the old service did)
    veteran = makers.UserMaker()
    Membership.objects.create(organization=organization, user=veteran, role="member")
    # then: it still reads the organization, with no invitation needed
    response = api.as_user(veteran).get(f"/api/v1/organizations/{organization.pk}/")
    assert response.status_code == 200
    assert {m["username"] for m in response.json()["members"]} == {"mcn_owner", veteran.username}
