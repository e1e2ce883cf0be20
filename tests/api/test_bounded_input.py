"""Bounded input: one test per kind of bad input, each with its exact status and message, and
proof that nothing was written. The rules live in marketplace/core/validators.py."""

from decimal import Decimal

import pytest
from django.core import mail

from buyers.models import BuyerProfile, Channel
from factories.models import Factory, Product
from marketplace.accounts.models import User
from marketplace.core.models import Event
from marketplace.notifications import services as notifications
from tests import makers
from tests.trials.conftest import trial_at
from trials.models import BulkOrder, CustomRequest, Quote, TrialOrder

pytestmark = pytest.mark.django_db

ONE_LINE = ["Use a single line of text without line breaks or control characters."]


@pytest.fixture
def factory():
    return makers.FactoryMaker(max_trial_quantity=50)


def _product_body(**overrides):
    return {
        "title": "桌面收纳盒",
        "category": "storage",
        "factory_price": "12.35",
        "moq": 100,
        "lead_time_days": 7,
    } | overrides


def _create_product(api, factory, **overrides):
    return api.as_user(factory.owner).post("/api/v1/products/", _product_body(**overrides))


# --- attributes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({f"k{i}": "v" for i in range(31)}, "At most 30 attributes."),
        ({"x" * 41: "v"}, "Attribute names are one line of 1 to 40 characters."),
        ({"": "v"}, "Attribute names are one line of 1 to 40 characters."),
        ({"材质\n": "PP"}, "Attribute names are one line of 1 to 40 characters."),
        ({"材质": "p" * 201}, "Attribute 材质: a value is one line of at most 200 characters."),
        ({"材质": "PP\r\nX"}, "Attribute 材质: a value is one line of at most 200 characters."),
        ({"颜色": ["红"] * 21}, "Attribute 颜色 has more than 20 values."),
        ({"尺寸": {"w": 1}}, "Attribute 尺寸 must be text, a number or a list of them."),
        ({"尺寸": None}, "Attribute 尺寸 must be text, a number or a list of them."),
        (["a"], "Attributes must be an object of name: value pairs."),
    ],
    ids=[
        "31-keys",
        "long-key",
        "empty-key",
        "key-newline",
        "long-value",
        "value-crlf",
        "long-list",
        "object",
        "null",
        "list",
    ],
)
def test_attributes_out_of_bounds_are_400_and_write_nothing(api, factory, attributes, message):
    response = _create_product(api, factory, attributes=attributes)
    assert (response.status_code, response.json()) == (400, {"attributes": [message]})
    assert Product.objects.count() == 0


def test_attributes_at_the_bounds_are_accepted(api, factory):
    attributes = {f"{'k' * 38}{i:02d}": "v" * 200 for i in range(30)}
    response = _create_product(api, factory, attributes=attributes)
    assert response.status_code == 201
    assert Product.objects.get().attributes == attributes


def test_attributes_on_edit_are_bounded_too(api, factory):
    product = makers.ProductMaker(factory=factory, attributes={"材质": "PP"})
    response = api.as_user(factory.owner).patch(
        f"/api/v1/products/{product.pk}/", {"attributes": {"x" * 41: 1}}
    )
    assert (response.status_code, response.json()) == (
        400,
        {"attributes": ["Attribute names are one line of 1 to 40 characters."]},
    )
    product.refresh_from_db()
    assert product.attributes == {"材质": "PP"}


# --- single-line fields --------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["收纳盒\n限时", "收纳\r盒", "收纳\x1b[31m盒", "收纳\u2028盒", "tab\there"])
def test_product_title_with_control_characters_is_400(api, factory, bad):
    response = _create_product(api, factory, title=bad)
    assert (response.status_code, response.json()) == (400, {"title": ONE_LINE})
    assert Product.objects.count() == 0


def test_factory_name_with_a_line_break_is_400():
    user = makers.FactoryUserMaker()
    from tests.conftest import Client

    body = {
        "name": "好物工厂\r\nBcc: all@example.com",
        "province": "浙江",
        "city": "义乌",
        "categories": ["storage"],
        "credit_code": makers.valid_credit_code(),
    }
    response = Client().as_user(user).post("/api/v1/factories/", body)
    assert (response.status_code, response.json()) == (400, {"name": ONE_LINE})
    assert Factory.objects.count() == 0


def _buyer_body(**overrides):
    return {
        "display_name": "小鹿主播",
        "categories": ["home"],
        "price_min": "20.00",
        "price_max": "80.00",
        "channels": [{"platform": "douyin", "handle": "xiaolu", "followers": 1000}],
    } | overrides


