"""Orders freeze the address they were made with, and each reader sees as much of it as the deal
needs: the factory the city before it accepts, the address with the number masked after, the
number only on the shipping step; the streamer and staff all of it (API responses)."""

from decimal import Decimal

import pytest

from marketplace.addresses.models import Address
from tests import makers
from tests.trials.conftest import bulk_at, trial_at
from trials.models import SampleRequest, TrialOrder
from trials.services import samples

pytestmark = pytest.mark.django_db

FULL = {
    "recipient": "林小鹿",
    "mobile": "13812345678",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "street": "文三路 90 号 3 幢 501",
    "postcode": "310012",
    "division_code": "330106",
}
MASKED = {**FULL, "mobile": "138****5678"}
CITY = {"province": "浙江省", "city": "杭州市"}


@pytest.fixture
def factory(db):
    return makers.FactoryMaker(max_trial_quantity=50)


@pytest.fixture
def product(factory):
    return makers.ProductMaker(factory=factory, factory_price=Decimal("12.35"), moq=100)


@pytest.fixture
def buyer(db):
    return makers.BuyerMaker()


def test_an_order_keeps_the_address_it_was_made_with(api, product, buyer):
    trial = trial_at("requested", product=product, buyer=buyer)
    address = Address.objects.get(owner=buyer.user)
    # when: the streamer edits the address afterwards
    api.as_user(buyer.user).patch(f"/api/v1/addresses/{address.pk}/", {"street": "新地址 1 号"})
    # then: the trial still goes to the old one
    assert TrialOrder.objects.get(pk=trial.pk).shipping_address == FULL
    assert api.get(f"/api/v1/trials/{trial.pk}/").json()["shipping_address"] == FULL


def test_a_chosen_address_is_used_and_someone_elses_is_refused(api, product, buyer):
    office = (
        api.as_user(buyer.user)
        .post("/api/v1/addresses/", {**makers.ADDRESS, "recipient": "直播间 前台", "street": "古墩路 8 号"})
        .json()
    )
    response = api.post("/api/v1/samples/", {"product": product.pk, "address": office["id"]})
    assert response.status_code == 201
    assert response.json()["shipping_address"]["recipient"] == "直播间 前台"
    other = Address.objects.get(owner=makers.BuyerMaker().user)
    response = api.post("/api/v1/trials/", {"product": product.pk, "quantity": 5, "address": other.pk})
    assert (response.status_code, response.json()) == (
        400,
        {"address": ["No such address in your address book."]},
    )
    assert not TrialOrder.objects.exists()


def test_without_an_address_nothing_is_ordered(api, product):
    streamer = makers.BuyerMaker(address=False)
    for url, body in [
        ("/api/v1/trials/", {"product": product.pk, "quantity": 5}),
        ("/api/v1/samples/", {"product": product.pk}),
    ]:
        response = api.as_user(streamer.user).post(url, body)
        assert (response.status_code, response.json()) == (
            400,
            {"address": ["Add a shipping address first: the factory needs to know where to send the goods."]},
        )
    assert not TrialOrder.objects.exists() and not SampleRequest.objects.exists()


def test_a_bulk_order_takes_the_streamers_default_address_at_conversion(product, buyer):
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    Address.objects.filter(owner=buyer.user).update(street="仓库 A 区")
    from trials.services import trials

    order = trials.trial_convert(trial=trial, actor=buyer.user, quantity=100)
    assert order.shipping_address["street"] == "仓库 A 区"
    assert TrialOrder.objects.get(pk=trial.pk).shipping_address["street"] == FULL["street"]


@pytest.mark.parametrize(
    ("status", "factory_sees"),
    [
        ("requested", CITY),
        ("accepted", MASKED),
        ("paid", FULL),  # the shipping step
        ("shipped", MASKED),
        ("in_trial", MASKED),
        ("declined", CITY),
        ("cancelled", CITY),
    ],
)
def test_trial_address_per_reader_and_state(api, product, buyer, staff, status, factory_sees):
    trial = trial_at(status, product=product, buyer=buyer)
    url = f"/api/v1/trials/{trial.pk}/"
    assert api.as_user(product.factory.owner).get(url).json()["shipping_address"] == factory_sees
    assert api.as_user(buyer.user).get(url).json()["shipping_address"] == FULL
    assert api.as_user(staff).get(url).json()["shipping_address"] == FULL
    assert api.as_user(makers.FactoryMaker().owner).get(url).status_code == 404
    assert api.as_user(None).get(url).status_code == 401
    # the lists say the same
    listed = api.as_user(product.factory.owner).get("/api/v1/trials/").json()["results"]
    assert [t["shipping_address"] for t in listed] == [factory_sees]


