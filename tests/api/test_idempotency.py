"""`Idempotency-Key` on the create endpoints (Stripe's scheme): replay, conflict, per user, races."""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from PIL import Image

from buyers.models import BuyerProfile
from conversations.models import Message
from factories.models import Factory, Product, ProductImage, ProductReport
from marketplace.addresses.models import Address
from marketplace.core.idempotency import idempotency_keys_purge
from marketplace.core.models import IdempotencyKey
from marketplace.core.tasks import idempotency_keys_purge_expired
from tests import makers
from tests.concurrency import race
from tests.conftest import Client
from trials.models import CustomRequest, Quote, SampleRequest, TrialOrder

KEY = "0b6f1d8e-5c1e-4a35-9a35-3f4a1c2b9d10"
REUSED = (
    "This Idempotency-Key was already used with a different request. "
    "Use a new key for a new request, or send exactly the same request to get its result again."
)


def _post(client, url, data, key=KEY, **extra):
    return client.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def _product_body(**overrides):
    return {
        "title": "收纳盒",
        "category": "storage",
        "factory_price": "22.00",
        "moq": 100,
        "lead_time_days": 7,
    } | overrides


@pytest.mark.django_db
def test_same_key_and_body_replays_the_first_response_without_a_second_row(api):
    # given
    factory = makers.FactoryMaker()
    client = api.as_user(factory.owner)
    first = _post(client, "/api/v1/products/", _product_body())
    assert first.status_code == 201
    # when
    again = _post(client, "/api/v1/products/", _product_body())
    # then
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Product.objects.count() == 1
    assert IdempotencyKey.objects.get().response_status == 201


@pytest.mark.django_db
def test_same_key_with_another_body_is_a_409_and_creates_nothing(api):
    # given
    factory = makers.FactoryMaker()
    client = api.as_user(factory.owner)
    first = _post(client, "/api/v1/products/", _product_body())
    # when
    other = _post(client, "/api/v1/products/", _product_body(factory_price="999.00"))
    # then
    assert other.status_code == 409
    assert other.json() == {"detail": REUSED}
    assert list(Product.objects.values_list("pk", "factory_price")) == [(first.json()["id"], first_price())]


def first_price():
    from decimal import Decimal

    return Decimal("22.00")


@pytest.mark.django_db
def test_same_key_on_another_endpoint_is_a_409(api):
    factory = makers.FactoryMaker()
    product = makers.ProductMaker(factory=factory)
    client = api.as_user(factory.owner)
    assert _post(client, "/api/v1/products/", _product_body()).status_code == 201
    # when: the same key for a report, as if the client reused it by mistake
    response = _post(client, f"/api/v1/products/{product.pk}/report/", {"reason": "other"})
    # then
    assert response.status_code == 409
    assert ProductReport.objects.count() == 0


@pytest.mark.django_db
def test_keys_are_per_user(api):
    # given: two factories using the same key
    one, two = makers.FactoryMaker(), makers.FactoryMaker()
    # when
    a = _post(Client().as_user(one.owner), "/api/v1/products/", _product_body())
    b = _post(Client().as_user(two.owner), "/api/v1/products/", _product_body())
    # then: each made its own product
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]
    assert sorted(Product.objects.values_list("factory_id", flat=True)) == sorted([one.pk, two.pk])


@pytest.mark.django_db
def test_a_refused_request_does_not_use_up_the_key(api):
    factory = makers.FactoryMaker()
    client = api.as_user(factory.owner)
    # when: the first try is invalid, the corrected one comes with the same key
    bad = _post(client, "/api/v1/products/", _product_body(moq=0))
    good = _post(client, "/api/v1/products/", _product_body())
    # then
    assert bad.status_code == 400
    assert good.status_code == 201
    assert Product.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "why"),
    [("", "empty"), ("k" * 256, "too long"), ("line\tbreak", "control character"), ("键", "not ASCII")],
)
def test_bad_keys_are_refused(api, key, why):
    factory = makers.FactoryMaker()
    response = _post(api.as_user(factory.owner), "/api/v1/products/", _product_body(), key=key)
    assert response.status_code == 400, why
    assert response.json() == {"detail": "Idempotency-Key must be 1 to 255 printable ASCII characters."}
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_a_key_of_255_characters_is_accepted(api):
    factory = makers.FactoryMaker()
    response = _post(api.as_user(factory.owner), "/api/v1/products/", _product_body(), key="k" * 255)
    assert response.status_code == 201


@pytest.mark.django_db
def test_without_a_key_every_request_creates(api):
    factory = makers.FactoryMaker()
    client = api.as_user(factory.owner)
    client.post("/api/v1/products/", _product_body(), format="json")
    client.post("/api/v1/products/", _product_body(), format="json")
    assert Product.objects.count() == 2
    assert IdempotencyKey.objects.count() == 0


@pytest.mark.django_db
def test_after_24_hours_the_key_starts_a_new_request(api):
    factory = makers.FactoryMaker()
    client = api.as_user(factory.owner)
    _post(client, "/api/v1/products/", _product_body())
    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        response = _post(client, "/api/v1/products/", _product_body())
    assert response.status_code == 201
    assert Product.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.django_db