def test_streamer_name_and_handle_with_line_breaks_are_400(api, buyer_user):
    name = api.as_user(buyer_user).post("/api/v1/buyers/", _buyer_body(display_name="小鹿\n主播"))
    handle = api.post(
        "/api/v1/buyers/", _buyer_body(channels=[{"platform": "douyin", "handle": "a\nb", "followers": 1}])
    )
    assert (name.status_code, name.json()) == (400, {"display_name": ONE_LINE})
    # DRF keys a nested list's errors by the item's index
    assert (handle.status_code, handle.json()) == (400, {"channels": {"0": {"handle": ONE_LINE}}})
    assert BuyerProfile.objects.count() == 0
    assert Channel.objects.count() == 0


def test_carrier_and_tracking_number_with_control_characters_are_400(api, factory):
    product = makers.ProductMaker(factory=factory)
    trial = trial_at("paid", product=product, buyer=makers.BuyerMaker())
    url = f"/api/v1/trials/{trial.pk}/ship/"
    carrier = api.as_user(factory.owner).post(url, {"carrier": "S\r\nF", "tracking_number": "SF1"})
    tracking = api.post(url, {"carrier": "SF", "tracking_number": "SF1\x07"})
    assert (carrier.status_code, carrier.json()) == (400, {"carrier": ONE_LINE})
    assert (tracking.status_code, tracking.json()) == (400, {"tracking_number": ONE_LINE})
    trial.refresh_from_db()
    assert (trial.status, trial.carrier, trial.tracking_number) == ("paid", "", "")


def test_custom_request_title_with_a_line_break_is_400(api):
    buyer = makers.BuyerMaker()
    body = {
        "title": "定制\n保温杯",
        "requirements": "304 steel",
        "quantity": 500,
        "deadline": "2099-01-01T00:00:00+08:00",
    }
    response = api.as_user(buyer.user).post("/api/v1/custom-requests/", body)
    assert (response.status_code, response.json()) == (400, {"title": ONE_LINE})
    assert CustomRequest.objects.count() == 0


def test_web_ship_form_refuses_a_line_break_in_the_tracking_number(factory):
    from tests.frontend.conftest import Browser

    product = makers.ProductMaker(factory=factory)
    trial = trial_at("paid", product=product, buyer=makers.BuyerMaker())
    web = Browser().as_user(factory.owner)
    response = web.post(
        f"/me/trials/{trial.pk}/ship/", {"carrier": "SF", "tracking_number": "SF1\nSF2"}, follow=True
    )
    assert response.status_code == 200
    assert ONE_LINE[0] in response.content.decode()
    trial.refresh_from_db()
    assert trial.status == "paid"


# --- money and quantities ------------------------------------------------------------------


def test_a_price_past_its_column_is_400(api, factory):
    response = _create_product(api, factory, factory_price="10000000.00")
    assert (response.status_code, response.json()) == (
        400,
        {"factory_price": ["Ensure this value is less than or equal to 9999999.99."]},
    )
    assert Product.objects.count() == 0


def test_a_quote_price_past_the_bound_is_400_and_writes_no_quote(api, factory):
    buyer = makers.BuyerMaker()
    request = CustomRequest.objects.create(
        buyer=buyer,
        factory=factory,
        title="定制",
        requirements="x",
        quantity=100,
        deadline="2099-01-01T00:00:00+08:00",
    )
    body = {
        "unit_price": "99999999.99",
        "moq": 100,
        "lead_time_days": 10,
        "proposal": "p",
        "trial_quantity": 10,
    }
    response = api.as_user(factory.owner).post(f"/api/v1/custom-requests/{request.pk}/quotes/", body)
    assert (response.status_code, response.json()) == (
        400,
        {"unit_price": ["Ensure this value is less than or equal to 9999999.99."]},
    )
    assert Quote.objects.count() == 0


