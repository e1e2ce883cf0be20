"""Addresses on the pages: the address book, picking one when asking for a sample or a trial, the
address on deal pages as much as each reader may see, names instead of logins in the history,
confirmations before steps that cannot be undone, and no second pay button."""

import re

import pytest

from marketplace.addresses.models import Address
from tests import makers
from tests.frontend.helpers import html, messages_of
from tests.trials.conftest import trial_at
from trials.models import SampleRequest, TrialOrder

pytestmark = pytest.mark.django_db


def test_a_streamer_adds_an_address_then_the_sample_form_offers_it(web, product):
    streamer = makers.BuyerMaker(address=False)
    page = html(web.as_user(streamer.user).get(f"/products/{product.pk}/"))
    assert "Add a shipping address first" in page
    assert f'href="/me/addresses/?next=/products/{product.pk}/"' in page
    # the form on the address page (division codes as divisions.js would post them)
    response = web.post(
        "/me/addresses/",
        {**makers.ADDRESS, "mobile": "138 1234 5678", "next": f"/products/{product.pk}/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/products/{product.pk}/"
    assert messages_of(response) == ["Address saved."]
    address = Address.objects.get(owner=streamer.user)
    assert (address.mobile, address.is_default) == ("13812345678", True)
    page = html(response)
    assert (
        f'<option value="{address.pk}" selected>林小鹿 13812345678 浙江省杭州市西湖区文三路 90 号 3 幢 501</option>'
        in page
    )
    # and the sample goes there
    web.post(f"/products/{product.pk}/sample/", {"note": "", "address": address.pk})
    assert SampleRequest.objects.get().shipping_address["recipient"] == "林小鹿"


def test_a_refused_address_keeps_what_was_typed(web, buyer):
    response = web.as_user(buyer.user).post(
        "/me/addresses/", {**makers.ADDRESS, "mobile": "12345", "city_code": "320100"}
    )
    assert response.status_code == 200
    page = html(response)
    assert 'value="林小鹿"' in page and 'data-value="320100"' in page
    assert Address.objects.filter(owner=buyer.user).count() == 1  # only the maker's


def test_the_book_changes_its_default_and_removes_entries(web, buyer):
    first = Address.objects.get(owner=buyer.user)
    web.as_user(buyer.user).post("/me/addresses/", {**makers.ADDRESS, "recipient": "二号"})
    second = Address.objects.get(owner=buyer.user, recipient="二号")
    web.post(f"/me/addresses/{second.pk}/default/")
    assert Address.objects.get(is_default=True, owner=buyer.user) == second
    response = web.post(f"/me/addresses/{second.pk}/delete/", follow=True)
    assert messages_of(response)[-1] == (
        "Address removed. Orders already made keep the address they were made with."
    )
    assert list(Address.objects.filter(owner=buyer.user)) == [first]
    assert Address.objects.get(pk=first.pk).is_default
    # someone else's address is not found
    other = makers.BuyerMaker()
    assert web.as_user(other.user).post(f"/me/addresses/{first.pk}/delete/").status_code == 404


def test_the_trial_confirm_page_picks_an_address(web, product, buyer):
    page = html(web.as_user(buyer.user).get(f"/products/{product.pk}/trial/?quantity=10"))
    address = Address.objects.get(owner=buyer.user)
    assert f'<option value="{address.pk}" selected>' in page
    web.post(f"/products/{product.pk}/trial/", {"quantity": 10, "address": address.pk})
    assert TrialOrder.objects.get().shipping_address["street"] == makers.ADDRESS["street"]


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        (
            "requested",
            ["浙江省 杭州市", "The full address is shown once you accept"],
            ["林小鹿", "文三路", "5678"],
        ),
        ("accepted", ["林小鹿 138****5678 浙江省杭州市西湖区文三路 90 号 3 幢 501"], ["13812345678"]),
        ("paid", ["林小鹿 13812345678 浙江省杭州市西湖区文三路 90 号 3 幢 501"], []),
    ],
)
def test_the_factory_sees_as_much_of_the_address_as_the_deal_needs(
    web, product, buyer, status, shown, hidden
):
    trial = trial_at(status, product=product, buyer=buyer)
    page = html(web.as_user(product.factory.owner).get(f"/me/trials/{trial.pk}/"))
    panel = page[page.index('id="shipping-address"') :]
    panel = panel[: panel.index("</div>")]
    for text in shown:
        assert text in panel
    for text in hidden:
        assert text not in page
    # the streamer always sees it whole
    mine = html(web.as_user(buyer.user).get(f"/me/trials/{trial.pk}/"))
    assert "林小鹿 13812345678" in mine


