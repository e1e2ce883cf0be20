"""Screenshots of "message … about this" on the bulk-order, custom-request (directed and open) and
video-tour pages, and the thread's picker opened from a tour with the tour's message linked — not a
test module: run explicitly with `pytest tests/frontend/shots_message_about.py`; PNGs in
/work/shots-message-about."""

from pathlib import Path

from conversations import services
from tests import makers
from tests.conversations.test_topic_list import booking
from tests.frontend.shots import login_cookie, shoot
from tests.frontend.test_custom_pages import request_to
from tests.trials.conftest import bulk_at


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    buyer = makers.BuyerMaker(display_name="小鹿直播间")
    factory = makers.FactoryMaker(name="义乌市好物收纳用品厂", categories=["storage"])
    makers.FactoryMaker(name="金华市安家日用品厂", categories=["storage"])
    box = makers.ProductMaker(factory=factory, title="折叠收纳箱", moq=100)
    order = bulk_at("placed", product=box, buyer=buyer)
    directed = request_to(factory, buyer)
    open_request = request_to(None, buyer, category="storage", title="可折叠脏衣篮")
    tour = booking(factory, buyer)
    tour.agenda = "看注塑车间和仓库"
    tour.save(update_fields=["agenda"])
    tour.products.add(box)
    conversation = services.conversation_start(actor=buyer.user, buyer=buyer, factory=factory)
    services.message_post(
        conversation=conversation,
        actor=buyer.user,
        body="视频看厂时想看注塑车间。",
        topic=("tour_booking", tour.pk),
    )
    services.message_post(
        conversation=conversation,
        actor=factory.owner,
        body="好的,我们提前准备。",
        topic=("tour_booking", tour.pk),
    )
    out = Path("/work/shots-message-about")
    buyer_cookie, factory_cookie = (
        login_cookie(buyer.user, live_server),
        login_cookie(factory.owner, live_server),
    )
    pages = {
        "tour": f"/me/tours/{tour.pk}/",
        "thread-tour": f"/me/conversations/{conversation.pk}/?topic=tour_booking:{tour.pk}",
        "custom-directed": f"/me/custom/{directed.pk}/",
        "custom-open": f"/me/custom/{open_request.pk}/",
        "bulk": f"/me/bulk-orders/{order.pk}/",
    }
    shoot(live_server, pages, out, cookie=buyer_cookie, check=_too_wide)
    shoot(
        live_server,
        {"factory-custom": f"/me/custom/{directed.pk}/", "factory-bulk": f"/me/bulk-orders/{order.pk}/"},
        out,
        cookie=factory_cookie,
        check=_too_wide,
    )


def _too_wide(page) -> None:
    """Print what reaches past the viewport's right edge (a phone's sideways scrolling)."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    if wide:
        print(page.url, page.viewport_size["width"], wide)