def test_a_bulk_order_whose_total_would_overflow_is_400_and_not_created(api, factory):
    # given: the highest price and a trial ready to convert
    product = makers.ProductMaker(factory=factory, factory_price=Decimal("9999999.99"), moq=1)
    buyer = makers.BuyerMaker()
    trial = trial_at("feedback_submitted", product=product, buyer=buyer, quantity=10)
    # when: 100 million units (allowed by itself) at that price: ¥999,999,999,000,000
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/convert/", {"quantity": 100_000_000})
    # then
    assert (response.status_code, response.json()) == (
        400,
        {
            "quantity": [
                "The total of ¥999,999,999,000,000.00 is over the limit of ¥999,999,999,999.99 for one order;"
                " order fewer units."
            ]
        },
    )
    assert BulkOrder.objects.count() == 0
    trial.refresh_from_db()
    assert trial.status == "feedback_submitted"
    assert not Event.objects.filter(verb="bulk.created").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("staff_count", 2_147_483_648, "Ensure this value is less than or equal to 2000000000."),
        ("monthly_capacity", 10**30, "Ensure this value is less than or equal to 2000000000."),
    ],
)
def test_counts_past_the_integer_column_are_400(field, value, message):
    from tests.conftest import Client

    body = {
        "name": "厂",
        "province": "浙江",
        "city": "义乌",
        "categories": ["storage"],
        "credit_code": makers.valid_credit_code(),
        field: value,
    }
    response = Client().as_user(makers.FactoryUserMaker()).post("/api/v1/factories/", body)
    assert (response.status_code, response.json()) == (400, {field: [message]})
    assert Factory.objects.count() == 0


def test_followers_and_trial_quantity_are_bounded(api, factory):
    buyer_user = makers.UserMaker()
    body = _buyer_body(channels=[{"platform": "douyin", "handle": "x", "followers": 10**12}])
    response = api.as_user(buyer_user).post("/api/v1/buyers/", body)
    assert (response.status_code, response.json()) == (
        400,
        {"channels": {"0": {"followers": ["Ensure this value is less than or equal to 2000000000."]}}},
    )
    buyer = makers.BuyerMaker()
    product = makers.ProductMaker(factory=factory)
    huge = api.as_user(buyer.user).post("/api/v1/trials/", {"product": product.pk, "quantity": 10**20})
    assert (huge.status_code, huge.json()) == (
        400,
        {"quantity": ["Ensure this value is less than or equal to 100000000."]},
    )
    assert TrialOrder.objects.count() == 0


# --- e-mail ---------------------------------------------------------------------------------


def test_an_email_over_254_characters_is_400(api):
    email = "a" * 64 + "@" + ("b" * 63 + ".") * 3 + "cn"  # 258 characters
    body = {"username": "longmail", "password": makers.PASSWORD, "email": email, "role": "buyer"}
    response = api.post("/api/v1/auth/register/", body)
    assert (response.status_code, response.json()) == (
        400,
        {"email": ["Ensure this field has no more than 254 characters."]},
    )
    assert User.objects.count() == 0


def test_email_subjects_are_built_only_from_safe_text(db, django_capture_on_commit_callbacks):
    # given: a title stored before the single-line rule (or by the admin), carrying a header injection
    user = makers.UserMaker()
    data = {"ref": "T1", "title": "面膜\r\nBcc: victim@example.com", "factory": "厂", "total": "¥1"}
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notification_create(recipient=user, kind="trial.accepted", key="k1", data=data)
    # then: one e-mail, its subject one clean line, sent only to the recipient
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "面膜 Bcc: victim@example.com" in message.subject
    assert message.recipients() == [user.email]


def test_services_refuse_multi_line_names_whatever_calls_them(factory):
    # given: the services the web forms and the admin call, past any serializer
    from buyers.services import buyer_create
    from factories.services.factories import factory_update
    from factories.services.products import product_create
    from marketplace.core.errors import ValidationError

    product_data = {
        "title": "盒\n子",
        "category": "storage",
        "factory_price": Decimal("1"),
        "moq": 1,
        "lead_time_days": 1,
    }
    buyer_data = {
        "display_name": "主播",
        "categories": ["home"],
        "channels": [{"platform": "douyin", "handle": "a\rb"}],
    }
    # then
    with pytest.raises(ValidationError) as product_error:
        product_create(factory=factory, actor=factory.owner, data=product_data)
    with pytest.raises(ValidationError) as factory_error:
        factory_update(factory=factory, actor=factory.owner, data={"city": "义\n乌"})
    with pytest.raises(ValidationError) as buyer_error:
        buyer_create(user=makers.UserMaker(), data=buyer_data)
    assert product_error.value.message_dict == {"title": ONE_LINE}
    assert factory_error.value.message_dict == {"city": ONE_LINE}
    assert buyer_error.value.message_dict == {"channels": ONE_LINE}
    assert (Product.objects.count(), BuyerProfile.objects.count()) == (0, 0)
    factory.refresh_from_db()
    assert factory.city == "金华"
