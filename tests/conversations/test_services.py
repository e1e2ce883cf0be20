"""Conversation services: one per pair (also under parallel starts), bounded bodies, rate limits
that write nothing and tell nobody, one notification per burst, unread counts and read markers."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conversations import selectors, services
from conversations.models import Conversation, Message
from marketplace.core.errors import NotAllowed, TooManyRequests, ValidationError
from marketplace.core.models import Event
from marketplace.core.outbox import OutboxMessage
from marketplace.notifications.models import Notification
from tests import makers
from tests.concurrency import race


def test_one_conversation_per_pair_whoever_starts_it(buyer, factory):
    # when
    first = services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    again = services.conversation_start(actor=factory.owner, buyer=buyer, factory=factory)
    # then
    assert first.pk == again.pk
    assert first.started_by == "buyer"
    assert Conversation.objects.count() == 1
    assert Event.objects.filter(verb="conversation.started", target_id=first.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_starts_make_one_row():
    # given
    buyer, factory = makers.BuyerMaker(), makers.FactoryMaker()
    # when: six requests start the same pair at the same moment, from both sides
    actors = [buyer.user, factory.owner] * 3
    results = race(
        *[lambda a=a: services.conversation_start(actor=a, buyer=buyer, factory=factory).pk for a in actors]
    )
    # then
    assert Conversation.objects.count() == 1
    assert set(results) == {Conversation.objects.get().pk}
    assert Event.objects.filter(verb="conversation.started").count() == 1


def test_a_third_party_cannot_start_or_write(buyer, factory, conversation, outsider_buyer, outsider_factory):
    with pytest.raises(NotAllowed):
        services.conversation_start(actor=outsider_buyer.user, buyer=buyer, factory=factory)
    for outsider in (outsider_buyer.user, outsider_factory.owner, makers.StaffUserMaker()):
        with pytest.raises(NotAllowed):
            services.message_post(conversation=conversation, actor=outsider, body="hi")
    assert Message.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_streamer_starts_only_with_a_verified_factory(buyer):
    pending = makers.FactoryMaker(verification_status="pending")
    with pytest.raises(ValidationError) as error:
        services.conversation_start(actor=buyer.user, buyer=buyer, factory=pending)
    assert error.value.message_dict == {"factory": ["No such factory."]}
    assert Conversation.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write a message."),
        ("   \n ", "Write a message."),
        ("x" * 4001, "Write at most 4000 characters (you wrote 4001)."),
        ("bell\x07", "The message contains control characters; remove them and send again."),
        ("esc\x1b[31m", "The message contains control characters; remove them and send again."),
        ("nul\x00", "The message contains control characters; remove them and send again."),
        ("line\u2028sep", "The message contains control characters; remove them and send again."),
    ],
)
def test_bodies_are_bounded(conversation, buyer, body, message):
    with pytest.raises(ValidationError) as error:
        services.message_post(conversation=conversation, actor=buyer.user, body=body)
    assert error.value.message_dict == {"body": [message]}
    assert Message.objects.count() == 0


def test_line_breaks_and_tabs_are_kept(conversation, buyer):
    message = services.message_post(
        conversation=conversation, actor=buyer.user, body="  第一行\r\n\t第二行  "
    )
    assert message.body == "第一行\n\t第二行"
    assert message.side == "buyer"


def test_one_notification_and_email_per_burst_until_read(conversation, buyer, factory):
    # when: three messages in a row
    for n in range(3):
        services.message_post(conversation=conversation, actor=buyer.user, body=f"第{n}条")
    # then: the factory has one inbox entry (one e-mail owed), about the first
    (entry,) = Notification.objects.filter(recipient=factory.owner)
    assert entry.kind == "conversation.message"
    assert entry.data == {
        "ref": str(conversation),
        "title": buyer.display_name,
        "author": buyer.display_name,
        "body": "第0条",
        "conversation_id": conversation.pk,
    }
    assert (
        OutboxMessage.objects.filter(
            topic="notification.email", payload={"notification_id": entry.pk}
        ).count()
        == 1
    )
    assert Notification.objects.filter(recipient=buyer.user).count() == 0
    # when the factory reads, the next message is a new burst
    services.conversation_mark_read(conversation=conversation, actor=factory.owner)
    assert Notification.objects.get(pk=entry.pk).read_at is not None
    services.message_post(conversation=conversation, actor=buyer.user, body="又一条")
    assert Notification.objects.filter(recipient=factory.owner).count() == 2


def test_unread_counts_follow_the_read_markers(conversation, buyer, factory, outsider_factory):
    # given
    other = services.conversation_start(actor=outsider_factory.owner, buyer=buyer, factory=outsider_factory)
    services.message_post(conversation=conversation, actor=factory.owner, body="您好")
    services.message_post(conversation=conversation, actor=factory.owner, body="在吗")
    services.message_post(conversation=other, actor=outsider_factory.owner, body="我们也做")
    # then: the other side's messages are unread, one's own are not
    assert selectors.unread_total(buyer.user) == 3
    assert dict(selectors.conversations_of(buyer.user).values_list("pk", "unread")) == {
        conversation.pk: 2,
        other.pk: 1,
    }
    assert selectors.unread_total(factory.owner) == 0
    # when the streamer replies: answering reads the conversation up to the answer
    services.message_post(conversation=conversation, actor=buyer.user, body="在")
    assert dict(selectors.conversations_of(buyer.user).values_list("pk", "unread")) == {
        conversation.pk: 0,
        other.pk: 1,
    }
    assert selectors.unread_total(factory.owner) == 1
    assert selectors.unread_total(outsider_factory.owner) == 0
    # when
    marker = services.conversation_mark_read(conversation=other, actor=buyer.user)
    # then
    assert marker == Message.objects.filter(conversation=other).latest("id").pk
    assert selectors.unread_total(buyer.user) == 0
    assert selectors.unread_total(factory.owner) == 1  # the factory's marker did not move
    services.conversation_mark_read(conversation=conversation, actor=factory.owner)
    assert selectors.unread_total(factory.owner) == 0


def test_the_rate_limit_refuses_without_writing_or_telling(conversation, buyer, factory, settings):
    # given
    settings.CONVERSATION_MESSAGES_PER_MINUTE = 3
    settings.CONVERSATION_MESSAGES_PER_HOUR = 5
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):
            services.message_post(conversation=conversation, actor=buyer.user, body=f"第{n}条")
        services.conversation_mark_read(conversation=conversation, actor=factory.owner)
        before = (Message.objects.count(), Notification.objects.count(), OutboxMessage.objects.count())
        # when
        with pytest.raises(TooManyRequests) as error:
            services.message_post(conversation=conversation, actor=buyer.user, body="第四条")
    # then: nothing written, nobody told
    assert error.value.retry_after == 60
    assert str(error.value.message) == "You are sending messages too fast; wait 60 seconds and send again."
    assert (Message.objects.count(), Notification.objects.count(), OutboxMessage.objects.count()) == before
    # the other side is not limited by the sender's count
    services.message_post(conversation=conversation, actor=factory.owner, body="慢慢来")
    # a minute later the minute window is free again, the hour window fills at five
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        services.message_post(conversation=conversation, actor=buyer.user, body="第四条")
        services.message_post(conversation=conversation, actor=buyer.user, body="第五条")
        with pytest.raises(TooManyRequests) as error:
            services.message_post(conversation=conversation, actor=buyer.user, body="第六条")
    assert error.value.retry_after == 3600 - 61
    assert Message.objects.filter(author=buyer.user).count() == 5


def test_custom_request_messages_use_the_pair_conversation(buyer):
    from tests.trials.conftest import mask_request
    from trials.services import custom

    # given
    maker = makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    request = mask_request(buyer, factory=maker)
    # when
    custom.custom_message_post(request=request, actor=buyer.user, body="你好")
    services.message_post(
        conversation=Conversation.objects.get(buyer=buyer, factory=maker), actor=maker.owner, body="直接聊"
    )
    # then: one conversation; the request's thread holds only the message about it
    conversation = Conversation.objects.get()
    assert list(conversation.messages.values_list("body", "topic_kind", "topic_id")) == [
        ("你好", "custom_request", request.pk),
        ("直接聊", "", None),
    ]
    assert [m.body for m in request.messages] == ["你好"]
