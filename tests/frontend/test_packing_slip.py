"""The shipping step: the frozen address in full and a printable packing slip for the factory
on that step only; tracking numbers checked for the listed couriers."""

import pytest

from tests import makers
from tests.frontend.helpers import html, messages_of
from tests.trials.conftest import bulk_at, trial_at
from trials.services import samples

pytestmark = pytest.mark.django_db


def test_the_factory_opens_the_packing_slip_on_the_shipping_step_only(web, product, buyer):
    trial = trial_at("accepted", product=product, buyer=buyer, quantity=10)
    owner = product.factory.owner
    url = f"/me/trial/{trial.pk}/packing-slip/"
    assert web.as_user(owner).get(url).status_code == 404
    assert 'id="packing-slip-link"' not in html(web.get(f"/me/trials/{trial.pk}/"))
    # paid: the shipping step
    trial = trial_at("paid", product=makers.ProductMaker(factory=product.factory), buyer=buyer, quantity=10)
    page = html(web.get(f"/me/trials/{trial.pk}/"))
    assert f'href="/me/trial/{trial.pk}/packing-slip/"' in page
    slip = html(web.get(f"/me/trial/{trial.pk}/packing-slip/"))
    assert "林小鹿 13812345678 浙江省杭州市西湖区文三路 90 号 3 幢 501" in slip
    assert f"{trial}" in slip and ">10<" in slip and trial.title in slip
    # the streamer may print it too; another factory may not
    assert web.as_user(buyer.user).get(f"/me/trial/{trial.pk}/packing-slip/").status_code == 200
    assert (
        web.as_user(makers.FactoryMaker().owner).get(f"/me/trial/{trial.pk}/packing-slip/").status_code == 404
    )
    assert web.get("/me/nonsense/1/packing-slip/").status_code == 404


def test_a_sample_and_a_bulk_order_have_their_slips(web, product, buyer):
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk)
    samples.sample_accept(sample=sample, actor=product.factory.owner)
    assert web.as_user(product.factory.owner).get(f"/me/sample/{sample.pk}/packing-slip/").status_code == 200
    order = bulk_at(
        "in_production", product=makers.ProductMaker(factory=product.factory, moq=100), buyer=buyer
    )
    slip = html(web.get(f"/me/bulk/{order.pk}/packing-slip/"))
    assert ">200<" in slip and "13812345678" in slip


@pytest.mark.parametrize(
    ("carrier", "number", "error"),
    [
        ("顺丰速运", "SF1234567890123", None),
        ("SF", "sf1234567890123", None),
        ("顺丰速运", "SF12345", "This is not a 顺丰速运 tracking number (it looks like SF1234567890123)."),
        ("YTO", "1234567890123", "This is not a 圆通速递 tracking number (it looks like YT1234567890123)."),
        ("中国邮政 EMS", "EA123456789CN", None),
        ("德邦物流", "anything-goes-1", None),  # not a listed courier: taken as typed
    ],
)
def test_tracking_numbers_are_checked_for_listed_couriers(api, product, buyer, carrier, number, error):
    trial = trial_at("paid", product=product, buyer=buyer, quantity=10)
    response = api.as_user(product.factory.owner).post(
        f"/api/v1/trials/{trial.pk}/ship/", {"carrier": carrier, "tracking_number": number}
    )
    if error is None:
        assert response.status_code == 200, response.json()
    else:
        assert (response.status_code, response.json()) == (400, {"tracking_number": [error]})
        trial.refresh_from_db()
        assert trial.status == "paid"


def test_the_ship_form_suggests_the_couriers(web, product, buyer):
    trial = trial_at("paid", product=product, buyer=buyer, quantity=10)
    page = html(web.as_user(product.factory.owner).get(f"/me/trials/{trial.pk}/"))
    assert 'list="carrier-list"' in page and '<option value="顺丰速运"></option>' in page
    response = web.post(f"/me/trials/{trial.pk}/ship/", {"carrier": "顺丰速运", "tracking_number": "12"})
    assert messages_of(response) == [
        "This is not a 顺丰速运 tracking number (it looks like SF1234567890123)."
    ]
    assert 'value="12"' in html(response)
