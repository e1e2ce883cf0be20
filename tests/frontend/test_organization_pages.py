"""The organizations page (issue 12, point 1): a streamer accepts an organization and leaves it,
an agency's member creates an organization and invites a streamer; both languages."""

import pytest

from marketplace.core.models import Event
from partners import invitations, services
from partners.models import LinkStatus, MemberInvitation, Membership, Organization, StreamerLink
from tests import makers

pytestmark = pytest.mark.django_db


def test_a_member_creates_an_organization_and_invites_a_streamer(web):
    # given: an agency's person, with no factory or streamer profile
    person = makers.UserMaker()
    buyer = makers.BuyerMaker()
    web.as_user(person)
    # when
    created = web.post("/me/organizations/", {"name": "星河 MCN"}, follow=True)
    org = Organization.objects.get()
    invited = web.post("/me/organizations/invite/", {"organization": org.pk, "buyer": buyer.pk}, follow=True)
    # then
    assert "Organization created." in created.content.decode()
    assert "Invitation sent." in invited.content.decode()
    assert Membership.objects.get().user == person
    assert StreamerLink.objects.get().status == LinkStatus.PENDING
    assert buyer.display_name in invited.content.decode()


def test_a_streamer_accepts_and_later_leaves(web):
    # given
    owner = makers.UserMaker()
    org = services.organization_create(actor=owner, name="星河 MCN")
    buyer = makers.BuyerMaker()
    link = services.streamer_invite(organization_id=org.pk, actor=owner, buyer_id=buyer.pk)
    web.as_user(buyer.user)
    page = web.get("/me/organizations/")
    assert page.status_code == 200
    assert "星河 MCN" in page.content.decode()
    # when
    accepted = web.post(f"/me/organizations/links/{link.pk}/accept/", follow=True)
    left = web.post(f"/me/organizations/links/{link.pk}/end/", follow=True)
    # then
    assert "Invitation accepted." in accepted.content.decode()
    assert "Done: the organization no longer works for this streamer." in left.content.decode()
    link.refresh_from_db()
    assert link.status == LinkStatus.ENDED
    assert list(
        Event.objects.filter(target_id=link.pk, verb__startswith="streamer_link.")
        .values_list("verb", flat=True)
        .order_by("pk")
    ) == [
        "streamer_link.invited",
        "streamer_link.accepted",
        "streamer_link.ended",
    ]


def test_a_refusal_is_shown_and_changes_nothing(web):
    owner = makers.UserMaker()
    org = services.organization_create(actor=owner, name="星河 MCN")
    stranger = makers.UserMaker()
    buyer = makers.BuyerMaker()
    response = web.as_user(stranger).post(
        "/me/organizations/invite/", {"organization": org.pk, "buyer": buyer.pk}, follow=True
    )
    assert "Only members of the organization can do this." in response.content.decode()
    assert StreamerLink.objects.count() == 0
    bad = web.post("/me/organizations/invite/", {"organization": "abc"}, follow=True)
    assert "Numbers are whole numbers, as shown on this page." in bad.content.decode()
    assert StreamerLink.objects.count() == 0


def test_the_page_speaks_chinese(web_zh):
    buyer = makers.BuyerMaker()
    page = web_zh.as_user(buyer.user).get("/me/organizations/")
    text = page.content.decode()
    assert "合作机构" in text or "机构" in text
    assert "没有机构为您服务。" in text


def test_signed_out_is_sent_to_sign_in(web):
    response = web.get("/me/organizations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_an_owner_invites_a_person_who_accepts_on_the_page_in_chinese(web_zh):
    # given
    owner = makers.UserMaker(username="mcn_owner")
    org = services.organization_create(actor=owner, name="星河 MCN")
    person = makers.UserMaker(username="xiaoli")
    # when: the owner invites on the page
    sent = web_zh.as_user(owner).post(
        f"/me/organizations/{org.pk}/members/", {"username": "xiaoli", "role": "member"}, follow=True
    )
    # then: invited, not a member yet
    assert "邀请已发出：对方接受后才会加入。" in sent.content.decode()
    assert "xiaoli 已受邀" in sent.content.decode()
    assert not Membership.objects.filter(user=person).exists()
    # when: the person sees the invitation and accepts it
    page = web_zh.as_user(person).get("/me/organizations/").content.decode()
    invitation = MemberInvitation.objects.get()
    accepted = web_zh.post(f"/me/organizations/invitations/{invitation.pk}/accept/", follow=True)
    # then
    assert "加入组织的邀请" in page and "星河 MCN" in page
    assert "欢迎：你已加入该组织。" in accepted.content.decode()
    assert Membership.objects.get(user=person).role == "member"
    assert Event.objects.filter(verb="organization.invitation_accepted", actor=person).count() == 1


def test_a_person_declines_on_the_page_and_others_cannot_answer(web):
    owner = makers.UserMaker(username="mcn_owner")
    org = services.organization_create(actor=owner, name="星河 MCN")
    person = makers.UserMaker(username="xiaoli")
    invitation = invitations.member_invite(organization=org, actor=owner, username="xiaoli", role="owner")
    # someone else (the owner too) gets 404, an unknown answer 404
    assert (
        web.as_user(owner).post(f"/me/organizations/invitations/{invitation.pk}/accept/").status_code == 404
    )
    assert web.as_user(person).post(f"/me/organizations/invitations/{invitation.pk}/join/").status_code == 404
    # when
    declined = web.post(f"/me/organizations/invitations/{invitation.pk}/decline/", follow=True)
    # then
    assert "Invitation declined." in declined.content.decode()
    assert not Membership.objects.filter(user=person).exists()
    invitation.refresh_from_db()
    assert invitation.status == "declined"


def test_an_owner_withdraws_an_invitation_on_the_page(web_zh):
    # given: an invitation waiting, seen by the owner with its button and by the invitee
    owner = makers.UserMaker(username="mcn_owner")
    org = services.organization_create(actor=owner, name="星河 MCN")
    person = makers.UserMaker(username="xiaoli")
    invitation = invitations.member_invite(organization=org, actor=owner, username="xiaoli", role="member")
    url = f"/me/organizations/{org.pk}/invitations/{invitation.pk}/withdraw/"
    assert f'action="{url}"' in web_zh.as_user(owner).get("/me/organizations/").content.decode()
    assert "加入组织的邀请" in web_zh.as_user(person).get("/me/organizations/").content.decode()
    # the invitee cannot withdraw it (not their organization)
    assert web_zh.post(url).status_code == 404

    # when
    withdrawn = web_zh.as_user(owner).post(url, follow=True)

    # then: said, no button any more; the invitee has nothing to accept, and accepting anyway is refused
    page = withdrawn.content.decode()
    assert "邀请已撤回：对方无法再接受。" in page and f'action="{url}"' not in page
    assert "加入组织的邀请" not in web_zh.as_user(person).get("/me/organizations/").content.decode()
    refused = web_zh.post(f"/me/organizations/invitations/{invitation.pk}/accept/", follow=True)
    assert "该邀请已被组织撤回。" in refused.content.decode()
    assert not Membership.objects.filter(user=person).exists()
    assert Event.objects.filter(verb="organization.invitation_withdrawn", actor=owner).count() == 1
