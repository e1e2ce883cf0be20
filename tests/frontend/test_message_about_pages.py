""" "Message … about this" on the bulk-order, custom-request and video-tour pages: each opens (or
starts) the pair's conversation with that object chosen in the writing form's picker; an open
request's streamer gets one per factory it was offered to; the thread names a tour with a link to
its page; a third party reaches none of it."""

import re

import pytest

from conversations.models import Conversation, Message
from tests import makers
from tests.conversations.test_topic_list import booking
from tests.frontend.helpers import html
from tests.frontend.test_custom_pages import request_to
from tests.trials.conftest import bulk_at

pytestmark = pytest.mark.django_db


def _buttons(page: str) -> list[tuple[str, str, str]]:
    """Each "message … about this" form: (factory or buyer, its id, the topic)."""
    forms = re.findall(
        r'<form method="post" action="/me/conversations/start/" class="message-about">(.*?)</form>',
        page,
        re.S,
    )
    found = []
    for form in forms:
        ((side, pk),) = re.findall(r'<input type="hidden" name="(factory|buyer)" value="(\d+)">', form)
        (topic,) = re.findall(r'<input type="hidden" name="topic" value="([^"]+)">', form)
        found.append((side, pk, topic))
    return found


def _start(web, side: str, pk: int, topic: str):
    return web.post("/me/conversations/start/", {side: pk, "topic": topic}, follow=True)


def test_bulk_order_page_both_sides(web, buyer, factory, product):
    order = bulk_at("placed", product=product, buyer=buyer)
    topic = f"bulk_order:{order.pk}"
    on_buyer = _buttons(html(web.as_user(buyer.user).get(f"/me/bulk-orders/{order.pk}/")))
    on_factory = _buttons(html(web.as_user(factory.owner).get(f"/me/bulk-orders/{order.pk}/")))
    assert on_buyer == [("factory", str(factory.pk), topic)]
    assert on_factory == [("buyer", str(buyer.pk), topic)]
    # when: the factory presses it
    response = _start(web, "buyer", buyer.pk, topic)
    # then
    conversation = Conversation.objects.get()
    assert (conversation.buyer_id, conversation.factory_id) == (buyer.pk, factory.pk)
    assert (
        response.redirect_chain[-1][0]
        == f"/me/conversations/{conversation.pk}/?topic=bulk_order%3A{order.pk}"
    )
    assert f'<option value="{topic}" selected>B{order.pk:06d} · 桌面收纳盒</option>' in html(response)


def test_directed_custom_request_page_both_sides(web, buyer, factory):
    req = request_to(factory, buyer)
    topic = f"custom_request:{req.pk}"
    on_buyer = _buttons(html(web.as_user(buyer.user).get(f"/me/custom/{req.pk}/")))
    assert on_buyer == [("factory", str(factory.pk), topic)]
    response = _start(web, "factory", factory.pk, topic)
    conversation = Conversation.objects.get()
    assert f'<option value="{topic}" selected>定制款硅胶收纳袋</option>' in html(response)
    assert (
        response.redirect_chain[-1][0]
        == f"/me/conversations/{conversation.pk}/?topic=custom_request%3A{req.pk}"
    )
    on_factory = _buttons(html(web.as_user(factory.owner).get(f"/me/custom/{req.pk}/")))
    assert on_factory == [("buyer", str(buyer.pk), topic)]


def test_open_custom_request_one_button_per_offered_factory(web, buyer):
    first, second = makers.FactoryMaker(categories=["storage"]), makers.FactoryMaker(categories=["storage"])
    makers.FactoryMaker(categories=["facial-masks"])  # not offered
    req = request_to(None, buyer, category="storage")
    topic = f"custom_request:{req.pk}"
    on_buyer = _buttons(html(web.as_user(buyer.user).get(f"/me/custom/{req.pk}/")))
    assert sorted(on_buyer) == sorted([("factory", str(first.pk), topic), ("factory", str(second.pk), topic)])
    # the offered factory writes back from its side of the page
    on_second = _buttons(html(web.as_user(second.owner).get(f"/me/custom/{req.pk}/")))
    assert on_second == [("buyer", str(buyer.pk), topic)]
    response = _start(web, "buyer", buyer.pk, topic)
    assert f'<option value="{topic}" selected>定制款硅胶收纳袋</option>' in html(response)
    assert Conversation.objects.get().factory_id == second.pk


def test_tour_page_opens_the_conversation_on_the_tour_and_the_thread_links_it(web, buyer, factory):
    tour = booking(factory, buyer)
    topic = f"tour_booking:{tour.pk}"
    title = f"V{tour.pk:06d} · "
    assert _buttons(html(web.as_user(factory.owner).get(f"/me/tours/{tour.pk}/"))) == [
        ("buyer", str(buyer.pk), topic)
    ]
    assert _buttons(html(web.as_user(buyer.user).get(f"/me/tours/{tour.pk}/"))) == [
        ("factory", str(factory.pk), topic)
    ]
    # when: the streamer presses it and writes
    response = _start(web, "factory", factory.pk, topic)
    conversation = Conversation.objects.get()
    (option,) = re.findall(rf'<option value="{topic}" selected>([^<]+)</option>', html(response))
    assert option.startswith(title) and option.endswith(" (Asia/Shanghai)")
    web.post(f"/me/conversations/{conversation.pk}/messages/", {"body": "请准备样品间", "topic": topic})
    # then
    message = Message.objects.get()
    assert (message.topic_kind, message.topic_id) == ("tour_booking", tour.pk)
    page = html(web.as_user(factory.owner).get(f"/me/conversations/{conversation.pk}/"))
    assert f'about video factory tour:\n              <a href="/me/tours/{tour.pk}/">{option}</a>' in page


def test_a_third_party_gets_404_and_no_button(web, buyer, factory, other_factory):
    tour = booking(factory, buyer)
    outsider = makers.BuyerMaker()
    assert web.as_user(outsider.user).get(f"/me/tours/{tour.pk}/").status_code == 404
    assert web.as_user(other_factory.owner).get(f"/me/tours/{tour.pk}/").status_code == 404
    # the outsider's own conversation with the factory does not offer the pair's tour, even named
    from conversations.services import conversation_start

    theirs = conversation_start(actor=outsider.user, buyer=outsider, factory=factory)
    page = html(
        web.as_user(outsider.user).get(f"/me/conversations/{theirs.pk}/?topic=tour_booking:{tour.pk}")
    )
    assert f'value="tour_booking:{tour.pk}"' not in page and '<option value="tour_booking' not in page
    # and posting it there writes nothing
    web.post(f"/me/conversations/{theirs.pk}/messages/", {"body": "x", "topic": f"tour_booking:{tour.pk}"})
    assert Message.objects.count() == 0


def test_zh_hans_button_and_picker(web_zh, buyer, factory):
    tour = booking(factory, buyer)
    page = html(web_zh.as_user(buyer.user).get(f"/me/tours/{tour.pk}/"))
    assert "就此联系工厂" in page
    response = web_zh.post(
        "/me/conversations/start/", {"factory": factory.pk, "topic": f"tour_booking:{tour.pk}"}, follow=True
    )
    assert '<optgroup label="视频看厂">' in html(response)
