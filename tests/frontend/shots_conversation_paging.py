"""Screenshots of a streamer's thread with more than one page of messages (the "earlier messages"
link, the older page) and contact details masked before agreement — not a test module: run
explicitly with `pytest tests/frontend/shots_conversation_paging.py`; PNGs in /work/shots-paging."""

from pathlib import Path

from conversations import services
from conversations.models import Message, Side
from tests import makers
from tests.conversations.test_paging import messages_bulk
from tests.frontend.shots import login_cookie, shoot


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    buyer = makers.BuyerMaker(display_name="小鹿直播间")
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂")
    conversation = services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    ids = messages_bulk(conversation, factory.owner, 62)
    Message.objects.create(  # directly: the 62 above already exceed the rate limit
        conversation=conversation,
        author=factory.owner,
        side=Side.FACTORY,
        body="加我微信:wang_li88，或打 138 0013 8000。单价¥12.50，订单 PO20261204001，12月4日发货。",
    )
    shoot(
        live_server,
        {
            "thread": f"/me/conversations/{conversation.pk}/",
            "earlier": f"/me/conversations/{conversation.pk}/?before={ids[2]}",
        },
        Path("/work/shots-paging"),
        cookie=login_cookie(buyer.user, live_server),
    )