def test_purge_deletes_only_keys_older_than_24_hours(api, settings):
    # given: one old key and one fresh key
    factory = makers.FactoryMaker()
    client = api.as_user(factory.owner)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=25)):
        _post(client, "/api/v1/products/", _product_body(), key="old")
    _post(client, "/api/v1/products/", _product_body(title="新"), key="fresh")
    # when
    deleted = idempotency_keys_purge()
    # then
    assert deleted == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
    # and the beat task, scheduled hourly, calls the same function (nothing left to purge now)
    assert idempotency_keys_purge_expired.delay().get() == 0
    assert settings.CELERY_BEAT_SCHEDULE["idempotency-keys-purge"] == {
        "task": "marketplace.core.tasks.idempotency_keys_purge_expired",
        "schedule": 3600.0,
    }
    assert Product.objects.count() == 2


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "a.png"
    return buffer


@pytest.mark.django_db
def test_image_upload_replays_by_file_content(api):
    product = makers.ProductMaker()
    client = api.as_user(product.factory.owner)
    url = f"/api/v1/products/{product.pk}/images/"
    first = client.post(url, {"image": _png()}, format="multipart", HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post(url, {"image": _png()}, format="multipart", HTTP_IDEMPOTENCY_KEY=KEY)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert ProductImage.all_objects.count() == 1  # waiting for review: the listing is live
    # another picture with the same key is another request
    other = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(other, format="PNG")
    other.seek(0)
    other.name = "b.png"
    assert client.post(url, {"image": other}, format="multipart", HTTP_IDEMPOTENCY_KEY=KEY).status_code == 409


@pytest.mark.django_db
def test_every_create_endpoint_replays(api):
    """Each create operation of the API, sent twice with one key: one row each, identical answers."""
    factory = makers.FactoryMaker(customization="oem")
    product = makers.ProductMaker(factory=factory)
    buyer_user = makers.UserMaker()
    factory_user = makers.FactoryUserMaker()
    custom_request = None

    def twice(user, url, body, model):
        client = Client().as_user(user)
        key = f"key-{url}"
        before = model.objects.count()
        first = _post(client, url, body, key=key)
        again = _post(client, url, body, key=key)
        assert first.status_code in (200, 201), (url, first.json())
        assert (again.status_code, again.json()) == (first.status_code, first.json()), url
        assert model.objects.count() == before + 1, url
        return first.json()

    twice(
        factory_user,
        "/api/v1/factories/",
        {"name": "厂", "province": "浙江", "city": "义乌", "categories": ["home"], "credit_code": makers.valid_credit_code()},
        Factory,
    )  # fmt: skip
    twice(
        buyer_user,
        "/api/v1/buyers/",
        {"display_name": "主播", "categories": ["home"], "price_min": "10.00", "price_max": "50.00"},
        BuyerProfile,
    )
    twice(buyer_user, "/api/v1/addresses/", makers.ADDRESS, Address)
    twice(buyer_user, "/api/v1/trials/", {"product": product.pk, "quantity": 5}, TrialOrder)
    twice(buyer_user, "/api/v1/samples/", {"product": product.pk, "note": "看样"}, SampleRequest)
    custom_request = twice(
        buyer_user,
        "/api/v1/custom-requests/",
        {
            "factory": factory.pk,
            "title": "定制杯",
            "requirements": "304 不锈钢",
            "quantity": 500,
            "deadline": (timezone.now() + dt.timedelta(days=20)).isoformat(),
        },
        CustomRequest,
    )
    base = f"/api/v1/custom-requests/{custom_request['id']}"
    twice(buyer_user, f"{base}/messages/", {"body": "你好"}, Message)
    quote = twice(
        factory.owner,
        f"{base}/quotes/",
        {"unit_price": "18.00", "moq": 300, "lead_time_days": 20, "proposal": "方案", "trial_quantity": 50},
        Quote,
    )
    client = Client().as_user(buyer_user)
    url = f"{base}/quotes/{quote['id']}/accept/"
    first = _post(client, url, {}, key="accept")
    again = _post(client, url, {}, key="accept")
    assert (first.status_code, again.json()) == (201, first.json())
    assert TrialOrder.objects.filter(quote__isnull=False).count() == 1
    twice(
        buyer_user,
        f"/api/v1/products/{product.pk}/report/",
        {"reason": "counterfeit", "detail": "假货"},
        ProductReport,
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_with_one_key_make_exactly_one_row():
    # given
    factory = makers.FactoryMaker()

    def call():
        response = _post(Client().as_user(factory.owner), "/api/v1/products/", _product_body())
        return response.status_code, response.json()

    # when: eight requests with the same key at the same moment
    results = race(*[call] * 8)
    # then: one created, the others waited for it and replayed its answer
    assert [code for code, _ in results] == [201] * 8
    bodies = [body for _, body in results]
    assert [b for b in bodies if b != bodies[0]] == []
    assert Product.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_with_one_key_and_different_bodies_make_one_row():
    factory = makers.FactoryMaker()

    def call(price):
        def run():
            body = _product_body(factory_price=price)
            return _post(Client().as_user(factory.owner), "/api/v1/products/", body).status_code

        return run

    results = race(*[call(f"{20 + i}.00") for i in range(6)])
    assert sorted(results) == [201] + [409] * 5
    assert Product.objects.count() == 1
