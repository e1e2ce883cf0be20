"""Uniqueness races on real PostgreSQL with real threads: the constraints decide, not a check."""

import pytest

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from partners import services
from partners.models import MemberInvitation, Membership, StreamerLink
from tests import makers
from tests.concurrency import race
from tests.conftest import Client

pytestmark = pytest.mark.django_db(transaction=True)


def _post(user, url, body):
    token = makers.token_for(user)

    def call():
        response = Client().post(url, body, HTTP_AUTHORIZATION=f"Token {token}")
        return response.status_code, response.json()

    return call


def test_eight_parallel_invitations_of_one_account_give_one_invitation_and_no_membership():
    # given
    owner = makers.UserMaker()
    organization = services.organization_create(actor=owner, name="并发 MCN")
    member = makers.UserMaker()
    url = f"/api/v1/organizations/{organization.pk}/members/"
    # when
    results = race(*[_post(owner, url, {"username": member.username}) for _ in range(8)])
    # then: one invitation row (the unique index decided), the others told so; nobody joined
    assert sorted(code for code, _ in results) == [201] + [400] * 7
    assert [body for code, body in results if code == 400] == [
        {"username": ["This account is already invited and has not answered yet."]}
    ] * 7
    assert MemberInvitation.objects.filter(organization=organization, invitee=member).count() == 1
    assert not Membership.objects.filter(organization=organization, user=member).exists()
    assert Event.objects.filter(verb="organization.member_invited").count() == 1
    assert Notification.objects.filter(recipient=member, kind="organization.member_invited").count() == 1


def test_both_sides_inviting_at_once_give_one_open_link():
    # given
    owner = makers.UserMaker()
    organization = services.organization_create(actor=owner, name="并发 MCN")
    buyer = makers.BuyerMaker()
    url = "/api/v1/streamer-links/"
    calls = [_post(owner, url, {"organization": organization.pk, "buyer": buyer.pk}) for _ in range(4)]
    calls += [_post(buyer.user, url, {"organization": organization.pk}) for _ in range(4)]
    # when
    results = race(*calls)
    # then
    assert sorted(code for code, _ in results) == [201] + [400] * 7
    assert StreamerLink.objects.count() == 1
    assert Event.objects.filter(verb="streamer_link.invited").count() == 1
