"""Partner keys in conversations (issue 13 with issue 12's keys): `conversations:read` reads the
streamer's conversations, `conversations:write` writes in them too; a key never reaches a
conversation of a streamer outside its organization (404), and a refused write writes nothing."""

import pytest

from conversations.models import Conversation, Message
from conversations.services import conversation_start, message_post
from partners.models import Scope
from tests import makers
from tests.conftest import Client
from tests.partners.conftest import make_key

pytestmark = pytest.mark.django_db

READ, WRITE = Scope.CONVERSATIONS_READ.value, Scope.CONVERSATIONS_WRITE.value


@pytest.fixture
def owner(db):
    return makers.UserMaker(username="mcn_owner")


@pytest.fixture
def organization(owner):
    from partners import services

    return services.organization_create(actor=owner, name="星河 MCN")


@pytest.fixture
def streamer(organization, owner):
    from partners import services

    buyer = makers.BuyerMaker()
    link = services.streamer_invite(organization_id=organization.pk, actor=owner, buyer_id=buyer.pk)
    services.link_accept(link=link, actor=buyer.user)
    return buyer


def _key(organization, owner, scopes) -> Client:
    _key_row, raw = make_key(organization, owner, scopes=scopes)
    client = Client()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_a_read_key_reads_and_cannot_write(organization, owner, streamer, factory):
    # given: the factory wrote to the streamer
    conversation = conversation_start(actor=factory.owner, buyer=streamer, factory=factory)
    message_post(conversation=conversation, actor=factory.owner, body="样品已寄出")
    client = _key(organization, owner, [READ])
    # when
    listed = client.get(f"/api/v1/conversations/?buyer={streamer.pk}")
    page = client.get(f"/api/v1/conversations/{conversation.pk}/messages/?buyer={streamer.pk}")
    refused = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/?buyer={streamer.pk}",
        {"body": "收到"},
        format="json",
    )
    # then
    assert [(c["id"], c["unread"]) for c in listed.json()["results"]] == [(conversation.pk, 1)]
    assert [m["body"] for m in page.json()["results"]] == ["样品已寄出"]
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "This API key lacks the scope conversations:write."},
    )
    assert Message.objects.count() == 1


def test_a_write_key_writes_as_the_streamer(organization, owner, streamer, factory):
    client = _key(organization, owner, [WRITE])
    # when: it starts the conversation and writes, both for the streamer
    started = client.post(
        "/api/v1/conversations/", {"buyer": streamer.pk, "factory": factory.pk}, format="json"
    )
    pk = started.json()["id"]
    sent = client.post(
        f"/api/v1/conversations/{pk}/messages/?buyer={streamer.pk}", {"body": "想看工厂"}, format="json"
    )
    read = client.get(f"/api/v1/conversations/{pk}/?buyer={streamer.pk}")
    # then
    assert (started.status_code, started.json()["side"]) == (201, "buyer")
    assert (sent.status_code, sent.json()["side"], sent.json()["author"]) == (
        201,
        "buyer",
        streamer.display_name,
    )
    assert read.status_code == 200
    message = Message.objects.get()
    assert (message.author_id, message.conversation.buyer_id) == (streamer.user_id, streamer.pk)


def test_a_key_never_reaches_another_streamers_conversation(organization, owner, streamer, factory):
    # given: a streamer outside the organization talks with the factory
    outsider = makers.BuyerMaker()
    theirs = conversation_start(actor=outsider.user, buyer=outsider, factory=factory)
    client = _key(organization, owner, [WRITE])
    # when: named directly, or reached through the organization's own streamer
    named = client.get(f"/api/v1/conversations/{theirs.pk}/?buyer={outsider.pk}")
    through = client.get(f"/api/v1/conversations/{theirs.pk}/?buyer={streamer.pk}")
    write = client.post(
        f"/api/v1/conversations/{theirs.pk}/messages/?buyer={streamer.pk}", {"body": "hi"}, format="json"
    )
    # then
    assert (named.status_code, named.json()) == (404, {"detail": "No such streamer in this organization."})
    assert through.status_code == 404
    assert write.status_code == 404
    assert (Conversation.objects.count(), Message.objects.count()) == (1, 0)


def test_a_factory_token_names_the_streamer_it_writes_to(api, factory, streamer):
    """`buyer` of POST conversations/ is the factory's input, not a member acting for a streamer
    (the route is in the scope table now, where a token's `buyer` means acting for one)."""
    response = api.as_user(factory.owner).post(
        "/api/v1/conversations/", {"buyer": streamer.pk}, format="json"
    )
    assert (response.status_code, response.json()["buyer"], response.json()["side"]) == (
        201,
        streamer.pk,
        "factory",
    )
