"""me/conversations/: the list with unread counts (also in the navigation), the thread (opening it
reads it), writing with an attachment, contact details behind agreement, a third party's 404."""

import pytest

from conversations import services
from conversations.models import Conversation, Message
from tests import makers
from tests.conversations.conftest import pdf
from tests.conversations.test_paging import messages_bulk
from tests.frontend.conftest import Browser
from tests.frontend.helpers import html, messages_of


@pytest.fixture
def buyer(db):
    return makers.BuyerMaker(display_name="小鹿直播间")


@pytest.fixture
def conversation(buyer, factory):
    return services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)


def test_a_streamer_writes_from_the_factory_page(web, buyer, factory):
    # when
    response = web.as_user(buyer.user).post("/me/conversations/start/", {"factory": factory.pk}, follow=True)
    # then
    conversation = Conversation.objects.get()
    assert response.redirect_chain[-1][0] == f"/me/conversations/{conversation.pk}/"
    assert "<h1>义乌市好物收纳用品厂</h1>" in html(response)
    page = web.get(f"/factories/{factory.pk}/")
    assert "Write to the factory" in html(page)


def test_unread_counts_in_the_navigation_and_the_list_and_opening_reads(web, buyer, factory, conversation):
    # given
    services.message_post(conversation=conversation, actor=factory.owner, body="您好")
    services.message_post(conversation=conversation, actor=factory.owner, body="看厂吗?")
    web.as_user(buyer.user)
    # then
    home = html(web.get("/"))
    assert '<a href="/me/conversations/">Messages <span class="nav-count">2</span>' in home
    listing = html(web.get("/me/conversations/"))
    assert '<span class="nav-count">2</span>' in listing and "义乌市好物收纳用品厂" in listing
    # when
    thread = html(web.get(f"/me/conversations/{conversation.pk}/"))
    # then
    assert "2 new messages" in thread
    assert thread.index("您好") < thread.index("看厂吗?")
    assert "nav-count" not in html(web.get("/me/conversations/"))


