"""The streamer link on the transition engine (partners/flows.py): what each side may do, read
by the API and the page from the same table, and the other side told of every step."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.models import OutboxMessage
from marketplace.notifications.models import Notification
from partners import services
from partners.flows import STREAMER_LINK_TABLE
from partners.models import MemberRole
from tests import makers

from .conftest import member_join

pytestmark = pytest.mark.django_db


def _told() -> list[tuple[str, str, str]]:
    # The streamer link's notices (the members' invitations and acceptances have their own tests).
    links = Notification.objects.filter(kind__startswith="streamer_link.").order_by("pk")
    return list(links.values_list("recipient__username", "kind", "key"))


def test_the_other_side_is_told_of_an_invitation_its_acceptance_and_its_end(organization, owner):
    # given: a second owner and a plain member
    co_owner = makers.UserMaker(username="co_owner")
    member = makers.UserMaker(username="helper")
    member_join(organization=organization, owner=owner, username="co_owner", role=MemberRole.OWNER)
    member_join(organization=organization, owner=owner, username="helper", role=MemberRole.MEMBER)
    OutboxMessage.objects.filter(topic="notification.email").delete()  # the joins' own e-mails
    buyer = makers.BuyerMaker(user__username="anchor")
    # when: a member invites the streamer
    link = services.streamer_invite(organization_id=organization.pk, actor=member, buyer_id=buyer.pk)
    # then: only the streamer hears of it, with an e-mail owed through the outbox
    assert _told() == [("anchor", "streamer_link.invited", f"streamer_link.invited:{link.pk}")]
    assert OutboxMessage.objects.filter(topic="notification.email").count() == 1
    # when: the streamer accepts
    services.link_accept(link=link, actor=buyer.user)
    # then: the owners hear of it (not the member, not the streamer)
    assert _told()[1:] == [
        ("mcn_owner", "streamer_link.accepted", f"streamer_link.accepted:{link.pk}"),
        ("co_owner", "streamer_link.accepted", f"streamer_link.accepted:{link.pk}"),
    ]
    # when: an owner ends it
    services.link_end(link=link, actor=co_owner)
    # then: the streamer hears of it
    assert _told()[3:] == [("anchor", "streamer_link.ended", f"streamer_link.ended:{link.pk}")]
    assert Notification.objects.get(kind="streamer_link.ended").data == {
        "ref": f"L{link.pk:06d}",
        "title": "星河 MCN",
        "organization": "星河 MCN",
        "streamer": buyer.display_name,
    }


def test_a_streamers_invitation_tells_the_owners_and_a_refusal_tells_nobody(api, organization, owner):
    # given
    buyer = makers.BuyerMaker()
    link = services.organization_invite(actor=buyer.user, organization_id=organization.pk)
    assert _told() == [("mcn_owner", "streamer_link.invited", f"streamer_link.invited:{link.pk}")]
    # when: the streamer tries to accept their own invitation
    refused = api.as_user(buyer.user).post(f"/api/v1/streamer-links/{link.pk}/accept/")
    # then: refused, nothing written, nobody told
    assert (refused.status_code, refused.json()) == (403, {"detail": "Only the invited side can accept."})
    assert len(_told()) == 1
    link.refresh_from_db()
    assert (link.status, link.accepted_at) == ("pending", None)


def test_the_api_offers_what_the_table_allows_each_side(api, organization, owner):
    # given: the organization invited a streamer
    buyer = makers.BuyerMaker()
    stranger = makers.BuyerMaker()
    link = services.streamer_invite(organization_id=organization.pk, actor=owner, buyer_id=buyer.pk)

    def actions(user):
        return [row["actions"] for row in api.as_user(user).get("/api/v1/streamer-links/").json()["results"]]

    # then: the invited streamer may accept or decline; the inviting owner may only withdraw
    assert actions(buyer.user) == [["accept", "end"]]
    assert actions(owner) == [["end"]]
    assert actions(stranger.user) == []
    # and the engine answers the same for a user who sees no list (a stranger)
    assert STREAMER_LINK_TABLE.role(link, stranger.user) == "outsider"
    # when: accepted, then ended
    accepted = api.as_user(buyer.user).post(f"/api/v1/streamer-links/{link.pk}/accept/")
    assert accepted.json()["actions"] == ["end"]
    ended = api.as_user(owner).post(f"/api/v1/streamer-links/{link.pk}/end/")
    # then
    assert (ended.json()["status"], ended.json()["actions"]) == ("ended", [])


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/streamer-links/").status_code == 200
    return len(captured)


def test_listing_links_with_their_actions_takes_a_fixed_number_of_queries(api, organization, owner):
    # given: links whose actions each depend on the caller's side
    def invite():
        services.streamer_invite(
            organization_id=organization.pk, actor=owner, buyer_id=makers.BuyerMaker().pk
        )

    invite()
    client = api.as_user(owner)
    few = _queries(client)
    # when: three more links
    for _ in range(3):
        invite()
    # then: no query per link
    assert _queries(client) == few
