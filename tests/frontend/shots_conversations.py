"""Screenshots of the conversations pages of a streamer (the list with unread counts, a thread with
an image and a PDF, contact details shown after an accepted sample) — not a test module: run
explicitly with `pytest tests/frontend/shots_conversations.py`; PNGs in /work/shots-conversations."""

from pathlib import Path

from conversations import services
from conversations.attachments import attachment_check
from tests import makers
from tests.conversations.conftest import pdf, png
from tests.frontend.shots import login_cookie, shoot


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    buyer = makers.BuyerMaker(display_name="小鹿直播间")
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂")
    other = makers.FactoryMaker(name="金华市源头面膜厂")
    conversation = services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    services.message_post(
        conversation=conversation, actor=buyer.user, body="您好,想了解桌面收纳盒的起订量和打样周期。"
    )
    services.message_post(
        conversation=conversation,
        actor=factory.owner,
        body="您好!起订量 500 个,打样 7 天。\n附上样品照片和报价单。",
        attachment=attachment_check(png(640, 480, "样品照片.png")),
    )
    services.message_post(
        conversation=conversation,
        actor=factory.owner,
        body="",
        attachment=attachment_check(pdf("报价单.pdf")),
    )
    second = services.conversation_start(actor=buyer.user, buyer=buyer, factory=other)
    services.message_post(conversation=second, actor=other.owner, body="我们也做面膜代工,欢迎视频看厂。")
    services.contact_card_set(
        actor=factory.owner, data={"name": "王厂长", "phone": "13900001111", "wechat": "wang-factory"}
    )
    from trials.services import samples

    product = makers.ProductMaker(factory=factory, title="桌面收纳盒")
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk)
    samples.sample_accept(sample=sample, actor=factory.owner)
    shoot(
        live_server,
        {
            "list": "/me/conversations/",
            "thread": f"/me/conversations/{conversation.pk}/",
            "unagreed": f"/me/conversations/{second.pk}/",
        },
        Path("/work/shots-conversations"),
        cookie=login_cookie(buyer.user, live_server),
    )
