"""The reporter of a conversation or message is told when staff handle the report (issue 13): the
outcome only, in their language, never the staff note nor the block given to the other side. A
report left open tells nobody; a notice that cannot be written leaves the staff action done."""

import pytest
from django.core import mail
from django.test import Client

from conversations.models import ConversationReport, MessagingBlock, ReportStatus
from conversations.moderation import conversation_report_create
from conversations.services import message_post
from marketplace.core.events import events_for
from marketplace.notifications import services as notification_services
from marketplace.notifications.models import Notification, NotificationSettings
from tests.admin.helpers import run_action, shown_messages

pytestmark = pytest.mark.django_db

NOTE = "卖家私下索要定金，电话 13800138000，封禁7天"


@pytest.fixture
def staff_client(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client


@pytest.fixture
def report(buyer, factory, conversation):
    message = message_post(conversation=conversation, actor=factory.owner, body="先付定金再发样品")
    return conversation_report_create(
        conversation=conversation, reporter=buyer.user, reason="scam", detail="要求私下付款", message=message
    )


def _outcomes(user):
    return list(
        Notification.objects.filter(recipient=user, kind__startswith="conversation.report_").values_list(
            "kind", "key", "data"
        )
    )


def test_acting_on_a_report_tells_the_reporter_the_outcome_only(
    staff_client, report, buyer, factory, conversation
):
    NotificationSettings.objects.create(user=buyer.user, language="en")
    # when
    response = run_action(staff_client, ConversationReport, "act", [report], block_days=7, note=NOTE)
    # then: done, the sender blocked, and the reporter told — the reported side told nothing
    assert shown_messages(response) == [f"Resolved: {report}."]
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert MessagingBlock.objects.filter(user=factory.owner).count() == 1
    assert _outcomes(buyer.user) == [
        (
            "conversation.report_resolved",
            f"conversation-report:{report.pk}:handled",
            {"ref": str(conversation), "title": factory.name, "conversation_id": conversation.pk},
        )
    ]
    assert _outcomes(factory.owner) == []
    # and the e-mail says the outcome, not the note nor the block
    notice = Notification.objects.get(recipient=buyer.user, kind="conversation.report_resolved")
    mail.outbox.clear()
    assert notification_services.notification_email(notification_id=notice.pk) is True
    (sent,) = mail.outbox
    assert sent.subject == f"Your report was handled: {factory.name}"
    assert sent.body.startswith(
        f"Thank you for reporting your conversation with {factory.name}. Staff reviewed it and took action "
        "under the marketplace rules."
    )
    # (the factory's generated name may hold a 7: the block's length is looked for outside it)
    told = sent.body.replace(factory.name, "")
    assert "13800138000" not in told and "定金" not in told and "7" not in told and "day" not in told


def test_a_dismissal_is_told_in_the_reporters_language(staff_client, report, buyer, factory):
    NotificationSettings.objects.create(user=buyer.user, language="zh-hans")
    # when
    run_action(staff_client, ConversationReport, "dismiss", [report], note=NOTE)
    # then
    notice = Notification.objects.get(recipient=buyer.user, kind="conversation.report_dismissed")
    mail.outbox.clear()
    notification_services.notification_email(notification_id=notice.pk)
    (sent,) = mail.outbox
    assert sent.subject == f"您的举报已审核：{factory.name}"
    assert sent.body.startswith(
        f"感谢您举报与 {factory.name} 的对话。工作人员已审核，未发现违反平台规则的情况，因此未采取措施。"
    )
    assert "13800138000" not in sent.body


def test_a_report_left_open_tells_nobody(report, buyer, factory):
    assert report.status == ReportStatus.OPEN
    assert _outcomes(buyer.user) == [] and _outcomes(factory.owner) == []


def test_a_notice_that_cannot_be_written_leaves_the_action_done(
    staff_client, report, buyer, factory, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("notifications table unavailable")

    monkeypatch.setattr(notification_services, "notification_create", broken)
    # when
    response = run_action(staff_client, ConversationReport, "act", [report], block_days=3, note="")
    # then: the report is resolved, the block and the event stand; no notice
    assert shown_messages(response) == [f"Resolved: {report}."]
    report.refresh_from_db()
    assert (report.status, report.handled_at is not None) == (ReportStatus.RESOLVED, True)
    assert MessagingBlock.objects.filter(user=factory.owner).count() == 1
    verbs = list(events_for(report.conversation).values_list("verb", flat=True))
    assert verbs.count("conversation.report_resolved") == 1
    assert _outcomes(buyer.user) == []


def test_an_email_that_fails_to_send_leaves_the_action_done(staff_client, report, buyer, settings):
    from smtplib import SMTPException

    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingBackend"
    run_action(staff_client, ConversationReport, "dismiss", [report], note="")
    notice = Notification.objects.get(recipient=buyer.user, kind="conversation.report_dismissed")
    # when: the outbox relays the e-mail and the mail server is down
    with pytest.raises(SMTPException):
        notification_services.notification_email(notification_id=notice.pk)
    # then: the dismissal stands, the inbox entry stays, the e-mail is owed for a retry
    report.refresh_from_db()
    notice.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    assert (notice.emailed_at, notice.email_attempts) == (None, 0)
