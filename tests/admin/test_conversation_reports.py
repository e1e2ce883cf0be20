"""The staff queue of reported conversations and messages: open first; act (resolve and block the
reported sender for N days, which message_post enforces) or dismiss; the dashboard counts them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import ConversationReport, MessagingBlock, ReportStatus
from conversations.moderation import conversation_report_create
from conversations.services import conversation_start, message_post
from marketplace.core.errors import NotAllowed
from marketplace.core.events import events_for
from tests import makers

from .helpers import change_url, changelist_url, run_action, shown_messages

pytestmark = pytest.mark.django_db


def reported_message(body="加我微信私下交易"):
    buyer, factory = makers.BuyerMaker(), makers.FactoryMaker()
    conversation = conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    message = message_post(conversation=conversation, actor=factory.owner, body=body)
    report = conversation_report_create(
        conversation=conversation, reporter=buyer.user, reason="scam", detail="诈骗", message=message
    )
    return report, conversation, factory, buyer


def verbs(conversation) -> list[str]:
    return list(events_for(conversation).order_by("id").values_list("verb", flat=True))


def test_queue_lists_open_reports_first_with_the_message(staff_client):
    # given: the oldest report is already handled
    handled, _c, _f, _b = reported_message()
    first_open, _c, _f, _b = reported_message("第一条")
    second_open, _c, _f, _b = reported_message()
    run_action(staff_client, ConversationReport, "dismiss", [handled], note="")
    # when
    listed = staff_client.get(changelist_url(ConversationReport))
    opened = staff_client.get(change_url(first_open))
    # then
    assert [r.pk for r in listed.context["cl"].result_list] == [first_open.pk, second_open.pk, handled.pk]
    assert opened.status_code == 200 and "第一条" in opened.content.decode()


def test_act_blocks_the_reported_sender_for_the_days_given(staff_client, staff):
    # given
    report, conversation, factory, buyer = reported_message()
    before = timezone.now()
    # when
    response = run_action(staff_client, ConversationReport, "act", [report], block_days="3", note="确认诈骗")
    # then
    assert shown_messages(response) == [f"Resolved: {report}."]
    report.refresh_from_db()
    assert (report.status, report.resolution_note, report.handled_by) == (
        ReportStatus.RESOLVED,
        "确认诈骗",
        staff,
    )
    (block,) = MessagingBlock.objects.all()
    assert (block.user, block.report, block.created_by) == (factory.owner, report, staff)
    assert before + timedelta(days=3) <= block.until <= timezone.now() + timedelta(days=3)
    assert verbs(conversation) == [
        "conversation.started",
        "conversation.reported",
        "conversation.report_resolved",
        "conversation.sender_blocked",
    ]
    # and the sender is refused; the streamer is not
    with pytest.raises(NotAllowed):
        message_post(conversation=conversation, actor=factory.owner, body="再说一次")
    message_post(conversation=conversation, actor=buyer.user, body="不用了")
    assert list(conversation.messages.values_list("body", flat=True)) == ["加我微信私下交易", "不用了"]


def test_act_without_days_resolves_and_blocks_nobody(staff_client):
    report, conversation, factory, _buyer = reported_message()
    run_action(staff_client, ConversationReport, "act", [report], block_days="0", note="")
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert MessagingBlock.objects.count() == 0
    message_post(conversation=conversation, actor=factory.owner, body="好的")  # not refused


def test_a_block_out_of_range_is_refused_and_nothing_changes(staff_client):
    report, conversation, _factory, _buyer = reported_message()
    response = run_action(staff_client, ConversationReport, "act", [report], block_days="366", note="")
    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.status, MessagingBlock.objects.count()) == (ReportStatus.OPEN, 0)
    assert verbs(conversation) == ["conversation.started", "conversation.reported"]


def test_dismiss_blocks_nobody(staff_client, staff):
    report, conversation, _factory, _buyer = reported_message()
    response = run_action(staff_client, ConversationReport, "dismiss", [report], note="正常沟通")
    assert shown_messages(response) == [f"Dismissed: {report}."]
    report.refresh_from_db()
    assert (report.status, report.resolution_note, report.handled_by) == (
        ReportStatus.DISMISSED,
        "正常沟通",
        staff,
    )
    assert MessagingBlock.objects.count() == 0
    assert verbs(conversation)[-1] == "conversation.report_dismissed"


def test_a_handled_report_is_not_handled_again(staff_client):
    report, conversation, _factory, _buyer = reported_message()
    run_action(staff_client, ConversationReport, "dismiss", [report], note="")
    run_action(staff_client, ConversationReport, "act", [report], block_days="5", note="")
    report.refresh_from_db()
    assert (report.status, MessagingBlock.objects.count()) == (ReportStatus.DISMISSED, 0)
    assert verbs(conversation).count("conversation.report_resolved") == 0


def test_the_dashboard_counts_open_reports_and_links_the_oldest(staff_client):
    older, _c, _f, _b = reported_message()
    ConversationReport.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))
    reported_message()
    handled, _c, _f, _b = reported_message()
    run_action(staff_client, ConversationReport, "dismiss", [handled], note="")
    # when
    page = staff_client.get("/admin/moderation/")
    # then
    (queue,) = [q for q in page.context["queues"] if q["key"] == "conversation_reports"]
    assert (queue["count"], queue["oldest"], queue["url"]) == (
        2,
        older,
        "/admin/conversations/conversationreport/?status__exact=open",
    )
    listed = staff_client.get(queue["url"])
    assert len(listed.context["cl"].result_list) == 2
    assert f'href="{change_url(older)}"' in page.content.decode()
