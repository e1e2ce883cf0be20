"""products/: create, list, detail, edit, delist, visibility and query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories.models import Product, ProductImage, ProductStatus
from marketplace.accounts.services import api_key_create
from marketplace.core.models import Event
from tests import makers

pytestmark = pytest.mark.django_db


def payload(**overrides):
    return {
        "title": "青花瓷茶杯 四只装",
        "description": "手绘青花，釉下彩",
        "category": "tea-sets",
        "factory_price": "12.50",
        "moq": 200,
        "lead_time_days": 10,
        "customizable": True,
        "trial_eligible": True,
        "attributes": {"material": "陶瓷", "pieces": 4, "colors": ["蓝", "白"]},
    } | overrides


@pytest.fixture
def factory(db):
    return makers.FactoryMaker(categories=["tea-sets"])


def test_factory_lists_a_product_for_review(api, factory):
    # when
    response = api.as_user(factory.owner).post("/api/v1/products/", payload())
    # then
    assert response.status_code == 201
    product = Product.objects.get()
    body = response.json()
    assert body == {
        "id": product.id,
        "factory": factory.id,
        "factory_name": factory.name,
        "title": "青花瓷茶杯 四只装",
        "description": "手绘青花，釉下彩",
        "category": "tea-sets",
        "category_name": "Tea sets",
        "factory_price": "12.50",
        "trial_unit_price": "6.25",
        "moq": 200,
        "lead_time_days": 10,
        "customizable": True,
        "trial_eligible": True,
        "price_tiers": [],
        "attributes": {"material": "陶瓷", "pieces": 4, "colors": ["蓝", "白"]},
        "status": "pending_review",
        "status_reason": "",
        "images": [],
        "revision": None,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert product.factory_price == Decimal("12.50")
    event = Event.objects.get()
    assert (event.verb, event.actor, event.data) == (
        "product.created",
        factory.owner,
        {"status": "pending_review"},
    )


def test_trial_price_rounds_half_up_to_the_fen(api, factory):
    response = api.as_user(factory.owner).post("/api/v1/products/", payload(factory_price="12.35"))
    assert response.json()["trial_unit_price"] == "6.18"


def test_product_can_start_as_a_private_draft(api, factory):
    # when
    response = api.as_user(factory.owner).post("/api/v1/products/", payload(status="draft"))
    # then
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert api.as_user(None).get(f"/api/v1/products/{response.json()['id']}/").status_code == 404


def test_trial_eligibility_follows_a_factory_that_takes_no_trials(api):
    # given
    factory = makers.FactoryMaker(accepts_trials=False)
    # when: not said → follows the factory; asked for → refused
    body = payload()
    del body["trial_eligible"]
    implicit = api.as_user(factory.owner).post("/api/v1/products/", body)
    explicit = api.as_user(factory.owner).post("/api/v1/products/", payload(trial_eligible=True))
    # then
    assert (implicit.status_code, implicit.json()["trial_eligible"]) == (201, False)
    assert implicit.json()["trial_unit_price"] is None
    assert explicit.status_code == 400
    assert explicit.json() == {
        "trial_eligible": [
            "Your factory does not accept trials; turn trials on in your factory profile first."
        ]
    }
    assert Product.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"category": "ceramics"},
            {"category": ["Choose a sub-category, not the top-level category ceramics."]},
        ),
        ({"category": "moon-rocks"}, {"category": ["Unknown category: moon-rocks."]}),
        ({"factory_price": "0"}, {"factory_price": ["Ensure this value is greater than or equal to 0.01."]}),
        (
            {"factory_price": "1.234"},
            {"factory_price": ["Ensure that there are no more than 2 decimal places."]},
        ),
        ({"factory_price": "abc"}, {"factory_price": ["A valid number is required."]}),
        ({"moq": 0}, {"moq": ["Ensure this value is greater than or equal to 1."]}),
        ({"lead_time_days": 400}, {"lead_time_days": ["Ensure this value is less than or equal to 365."]}),
        ({"attributes": ["a"]}, {"attributes": ["Attributes must be an object of name: value pairs."]}),
        (
            {"attributes": {"size": {"w": 1}}},
            {"attributes": ["Attribute size must be text, a number or a list of them."]},
        ),
        ({"attributes": {f"k{i}": i for i in range(31)}}, {"attributes": ["At most 30 attributes."]}),
        ({"status": "active"}, {"status": ['"active" is not a valid choice.']}),
        ({"title": ""}, {"title": ["This field may not be blank."]}),
    ],
)
def test_create_refuses_bad_input_and_creates_nothing(api, factory, overrides, errors):
    response = api.as_user(factory.owner).post("/api/v1/products/", payload(**overrides))
    assert response.status_code == 400
    assert response.json() == errors
    assert Product.objects.count() == 0
    assert Event.objects.count() == 0


def test_user_without_factory_is_told_to_register_it(api, factory_user):
    response = api.as_user(factory_user).post("/api/v1/products/", payload())
    assert response.status_code == 400
    assert response.json() == {"detail": "Register your factory first (POST /api/v1/factories/)."}


def test_suspended_factory_cannot_list(api):
    factory = makers.FactoryMaker(verification_status="suspended")
    response = api.as_user(factory.owner).post("/api/v1/products/", payload())
    assert response.status_code == 403
    assert response.json() == {"detail": "Your factory is suspended; you cannot list products."}
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [
        ("anonymous", 401, {"detail": "Authentication credentials were not provided."}),
        ("buyer", 403, {"detail": "Only factory accounts can do this."}),
        ("staff", 403, {"detail": "Only factory accounts can do this."}),
    ],
)
def test_only_factories_create_products(api, who, status, body):
    user = {"anonymous": None, "buyer": makers.UserMaker(), "staff": makers.StaffUserMaker()}[who]
    response = api.as_user(user).post("/api/v1/products/", payload())
    assert (response.status_code, response.json()) == (status, body)
    assert Product.objects.count() == 0


# --- visibility ------------------------------------------------------------------------------------


@pytest.fixture
def catalog(db):
    """One product per status at a verified factory, plus active products of unverified factories."""
    verified = makers.FactoryMaker()
    by_status = {s: makers.ProductMaker(factory=verified, status=s) for s in ProductStatus.values}
    hidden_factories = {
        s: makers.ProductMaker(factory=makers.FactoryMaker(verification_status=s))
        for s in ("pending", "rejected", "suspended")
    }
    return verified, by_status, hidden_factories


def _ids(response):
    assert response.status_code == 200
    return {r["id"] for r in response.json()["results"]}


def test_public_sees_only_active_products_of_verified_factories(api, catalog):
    _, by_status, _ = catalog
    for user in (None, makers.UserMaker(), makers.FactoryMaker().owner):
        assert _ids(api.as_user(user).get("/api/v1/products/")) == {by_status["active"].id}


def test_owner_sees_all_own_products_and_staff_sees_everything(api, catalog):
    verified, by_status, hidden = catalog
    owner_ids = _ids(api.as_user(verified.owner).get("/api/v1/products/"))
    assert owner_ids == {p.id for p in by_status.values()}
    staff_ids = _ids(api.as_user(makers.StaffUserMaker()).get("/api/v1/products/?page_size=100"))
    assert staff_ids == {p.id for p in [*by_status.values(), *hidden.values()]}


def test_suspended_factory_products_disappear_but_owner_still_sees_them(api, catalog):
    _, _, hidden = catalog
    product = hidden["suspended"]
    url = f"/api/v1/products/{product.id}/"
    assert api.as_user(None).get(url).status_code == 404
    assert api.as_user(product.factory.owner).get(url).json()["status"] == "active"


@pytest.mark.parametrize("status", ["draft", "pending_review", "rejected", "delisted"])
def test_non_active_product_is_404_to_others(api, catalog, status):
    _, by_status, _ = catalog
    url = f"/api/v1/products/{by_status[status].id}/"
    for user in (None, makers.UserMaker(), makers.FactoryMaker().owner):
        response = api.as_user(user).get(url)
        assert (response.status_code, response.json()) == (
            404,
            {"detail": "No Product matches the given query."},
        )
    assert api.as_user(makers.StaffUserMaker()).get(url).status_code == 200


def test_list_filters(api):
    # given
    cheap = makers.ProductMaker(factory_price=Decimal("5.00"), category=makers.category("tea-sets"), moq=50)
    dear = makers.ProductMaker(factory_price=Decimal("80.00"), customizable=True)
    # then
    assert _ids(api.get("/api/v1/products/?price_max=10")) == {cheap.id}
    assert _ids(api.get("/api/v1/products/?price_min=10")) == {dear.id}
    assert _ids(api.get("/api/v1/products/?category=ceramics")) == {cheap.id}  # parent includes children
    assert _ids(api.get("/api/v1/products/?category=tea-sets")) == {cheap.id}
    assert _ids(api.get("/api/v1/products/?customizable=true")) == {dear.id}
    assert _ids(api.get("/api/v1/products/?moq_max=60")) == {cheap.id}
    assert _ids(api.get(f"/api/v1/products/?factory={dear.factory_id}")) == {dear.id}


# --- pagination and query counts ------------------------------------------------------------------


def test_pagination_shape_and_page_size_cap(api):
    # given
    makers.ProductMaker.create_batch(3, factory=makers.FactoryMaker())
    # when
    first = api.get("/api/v1/products/?page_size=2").json()
    second = api.get("/api/v1/products/?page_size=2&page=2").json()
    # then
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    assert first["next"] == "http://testserver/api/v1/products/?page=2&page_size=2"
    assert (len(second["results"]), second["next"]) == (1, None)
    assert api.get("/api/v1/products/?page=9").status_code == 404


def test_page_size_is_capped_at_100(api):
    factory = makers.FactoryMaker()
    makers.ProductMaker.create_batch(101, factory=factory, status="active")
    body = api.get("/api/v1/products/?page_size=500").json()
    assert (body["count"], len(body["results"])) == (101, 100)


def _queries(api, url):
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "owner", "staff"])
def test_product_list_query_count_does_not_grow_with_page_size(api, who):
    # given: products from several factories and categories, each with two images
    for _ in range(4):
        for product in makers.ProductMaker.create_batch(5, factory=makers.FactoryMaker()):
            for n in range(2):
                # Rows only: the list serializes URLs and stored sizes, it never opens the files.
                ProductImage.objects.create(
                    product=product,
                    image=f"products/{product.pk}/{n}.jpg",
                    thumbnail=f"products/{product.pk}/{n}_thumb.jpg",
                    width=800,
                    height=600,
                    position=n,
                )
    user = {"anonymous": None, "owner": makers.FactoryMaker().owner, "staff": makers.StaffUserMaker()}[who]
    api.as_user(user)
    # when
    small = _queries(api, "/api/v1/products/?page_size=2")
    large = _queries(api, "/api/v1/products/?page_size=20")
    first = api.get("/api/v1/products/?page_size=1").json()["results"][0]
    # then
    assert [(i["width"], i["height"]) for i in first["images"]] == [(800, 600), (800, 600)]
    assert first["images"][0]["url"].startswith("http://testserver/")
    assert small == large
    assert large <= 6


def test_factory_list_query_count_does_not_grow_with_page_size(api, django_assert_max_num_queries):
    for _ in range(15):
        makers.FactoryMaker(categories=["storage", "cleaning"])
    small = _queries(api, "/api/v1/factories/?page_size=2")
    with django_assert_max_num_queries(small):
        api.get("/api/v1/factories/?page_size=15")


def test_partner_key_acts_as_its_owner_and_read_only_keys_cannot_write(api):
    # given: a factory's ERP tool with a read-only key
    draft = makers.ProductMaker(status="draft")
    _, raw = api_key_create(user=draft.factory.owner, name="ERP", read_only=True)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    # when
    listed = api.get("/api/v1/products/")
    created = api.post("/api/v1/products/", payload())
    # then: it sees the owner's draft, but cannot list products
    assert [r["id"] for r in listed.json()["results"]] == [draft.id]
    assert (created.status_code, created.json()) == (403, {"detail": "This API key is read-only."})
    assert Product.objects.count() == 1


def test_factory_that_stops_taking_trials_switches_its_listings_off(api):
    # given
    product = makers.ProductMaker()
    factory = product.factory
    # when
    api.as_user(factory.owner).patch(f"/api/v1/factories/{factory.id}/", {"accepts_trials": False})
    # then: shown and filtered as not trial-eligible; the listing's own flag is kept
    body = api.as_user(None).get(f"/api/v1/products/{product.id}/").json()
    assert (body["trial_eligible"], body["trial_unit_price"]) == (False, None)
    assert _ids(api.get("/api/v1/products/?trial_eligible=true")) == set()
    assert _ids(api.get("/api/v1/products/?trial_eligible=false")) == {product.id}
    assert Product.objects.get(pk=product.pk).trial_eligible is True