def test_writing_with_an_attachment_and_a_refusal(
    web, buyer, factory, conversation, django_capture_on_commit_callbacks
):
    web.as_user(factory.owner)
    url = f"/me/conversations/{conversation.pk}/messages/"
    with django_capture_on_commit_callbacks(execute=True):  # the file is written on commit
        response = web.post(url, {"body": "报价见附件", "attachment": pdf()}, follow=True)
    assert messages_of(response) == []
    message = Message.objects.get()
    (attachment,) = message.attachments.all()
    assert f"/me/conversations/{conversation.pk}/attachments/{attachment.pk}/" in html(response)
    download = web.get(f"/me/conversations/{conversation.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    # a refused file: the message is shown, nothing written
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("a.exe", b"MZ\x90\x00", "application/octet-stream")
    response = web.post(url, {"body": "再看这个", "attachment": bad}, follow=True)
    assert messages_of(response) == [
        "Attach a JPEG, PNG or WebP image or a PDF file; other files are refused."
    ]
    assert Message.objects.count() == 1


def test_a_third_party_gets_404(buyer, factory, conversation):
    services.message_post(conversation=conversation, actor=buyer.user, body="hi", attachment=None)
    outsider = Browser().as_user(makers.FactoryMaker().owner)
    assert outsider.get(f"/me/conversations/{conversation.pk}/").status_code == 404
    assert outsider.post(f"/me/conversations/{conversation.pk}/messages/", {"body": "x"}).status_code == 404
    assert outsider.get(f"/me/conversations/{conversation.pk}/attachments/1/").status_code == 404
    assert Message.objects.count() == 1


def test_contact_details_wait_for_agreement(web, buyer, factory, conversation):
    # given
    Browser().as_user(factory.owner).post(
        "/me/conversations/contact/", {"name": "王厂长", "phone": "13900001111"}
    )
    web.as_user(buyer.user)
    # then
    page = html(web.get(f"/me/conversations/{conversation.pk}/"))
    assert "13900001111" not in page
    assert "Contact details are shown once you have agreed to work together" in page


def test_chinese_pages(web_zh, buyer, factory, conversation):
    services.message_post(conversation=conversation, actor=factory.owner, body="您好")
    page = html(web_zh.as_user(buyer.user).get("/me/conversations/"))
    assert "消息" in page and "您的联系方式" in page
    thread = html(web_zh.get(f"/me/conversations/{conversation.pk}/"))
    assert "1 条新消息" in thread and "附上图片或 PDF" in thread


def test_the_thread_page_links_to_earlier_messages(web, buyer, factory, conversation):
    ids = messages_bulk(conversation, factory.owner, 61)
    web.as_user(buyer.user)
    page = web.get(f"/me/conversations/{conversation.pk}/").content.decode()
    # the newest 60: 第2条 … 第61条, and a link to what is before the oldest shown
    assert "<div>第61条</div>" in page and "<div>第2条</div>" in page and "<div>第1条</div>" not in page
    assert f'rel="prev" href="?before={ids[1]}"' in page
    assert "Latest messages" not in page
    earlier = web.get(f"/me/conversations/{conversation.pk}/?before={ids[1]}").content.decode()
    assert "<div>第1条</div>" in earlier and "<div>第2条</div>" not in earlier
    assert 'rel="prev"' not in earlier
    assert f'href="/me/conversations/{conversation.pk}/">↓ Latest messages' in earlier


def test_report_buttons_on_the_other_sides_messages_and_the_conversation(
    web_zh, buyer, factory, conversation
):
    # given
    theirs = services.message_post(conversation=conversation, actor=factory.owner, body="加微信私聊")
    mine = services.message_post(conversation=conversation, actor=buyer.user, body="好的")
    # when
    page = html(web_zh.as_user(buyer.user).get(f"/me/conversations/{conversation.pk}/"))
    # then: one button under their message, none under mine, one for the whole conversation
    assert page.count("<summary>举报这条消息</summary>") == 1
    assert f'name="message" value="{theirs.pk}"' in page
    assert f'name="message" value="{mine.pk}"' not in page
    assert page.count("<summary>举报这个会话</summary>") == 1
    assert '<option value="scam">诈骗或欺诈</option>' in page


def test_reporting_from_the_page_once_then_a_friendly_refusal(web, buyer, factory, conversation):
    from conversations.models import ConversationReport

    theirs = services.message_post(conversation=conversation, actor=factory.owner, body="加微信私聊")
    url = f"/me/conversations/{conversation.pk}/report/"
    data = {"reason": "scam", "detail": "要求私下交易", "message": theirs.pk}
    # when
    first = web.as_user(buyer.user).post(url, data, follow=True)
    second = web.post(url, data, follow=True)
    # then
    assert messages_of(first) == [
        "Thank you. Staff will look at your report; the other side is not told who reported."
    ]
    assert second.status_code == 200
    assert messages_of(second) == ["You have already reported this message; staff are looking at it."]
    report = ConversationReport.objects.get()
    assert (report.message, report.reason, report.detail, report.reported) == (
        theirs,
        "scam",
        "要求私下交易",
        factory.owner,
    )


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ({"reason": "rude"}, "Reason: Select a valid choice. rude is not one of the available choices."),
        ({"reason": "other"}, "Describe the problem."),
        ({"reason": "spam", "detail": "x" * 1001}, None),
    ],
)
def test_bad_reports_from_the_page_write_nothing(web, buyer, factory, conversation, data, shown):
    from conversations.models import ConversationReport

    response = web.as_user(buyer.user).post(f"/me/conversations/{conversation.pk}/report/", data, follow=True)
    assert response.status_code == 200
    if shown:
        assert messages_of(response) == [shown]
    else:
        assert len(messages_of(response)) == 1
    assert ConversationReport.objects.count() == 0


def test_a_third_party_cannot_report_from_the_page(web, conversation):
    from conversations.models import ConversationReport

    outsider = makers.BuyerMaker()
    response = web.as_user(outsider.user).post(
        f"/me/conversations/{conversation.pk}/report/", {"reason": "spam"}
    )
    assert response.status_code == 404
    assert ConversationReport.objects.count() == 0


def test_a_blocked_sender_reads_why_on_the_page(web, buyer, factory, conversation, staff):
    from datetime import timedelta

    from django.utils import timezone

    from conversations.models import MessagingBlock

    until = timezone.now() + timedelta(days=2)
    MessagingBlock.objects.create(user=factory.owner, until=until, created_by=staff)
    response = web.as_user(factory.owner).post(
        f"/me/conversations/{conversation.pk}/messages/", {"body": "在吗"}, follow=True
    )
    shown = timezone.localtime(until).strftime("%Y-%m-%d %H:%M")
    assert messages_of(response) == [
        f"Staff have blocked you from sending messages until {shown} after a report; "
        "you can still read your conversations."
    ]
    assert Message.objects.count() == 0