def test_history_names_people_not_logins(web, product, buyer):
    trial = trial_at("paid", product=product, buyer=buyer)
    for user in (buyer.user, product.factory.owner):
        page = html(web.as_user(user).get(f"/me/trials/{trial.pk}/"))
        history = page[page.index('id="history"') :]
        for login in (buyer.user.username, product.factory.owner.username):
            assert f"<td>{login}</td>" not in history
        assert f"<td>{buyer.display_name}</td>" in history and f"<td>{product.factory.name}</td>" in history


def test_history_calls_staff_staff(web, product, buyer):
    trial = trial_at("paid", product=product, buyer=buyer)  # staff confirmed the transfer
    page = html(web.as_user(buyer.user).get(f"/me/trials/{trial.pk}/"))
    assert re.search(r"<td>(system|Staff)</td>", page)


def test_steps_that_cannot_be_undone_ask_first_and_pay_is_offered_once(web, product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer)
    page = html(web.as_user(buyer.user).get(f"/me/trials/{trial.pk}/"))
    assert re.search(r'class="action-cancel" data-confirm="This cannot be undone. Go on\?"', page)
    assert re.search(r'class="action-pay" data-confirm="This commits you to paying. Go on\?"', page)
    web.post(f"/me/trials/{trial.pk}/pay/", {"provider": "bank_transfer"})
    page = html(web.get(f"/me/trials/{trial.pk}/"))
    assert 'class="action-pay"' not in page and 'id="pay-instructions"' in page


def test_an_address_is_edited_and_orders_keep_their_copy(web, product, buyer):
    trial = trial_at("requested", product=product, buyer=buyer)
    address = Address.objects.get(owner=buyer.user)
    page = html(web.as_user(buyer.user).get(f"/me/addresses/{address.pk}/edit/"))
    assert 'value="林小鹿"' in page and 'data-value="330100"' in page
    response = web.post(
        f"/me/addresses/{address.pk}/edit/", {**makers.ADDRESS, "street": "文一西路 969 号"}, follow=True
    )
    assert messages_of(response)[-1] == "Address saved."
    assert Address.objects.get(pk=address.pk).street == "文一西路 969 号"
    assert TrialOrder.objects.get(pk=trial.pk).shipping_address["street"] == makers.ADDRESS["street"]
    # a bad number is refused and the form keeps what was typed
    response = web.post(f"/me/addresses/{address.pk}/edit/", {**makers.ADDRESS, "mobile": "999"})
    assert 'value="999"' in html(response)
    assert Address.objects.get(pk=address.pk).mobile == "13812345678"
    # someone else's entry is not found
    assert web.as_user(makers.BuyerMaker().user).get(f"/me/addresses/{address.pk}/edit/").status_code == 404


def test_a_bulk_order_goes_to_the_address_picked_when_converting(web, product, buyer):
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    web.as_user(buyer.user).post(
        "/me/addresses/", {**makers.ADDRESS, "recipient": "仓库 王师傅", "street": "仓前街道 1 号"}
    )
    warehouse = Address.objects.get(owner=buyer.user, recipient="仓库 王师傅")
    page = html(web.get(f"/me/trials/{trial.pk}/"))
    convert = page[page.index('class="action-convert"') :]
    assert f'<option value="{warehouse.pk}">' in convert[: convert.index("</form>")]
    web.post(f"/me/trials/{trial.pk}/convert/", {"quantity": 100, "address": warehouse.pk})
    trial.refresh_from_db()
    assert trial.bulk_order.shipping_address["recipient"] == "仓库 王师傅"
    assert trial.shipping_address["recipient"] == "林小鹿"


def test_a_quote_ordered_from_its_page_goes_to_the_picked_address(web, buyer):
    from tests.trials.conftest import mask_request, quote_from
    from trials.models import BulkOrder

    factory = makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    request = mask_request(buyer, factory=factory)
    quote = quote_from(factory, request)
    other = Address.objects.create(owner=buyer.user, **{**makers.ADDRESS, "recipient": "直播间 前台"})
    page = html(web.as_user(buyer.user).get(f"/me/custom/{request.pk}/"))
    assert f'id="id_address_{quote.pk}"' in page
    web.post(f"/me/custom/{request.pk}/quotes/{quote.pk}/order/", {"quantity": 5000, "address": other.pk})
    assert BulkOrder.objects.get().shipping_address["recipient"] == "直播间 前台"
