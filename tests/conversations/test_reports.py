"""Reports of a conversation or a message (issue 13, point 3): a side reports the other side, once
per message (and once per conversation as a whole) — the database's unique constraints decide, a
second report is a 409 in the JSON shape; refusals write nothing. Staff act (block the sender for N
days, which message_post then enforces) or dismiss (tests/admin/test_conversation_reports.py)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from conversations.models import ConversationReport, Message, MessagingBlock
from conversations.services import message_post
from marketplace.core.events import events_for
from marketplace.core.models import Event
from marketplace.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def their_message(conversation, factory):
    return message_post(conversation=conversation, actor=factory.owner, body="加微信看更便宜的货")


def _report(api, user, conversation, **data):
    return api.as_user(user).post(f"/api/v1/conversations/{conversation.pk}/reports/", data, format="json")


def test_a_side_reports_the_other_sides_message_once(api, buyer, factory, conversation, their_message):
    # when
    response = _report(
        api, buyer.user, conversation, reason="scam", detail="要我加微信私下交易", message=their_message.pk
    )
    again = _report(api, buyer.user, conversation, reason="spam", message=their_message.pk)
    # then
    assert response.status_code == 201
    report = ConversationReport.objects.get()
    assert response.json() == {
        "id": report.pk,
        "conversation": conversation.pk,
        "message": their_message.pk,
        "reason": "scam",
        "detail": "要我加微信私下交易",
        "status": "open",
        "created_at": response.json()["created_at"],
    }
    assert (report.reporter, report.reported, report.handled_by) == (buyer.user, factory.owner, None)
    assert (again.status_code, again.json()) == (
        409,
        {"detail": "You have already reported this message; staff are looking at it."},
    )
    assert ConversationReport.objects.count() == 1
    reported = events_for(conversation).filter(verb="conversation.reported")
    assert [(e.actor, e.data["report_id"], e.data["message_id"], e.data["reason"]) for e in reported] == [
        (buyer.user, report.pk, their_message.pk, "scam")
    ]


def test_the_whole_conversation_once_beside_its_messages(api, buyer, factory, conversation, their_message):
    # given: a report of the message
    _report(api, buyer.user, conversation, reason="spam", message=their_message.pk)
    # when: the conversation as a whole, twice; and the factory reports the streamer's conversation
    whole = _report(api, buyer.user, conversation, reason="abuse")
    again = _report(api, buyer.user, conversation, reason="abuse")
    other_side = _report(api, factory.owner, conversation, reason="other", detail="一直发广告")
    # then
    assert (whole.status_code, whole.json()["message"]) == (201, None)
    assert (again.status_code, again.json()) == (
        409,
        {"detail": "You have already reported this conversation; staff are looking at it."},
    )
    assert other_side.status_code == 201
    rows = ConversationReport.objects.order_by("id").values_list("reporter", "reported", "message", "reason")
    assert list(rows) == [
        (buyer.user.pk, factory.owner.pk, their_message.pk, "spam"),
        (buyer.user.pk, factory.owner.pk, None, "abuse"),
        (factory.owner.pk, buyer.user.pk, None, "other"),
    ]


def test_the_database_refuses_a_second_report_whatever_the_code_checks(
    buyer, factory, conversation, their_message
):
    """The guard is the unique constraints, not a read before the insert (which two parallel
    requests would both pass)."""
    common = {
        "conversation": conversation,
        "reporter": buyer.user,
        "reported": factory.owner,
        "reason": "spam",
    }
    ConversationReport.objects.create(message=their_message, **common)
    ConversationReport.objects.create(message=None, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConversationReport.objects.create(message=their_message, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConversationReport.objects.create(message=None, **common)
    assert ConversationReport.objects.count() == 2


# A service's refusal of the `detail` field reads {"detail": "…"} (the error shape's own key, as the
# product report's); the serializer's length check keeps its list.
@pytest.mark.parametrize(
    ("data", "status", "body"),
    [
        ({"reason": "rude"}, 400, {"reason": ['"rude" is not a valid choice.']}),
        ({}, 400, {"reason": ["This field is required."]}),
        ({"reason": "other"}, 400, {"detail": "Describe the problem."}),
        ({"reason": "other", "detail": "   "}, 400, {"detail": "Describe the problem."}),
        (
            {"reason": "spam", "detail": "长" * 1001},
            400,
            {"detail": ["Ensure this field has no more than 1000 characters."]},
        ),
        (
            {"reason": "spam", "detail": "看\x07这里"},
            400,
            {"detail": "The text contains control characters; remove them and send again."},
        ),
        (
            {"reason": "spam", "message": 0},
            400,
            {"message": ["Ensure this value is greater than or equal to 1."]},
        ),
        (
            {"reason": "spam", "message": 2**63},
            400,
            {"message": ["Ensure this value is less than or equal to 9223372036854775807."]},
        ),
    ],
)
def test_bad_input_is_refused_in_the_json_shape_and_nothing_is_written(
    api, buyer, conversation, data, status, body
):
    events_before = Event.objects.count()
    response = _report(api, buyer.user, conversation, **data)
    assert (response.status_code, response.json()) == (status, body)
    assert ConversationReport.objects.count() == 0
    assert Event.objects.count() == events_before


def test_own_messages_and_other_conversations_messages_are_refused(
    api, buyer, factory, conversation, outsider_factory
):
    # given: the streamer's own message, and a message of another conversation of theirs
    mine = message_post(conversation=conversation, actor=buyer.user, body="您好")
    from conversations.services import conversation_start

    elsewhere = conversation_start(actor=buyer.user, buyer=buyer, factory=outsider_factory)
    other = message_post(conversation=elsewhere, actor=outsider_factory.owner, body="你好")
    events_before = Event.objects.count()
    # when
    own = _report(api, buyer.user, conversation, reason="spam", message=mine.pk)
    foreign = _report(api, buyer.user, conversation, reason="spam", message=other.pk)
    # then
    assert (own.status_code, own.json()) == (400, {"message": ["You cannot report your own message."]})
    assert (foreign.status_code, foreign.json()) == (
        400,
        {"message": ["No such message in this conversation."]},
    )
    assert ConversationReport.objects.count() == 0
    assert Event.objects.count() == events_before


def test_a_third_party_gets_404_and_writes_nothing(api, conversation, their_message, outsider_buyer, staff):
    for user in (outsider_buyer.user, staff):
        response = _report(api, user, conversation, reason="spam", message=their_message.pk)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert ConversationReport.objects.count() == 0


def test_a_blocked_sender_is_refused_with_a_clear_error_and_nothing_is_written(
    api, buyer, factory, conversation, staff
):
    # given: staff blocked the factory until a known time
    until = timezone.now() + timedelta(days=3)
    MessagingBlock.objects.create(user=factory.owner, until=until, created_by=staff)
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    # when
    refused = api.as_user(factory.owner).post(url, {"body": "再联系"}, format="json")
    # then
    shown = timezone.localtime(until).strftime("%Y-%m-%d %H:%M")
    assert (refused.status_code, refused.json()) == (
        403,
        {
            "detail": f"Staff have blocked you from sending messages until {shown} after a report; "
            "you can still read your conversations."
        },
    )
    assert Message.objects.count() == 0
    assert Notification.objects.count() == 0
    # the other side still writes; the blocked side still reads
    assert api.as_user(buyer.user).post(url, {"body": "在吗"}, format="json").status_code == 201
    assert [m["body"] for m in api.as_user(factory.owner).get(url).json()["results"]] == ["在吗"]
    # when: the block has run out
    MessagingBlock.objects.update(until=timezone.now() - timedelta(seconds=1))
    # then
    assert api.as_user(factory.owner).post(url, {"body": "再联系"}, format="json").status_code == 201
    assert Message.objects.count() == 2


def test_the_refusal_in_chinese(api_zh, factory, conversation, staff):
    MessagingBlock.objects.create(
        user=factory.owner, until=timezone.now() + timedelta(days=1), created_by=staff
    )
    response = api_zh.as_user(factory.owner).post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "x"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("因被举报，运营人员已禁止您发送消息，直到 ")
