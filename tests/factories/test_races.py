"""Races on real PostgreSQL with real threads: unique indexes and row locks decide, never a 500."""

import pytest

from buyers.models import BuyerProfile, Channel
from factories.models import Factory, Product, ProductReport
from marketplace.core.models import Event
from tests import makers
from tests.concurrency import race
from tests.conftest import Client

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "91350100M000100Y43"


def _call(user, method, url, data=None):
    def call():
        response = getattr(Client().as_user(user), method)(url, data or {})
        return response.status_code, (response.json() if response.content else None)

    return call


def _factory_body(**overrides):
    return {
        "name": "厂",
        "province": "浙江",
        "city": "义乌",
        "categories": ["storage"],
        "credit_code": CODE,
    } | overrides


def test_same_credit_code_registered_by_many_at_once_gives_one_factory():
    # given
    users = makers.FactoryUserMaker.create_batch(8)
    # when
    results = race(*[_call(u, "post", "/api/v1/factories/", _factory_body()) for u in users])
    # then
    assert sorted(code for code, _ in results) == [201] + [400] * 7
    assert {str(body) for code, body in results if code == 400} == {
        str({"credit_code": ["A factory with this unified social credit code is already registered."]})
    }
    assert Factory.objects.count() == 1
    assert Event.objects.filter(verb="factory.created").count() == 1


def test_double_submit_of_the_same_user_gives_one_factory():
    user = makers.FactoryUserMaker()
    results = race(
        _call(user, "post", "/api/v1/factories/", _factory_body()),
        _call(user, "post", "/api/v1/factories/", _factory_body(credit_code=makers.valid_credit_code())),
    )
    assert sorted(code for code, _ in results) == [201, 400]
    assert [body for code, body in results if code == 400] == [
        {"detail": "You have already registered a factory; edit it instead."}
    ]
    assert Factory.objects.count() == 1


def test_same_channel_claimed_by_two_streamers_at_once():
    users = makers.UserMaker.create_batch(6)
    body = {
        "display_name": "主播",
        "categories": ["storage"],
        "price_min": "10.00",
        "price_max": "50.00",
        "channels": [{"platform": "douyin", "handle": "hot_handle", "followers": 10}],
    }
    results = race(*[_call(u, "post", "/api/v1/buyers/", body) for u in users])
    assert sorted(code for code, _ in results) == [201] + [400] * 5
    assert {str(b) for code, b in results if code == 400} == {
        str({"channels": ["Douyin (抖音) account @hot_handle is already registered by another streamer."]})
    }
    assert (BuyerProfile.objects.count(), Channel.objects.count()) == (1, 1)


def test_repeated_report_clicks_make_one_report():
    product = makers.ProductMaker()
    reporter = makers.UserMaker()
    url = f"/api/v1/products/{product.id}/report/"
    results = race(*[_call(reporter, "post", url, {"reason": "counterfeit"})] * 6)
    assert sorted(code for code, _ in results) == [201] + [400] * 5
    assert ProductReport.objects.count() == 1


def test_approve_and_delist_at_once_are_serialized():
    # given
    product = makers.ProductMaker(status="pending_review")
    url = f"/api/v1/products/{product.id}/"
    # when
    results = race(
        _call(makers.StaffUserMaker(), "post", url + "approve/"),
        _call(product.factory.owner, "delete", url),
    )
    # then: either order is fine, but it ends delisted or both succeeded in turn — never lost
    product.refresh_from_db()
    codes = [code for code, _ in results]
    verbs = list(Event.objects.order_by("id").values_list("verb", flat=True))
    if codes == [200, 204]:
        assert (product.status, verbs) == ("delisted", ["product.approved", "product.delisted"])
    else:
        assert codes == [409, 204]
        assert results[0][1] == {"detail": "Cannot approve: it is delisted."}
        assert (product.status, verbs) == ("delisted", ["product.delisted"])
    assert Product.objects.count() == 1