@pytest.mark.parametrize(
    ("steps", "factory_sees"),
    [([], CITY), (["accept"], FULL), (["accept", "ship"], MASKED), (["decline"], CITY)],
)
def test_sample_address_per_state(api, product, buyer, steps, factory_sees):
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk)
    owner = product.factory.owner
    for step in steps:
        if step == "accept":
            samples.sample_accept(sample=sample, actor=owner)
        elif step == "ship":
            samples.sample_ship(
                sample=sample, actor=owner, carrier="顺丰速运", tracking_number="SF1234567890123"
            )
        elif step == "decline":
            samples.sample_decline(sample=sample, actor=owner, reason="")
    url = f"/api/v1/samples/{sample.pk}/"
    assert api.as_user(owner).get(url).json()["shipping_address"] == factory_sees
    assert api.as_user(buyer.user).get(url).json()["shipping_address"] == FULL


@pytest.mark.parametrize(
    ("status", "factory_sees"),
    [
        ("placed", CITY),
        ("confirmed", MASKED),
        ("deposit_paid", MASKED),
        ("in_production", FULL),
        ("shipped", MASKED),
        ("completed", MASKED),
        ("cancelled", CITY),
    ],
)
def test_bulk_order_address_per_state(api, product, buyer, status, factory_sees):
    order = bulk_at(status, product=product, buyer=buyer)
    url = f"/api/v1/bulk-orders/{order.pk}/"
    assert api.as_user(product.factory.owner).get(url).json()["shipping_address"] == factory_sees
    assert api.as_user(buyer.user).get(url).json()["shipping_address"] == FULL


def test_no_login_name_reaches_the_other_party(api, product, buyer):
    """Every response about a deal names people by factory name or display name."""
    from tests.trials.conftest import mask_request, quote_from
    from trials.services import custom

    owner = product.factory.owner
    trial = trial_at("paid", product=product, buyer=buyer)
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk)
    order = bulk_at("confirmed", product=makers.ProductMaker(factory=product.factory, moq=100), buyer=buyer)
    maker = makers.FactoryMaker(customization="odm", categories=["facial-masks"])
    request = mask_request(buyer, factory=maker)
    quote_from(maker, request)
    custom.custom_message_post(request=request, actor=buyer.user, body="你好")
    custom.custom_message_post(request=request, actor=maker.owner, body="您好")
    reads = {
        owner: [
            f"/api/v1/trials/{trial.pk}/",
            f"/api/v1/samples/{sample.pk}/",
            f"/api/v1/bulk-orders/{order.pk}/",
        ],
        maker.owner: [
            f"/api/v1/custom-requests/{request.pk}/",
            f"/api/v1/custom-requests/{request.pk}/messages/",
        ],
        buyer.user: [
            f"/api/v1/trials/{trial.pk}/",
            f"/api/v1/custom-requests/{request.pk}/quotes/",
            f"/api/v1/custom-requests/{request.pk}/messages/",
        ],
    }
    for reader, urls in reads.items():
        others = {owner.username, maker.owner.username, buyer.user.username} - {reader.username}
        for url in urls:
            response = api.as_user(reader).get(url)
            assert response.status_code == 200, url
            for login in others:
                assert login not in response.content.decode(), (url, login)
    messages = api.as_user(buyer.user).get(f"/api/v1/custom-requests/{request.pk}/messages/").json()
    assert [m["author"] for m in messages] == [buyer.display_name, maker.name]


def test_every_status_of_every_flow_has_a_deliberate_level():
    """A new status must be placed in trials/reveal.py on purpose: this table lists them all."""
    from types import SimpleNamespace

    from buyers.models import BuyerProfile
    from trials.models import BulkOrder, BulkStatus, SampleStatus, TrialStatus
    from trials.reveal import address_level

    factory_user = SimpleNamespace(is_authenticated=True, is_staff_member=False, pk=-1)
    expected = {
        SampleRequest: {
            "requested": "city",
            "accepted": "full",
            "declined": "city",
            "shipped": "address",
            "received": "address",
            "cancelled": "city",
            "expired": "city",
        },
        TrialOrder: {
            "requested": "city",
            "accepted": "address",
            "declined": "city",
            "cancelled": "city",
            "expired": "city",
            "paid": "full",
            "shipped": "address",
            "in_trial": "address",
            "feedback_submitted": "address",
            "converted": "address",
            "ended": "address",
        },
        BulkOrder: {
            "placed": "city",
            "confirmed": "address",
            "deposit_paid": "address",
            "in_production": "full",
            "shipped": "address",
            "received": "address",
            "balance_paid": "address",
            "completed": "address",
            "declined": "city",
            "cancelled": "city",
            "disputed": "address",
        },
    }
    statuses = {SampleRequest: SampleStatus, TrialOrder: TrialStatus, BulkOrder: BulkStatus}
    for model, levels in expected.items():
        assert set(levels) == set(statuses[model].values), model
        for status, level in levels.items():
            obj = model(status=status, buyer=BuyerProfile(user_id=-2))
            assert address_level(obj, factory_user) == level, (model.__name__, status)
