"""大货 in the browser: the list for both sides, the order page's steps, money and buttons (from
the flow table), each button moving the order through the same service as the API, refusals
shown as messages that change nothing, ordering straight from a quote, and Chinese text."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import makers
from tests.frontend.helpers import html, messages_of
from tests.trials.conftest import bulk_at, mask_request, quote_from, snapshot
from trials.models import BulkOrder, Payment

pytestmark = pytest.mark.django_db


def _buttons(page: str) -> list[str]:
    return sorted(re.findall(r'class="action-([a-z_]+)"', page))


def test_order_page_is_for_its_two_parties_only(web, product, buyer, other_buyer, other_factory):
    order = bulk_at("placed", product=product, buyer=buyer)
    assert web.as_user(buyer.user).get(f"/me/bulk-orders/{order.pk}/").status_code == 200
    assert web.as_user(product.factory.owner).get(f"/me/bulk-orders/{order.pk}/").status_code == 200
    assert web.as_user(other_buyer.user).get(f"/me/bulk-orders/{order.pk}/").status_code == 404
    assert web.as_user(other_factory.owner).get(f"/me/bulk-orders/{order.pk}/").status_code == 404
    assert web.as_user(other_buyer.user).post(f"/me/bulk-orders/{order.pk}/cancel/").status_code == 404


@pytest.mark.parametrize(
    ("status", "buyer_buttons", "factory_buttons"),
    [
        ("placed", ["cancel"], ["confirm", "decline"]),
        ("confirmed", ["cancel", "pay"], []),
        ("deposit_paid", ["dispute"], ["dispute", "start_production"]),
        ("in_production", ["dispute"], ["dispute", "ship"]),
        ("shipped", ["dispute", "receive"], ["dispute"]),
        ("received", ["dispute", "pay"], ["dispute"]),
        ("balance_paid", ["complete", "dispute"], ["dispute"]),
        ("completed", [], []),
        ("disputed", [], []),
    ],
)
def test_buttons_are_the_transitions_this_person_may_fire(
    web, product, buyer, status, buyer_buttons, factory_buttons
):
    order = bulk_at(status, product=product, buyer=buyer)
    assert _buttons(html(web.as_user(buyer.user).get(f"/me/bulk-orders/{order.pk}/"))) == buyer_buttons
    assert (
        _buttons(html(web.as_user(product.factory.owner).get(f"/me/bulk-orders/{order.pk}/")))
        == factory_buttons
    )


def test_the_page_shows_the_money_the_steps_and_the_agreed_specification(web, product, buyer):
    order = bulk_at("in_production", product=product, buyer=buyer)
    page = html(web.as_user(buyer.user).get(f"/me/bulk-orders/{order.pk}/"))
    # 200 × ¥12.35 = ¥2,470.00; 30% deposit ¥741.00 paid; balance ¥1,729.00 after delivery
    assert "¥2,470.00" in page and "Deposit (30%)" in page and "¥741.00" in page and "¥1,729.00" in page
    steps = page[page.index('id="bulk-steps"') : page.index("</ol>")]
    assert steps.count('class="done') == 4  # placed, confirmed, deposit paid, in production
    assert '<li class="done current"><span>in production</span>' in steps
    assert product.title in page[page.index('id="specification"') :]
    assert f"/me/trials/{order.trial_id}/" in page


def test_confirm_then_pay_the_deposit_by_transfer(web, product, buyer):
    order = bulk_at("placed", product=product, buyer=buyer)
    date = (timezone.localdate() + timedelta(days=21)).isoformat()
    response = web.as_user(product.factory.owner).post(
        f"/me/bulk-orders/{order.pk}/confirm/", {"delivery_date": date}, follow=True
    )
    assert messages_of(response) == ["Order confirmed: the streamer is asked for the deposit."]
    order.refresh_from_db()
    assert (order.status, order.delivery_date.isoformat()) == ("confirmed", date)
    # the streamer is asked for the deposit, pays by transfer and reads the reference
    page = html(web.as_user(buyer.user).get(f"/me/bulk-orders/{order.pk}/"))
    assert "Pay the deposit of ¥741.00 and production starts." in page
    response = web.post(f"/me/bulk-orders/{order.pk}/pay/", {"provider": "bank_transfer"}, follow=True)
    payment = Payment.objects.get(bulk_order=order)
    instructions = html(response)[html(response).index('id="pay-instructions"') :]
    assert payment.reference_code == f"YB{order.pk:06d}-D1"
    assert payment.reference_code in instructions and "¥741.00" in instructions
    # the factory waits for it and has no button meanwhile
    factory_page = html(web.as_user(product.factory.owner).get(f"/me/bulk-orders/{order.pk}/"))
    assert "Waiting for the deposit of ¥741.00" in factory_page
    assert 'id="pay-instructions"' not in factory_page


def test_a_refused_button_shows_the_message_and_changes_nothing(web, product, buyer):
    order = bulk_at("placed", product=product, buyer=buyer)
    before = snapshot(order)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = web.as_user(product.factory.owner).post(
        f"/me/bulk-orders/{order.pk}/confirm/", {"delivery_date": past}, follow=True
    )
    assert messages_of(response) == ["Choose a date after today and within 365 days."]
    assert snapshot(order) == before
    response = web.as_user(buyer.user).post(
        f"/me/bulk-orders/{order.pk}/dispute/", {"reason": "x"}, follow=True
    )
    assert messages_of(response) == ["Cannot dispute: it is awaiting the factory's confirmation."]
    assert snapshot(order) == before


def test_a_dispute_is_shown_to_both_sides_and_stops_the_buttons(web, product, buyer):
    order = bulk_at("shipped", product=product, buyer=buyer)
    response = web.as_user(buyer.user).post(
        f"/me/bulk-orders/{order.pk}/dispute/", {"reason": "到货数量少了 20 件"}, follow=True
    )
    assert messages_of(response) == ["Dispute opened: staff will look at it and contact both sides."]
    page = html(web.as_user(product.factory.owner).get(f"/me/bulk-orders/{order.pk}/"))
    assert "到货数量少了 20 件" in page[page.index('id="dispute"') :]
    assert _buttons(page) == []


def test_lists_show_open_orders_first_to_both_sides(web, product, buyer):
    done = bulk_at("completed", product=product, buyer=buyer)
    other = makers.ProductMaker(factory=product.factory, factory_price=Decimal("12.35"), moq=100)
    open_order = bulk_at("placed", product=other, buyer=buyer)
    for user in (buyer.user, product.factory.owner):
        page = html(web.as_user(user).get("/me/bulk-orders/"))
        assert page.index(f">{open_order}<") < page.index(f">{done}<")


def test_lists_do_not_query_per_row(web, product, buyer, django_assert_num_queries):
    for _ in range(3):
        bulk_at("placed", product=makers.ProductMaker(factory=product.factory, moq=100), buyer=buyer)
    web.as_user(buyer.user)
    # session, user, the header bell's unread count, the orders
    with django_assert_num_queries(4):
        response = web.get("/me/bulk-orders/")
    assert len(re.findall(r'href="/me/bulk-orders/\d+/"', html(response))) == 3


def test_a_quote_is_ordered_from_the_request_page(web, buyer):
    factory = makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    request = mask_request(buyer, factory=factory)
    quote = quote_from(factory, request)
    page = html(web.as_user(buyer.user).get(f"/me/custom/{request.pk}/"))
    assert f'action="/me/custom/{request.pk}/quotes/{quote.pk}/order/"' in page
    assert 'name="quantity" min="3000" value="5000"' in page
    # refused below the MOQ, nothing ordered
    response = web.post(f"/me/custom/{request.pk}/quotes/{quote.pk}/order/", {"quantity": 100}, follow=True)
    assert messages_of(response) == ["A bulk order needs at least the MOQ of 3000 units."]
    assert not BulkOrder.objects.exists()
    response = web.post(f"/me/custom/{request.pk}/quotes/{quote.pk}/order/", {"quantity": 5000}, follow=True)
    order = BulkOrder.objects.get()
    assert response.redirect_chain[-1][0] == f"/me/bulk-orders/{order.pk}/"
    assert (order.total, order.quote_id) == (Decimal("16250.00"), quote.pk)


def test_the_order_page_speaks_chinese(web_zh, product, buyer):
    order = bulk_at("confirmed", product=product, buyer=buyer)
    page = html(web_zh.as_user(buyer.user).get(f"/me/bulk-orders/{order.pk}/"))
    assert '<html lang="zh-hans">' in page
    for text in ("大货订单", "已确认，待付定金", "定金（30%）", "尾款（到货后）", "约定规格"):
        assert text in page, text
    assert "awaiting" not in page and "Deposit" not in page


def test_a_refused_form_keeps_what_was_typed(web, product, buyer):
    # a date in the past: the service refuses it; the page shows the typed date again
    order = bulk_at("placed", product=product, buyer=buyer)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = web.as_user(product.factory.owner).post(
        f"/me/bulk-orders/{order.pk}/confirm/", {"delivery_date": past}
    )
    assert response.status_code == 200
    assert f'name="delivery_date" value="{past}"' in html(response)
    # a shipment without its tracking number: the form refuses it; the carrier stays typed in
    shipping = bulk_at(
        "in_production", product=makers.ProductMaker(factory=product.factory, moq=100), buyer=buyer
    )
    response = web.post(
        f"/me/bulk-orders/{shipping.pk}/ship/", {"carrier": "德邦物流", "tracking_number": ""}
    )
    assert response.status_code == 200
    assert 'value="德邦物流"' in html(response)
    assert messages_of(response) == ["Tracking number: This field is required."]
    shipping.refresh_from_db()
    assert shipping.status == "in_production"


def test_the_dashboard_lists_bulk_orders_for_both_sides(web, product, buyer):
    order = bulk_at("placed", product=product, buyer=buyer)
    for user in (buyer.user, product.factory.owner):
        page = html(web.as_user(user).get("/me/"))
        assert f'<a href="/me/bulk-orders/{order.pk}/">{order}</a>' in page
        assert '<a href="/me/bulk-orders/">Bulk orders</a>' in page
