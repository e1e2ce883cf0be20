"""An owner withdraws an invitation nobody has answered (issue 12): the invitee can no longer accept
it, their notice stops offering to, an audit row says who and from where; a withdrawal racing an
acceptance is decided by the invitation's row lock (real threads on PostgreSQL)."""

import pytest

from marketplace.core.models import Event
from marketplace.notifications.messages import render
from marketplace.notifications.models import Notification
from partners import invitations, services
from partners.models import MemberInvitation, Membership
from tests import makers
from tests.concurrency import race
from tests.conftest import Client

from .conftest import member_join


@pytest.fixture
def invitee(db):
    return makers.UserMaker(username="xiaoli")


def _url(organization, invitation):
    return f"/api/v1/organizations/{organization.pk}/invitations/{invitation.pk}/withdraw/"


@pytest.mark.django_db
def test_a_withdrawn_invitation_cannot_be_accepted_and_its_notice_no_longer_offers_it(
    api, organization, owner, invitee
):
    # given
    invitation = invitations.member_invite(
        organization=organization, actor=owner, username="xiaoli", role="owner"
    )
    (notice,) = Notification.objects.filter(recipient=invitee)
    assert "Accept or decline it" in render(notice.kind, notice.data)[1]

    # when
    response = api.as_user(owner).post(_url(organization, invitation), REMOTE_ADDR="198.51.100.7")

    # then: withdrawn; the invitee's accept is a 409 in the JSON error shape; no membership
    assert (response.status_code, response.json()["status"], response.json()["id"]) == (
        200,
        "withdrawn",
        invitation.pk,
    )
    accepted = api.as_user(invitee).post(f"/api/v1/member-invitations/{invitation.pk}/accept/")
    assert (accepted.status_code, accepted.json()) == (
        409,
        {"detail": "This invitation was withdrawn by the organization."},
    )
    assert not Membership.objects.filter(user=invitee).exists()
    notice.refresh_from_db()
    assert notice.kind == "organization.invitation_withdrawn"
    assert render(notice.kind, notice.data) == (
        f"Invitation withdrawn: {organization.name}",
        f"The organization {organization.name} withdrew its invitation I{invitation.pk:06d}; "
        "there is nothing to accept.",
    )
    assert Notification.objects.filter(recipient=invitee).count() == 1  # the same notice, rewritten
    (event,) = Event.objects.filter(verb="organization.invitation_withdrawn")
    assert (event.actor, event.target_id, event.data) == (
        owner,
        organization.pk,
        {
            "before": {"user": "xiaoli", "role": "owner", "status": "pending"},
            "after": {"user": "xiaoli", "role": "owner", "status": "withdrawn"},
            "address": "198.51.100.7",
            "invitation": invitation.pk,
        },
    )
    listed = api.as_user(invitee).get("/api/v1/member-invitations/").json()["results"]
    assert [(i["id"], i["status"]) for i in listed] == [(invitation.pk, "withdrawn")]
    # a second withdrawal is a conflict and writes nothing more
    again = api.as_user(owner).post(_url(organization, invitation))
    assert (again.status_code, again.json()) == (
        409,
        {"detail": "Only an invitation waiting for an answer can be withdrawn; this one is Withdrawn."},
    )
    assert Event.objects.filter(verb="organization.invitation_withdrawn").count() == 1
    # the owner may invite again: the same row, pending, a new notice that offers acceptance
    reopened = invitations.member_invite(
        organization=organization, actor=owner, username="xiaoli", role="member"
    )
    assert (reopened.pk, reopened.status) == (invitation.pk, "pending")


@pytest.mark.django_db
def test_only_an_owner_of_the_organization_withdraws_a_pending_invitation(api, organization, owner, invitee):
    # given: a member (not an owner), an owner of another organization, an answered invitation
    invitation = invitations.member_invite(
        organization=organization, actor=owner, username="xiaoli", role="member"
    )
    member = makers.UserMaker(username="helper")
    member_join(organization=organization, owner=owner, username="helper")
    stranger = makers.UserMaker()
    services.organization_create(actor=stranger, name="别家 MCN")
    answered = makers.UserMaker(username="laowang")
    member_join(organization=organization, owner=owner, username="laowang")
    answered_invitation = MemberInvitation.objects.get(invitee=answered)
    before = Event.objects.count()

    # when / then
    by_member = api.as_user(member).post(_url(organization, invitation))
    assert (by_member.status_code, by_member.json()) == (
        403,
        {"detail": "Only owners of the organization can do this."},
    )
    assert api.as_user(stranger).post(_url(organization, invitation)).status_code == 404
    assert api.as_user(invitee).post(_url(organization, invitation)).status_code == 404
    done = api.as_user(owner).post(_url(organization, answered_invitation))
    assert (done.status_code, done.json()) == (
        409,
        {"detail": "Only an invitation waiting for an answer can be withdrawn; this one is Accepted."},
    )
    other_org = services.organization_create(actor=owner, name="第二家")
    assert api.as_user(owner).post(_url(other_org, invitation)).status_code == 404
    unsigned = Client().post(_url(organization, invitation))
    assert unsigned.status_code == 401 and "detail" in unsigned.json()
    # nothing changed
    assert MemberInvitation.objects.get(pk=invitation.pk).status == "pending"
    assert Event.objects.count() == before + 1  # only the second organization's creation
    assert Notification.objects.get(recipient=invitee).kind == "organization.member_invited"


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_racing_an_acceptance_one_wins():
    owner = makers.UserMaker()
    organization = services.organization_create(actor=owner, name="并发 MCN")
    invitee = makers.UserMaker()
    tokens = makers.token_for(owner), makers.token_for(invitee)
    outcomes = set()
    for _round in range(4):
        # given: a pending invitation (opened again each round after a withdrawal)
        Membership.objects.filter(user=invitee).delete()
        invitation = invitations.member_invite(
            organization=organization, actor=owner, username=invitee.username, role="member"
        )

        def withdraw(invitation=invitation):
            response = Client().post(_url(organization, invitation), HTTP_AUTHORIZATION=f"Token {tokens[0]}")
            return "withdraw", response.status_code

        def accept(invitation=invitation):
            response = Client().post(
                f"/api/v1/member-invitations/{invitation.pk}/accept/", HTTP_AUTHORIZATION=f"Token {tokens[1]}"
            )
            return "accept", response.status_code

        # when
        results = dict(race(withdraw, accept))

        # then: exactly one of them won, and the rows say the same
        assert sorted(results.values()) == [200, 409]
        winner = next(name for name, code in results.items() if code == 200)
        outcomes.add(winner)
        invitation.refresh_from_db()
        joined = Membership.objects.filter(organization=organization, user=invitee).exists()
        if winner == "accept":
            assert (invitation.status, joined) == ("accepted", True)
        else:
            assert (invitation.status, joined) == ("withdrawn", False)
        audit = Event.objects.filter(target_id=organization.pk, data__invitation=invitation.pk)
        assert (
            audit.filter(verb="organization.invitation_accepted").count()
            + audit.filter(verb="organization.invitation_withdrawn").count()
            == _round + 1
        )
    assert outcomes <= {"accept", "withdraw"}
