"""Volume prices (阶梯价, issue 17 point 2): edited in the API and the product form, validated,
shown on the product page, reviewed on live listings like the price, and a bulk order pays the
tier of its quantity while the 50%-off trial stays half the MOQ price."""

from decimal import Decimal

import pytest

from factories.models import Product, ProductStatus
from tests import makers
from tests.frontend.conftest import Browser
from tests.frontend.helpers import html
from tests.frontend.test_product_forms import errors_of, fields
from tests.search.conftest import index_all
from tests.trials.conftest import trial_at
from trials.models import BulkOrder

pytestmark = pytest.mark.django_db

TIERS = [{"min_quantity": 500, "unit_price": "10.50"}, {"min_quantity": 2000, "unit_price": "9.80"}]


def _payload(**extra) -> dict:
    return {
        "title": "硅胶收纳袋",
        "category": "storage",
        "factory_price": "12.00",
        "moq": 100,
        "lead_time_days": 7,
        **extra,
    }


@pytest.fixture
def factory(db):
    return makers.FactoryMaker(max_trial_quantity=50)


@pytest.fixture
def buyer(db):
    return makers.BuyerMaker()


@pytest.fixture
def tiered(factory):
    return makers.ProductMaker(factory=factory, factory_price=Decimal("12.00"), moq=100, price_tiers=TIERS)


# ---- API ---------------------------------------------------------------------------------------
def test_a_listing_with_volume_prices_through_the_api(api, factory):
    # when
    response = api.as_user(factory.owner).post(
        "/api/v1/products/",
        _payload(
            price_tiers=[
                {"min_quantity": 500, "unit_price": "10.5"},
                {"min_quantity": 2000, "unit_price": 9.8},
            ]
        ),
        content_type="application/json",
    )
    # then: stored and shown to the fen
    assert response.status_code == 201, response.json()
    assert response.json()["price_tiers"] == TIERS
    assert Product.objects.get().price_tiers == TIERS


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        (
            [{"min_quantity": 100, "unit_price": "10.00"}],
            "Each tier's quantity must be above the MOQ and the tier before it.",
        ),
        (
            [{"min_quantity": 2000, "unit_price": "9.80"}, {"min_quantity": 500, "unit_price": "10.50"}],
            "Each tier's quantity must be above the MOQ and the tier before it.",
        ),
        (
            [{"min_quantity": 500, "unit_price": "12.01"}],
            "A larger quantity cannot cost more per unit than a smaller one.",
        ),
        (
            [{"min_quantity": 500, "unit_price": "9.00"}, {"min_quantity": 900, "unit_price": "9.50"}],
            "A larger quantity cannot cost more per unit than a smaller one.",
        ),
    ],
)
def test_tiers_that_make_no_sense_are_refused_and_nothing_is_created(api, factory, tiers, message):
    response = api.as_user(factory.owner).post(
        "/api/v1/products/", _payload(price_tiers=tiers), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"price_tiers": [message]}
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "tiers",
    [
        [{"min_quantity": 200 + i, "unit_price": "10.00"} for i in range(6)],  # more than 5
        [{"min_quantity": 1, "unit_price": "10.00"}],
        [{"min_quantity": 500, "unit_price": "0.00"}],
        [{"min_quantity": 500, "unit_price": "10.001"}],
        [{"min_quantity": 500}],
        "500 10.50",
    ],
)
def test_malformed_tiers_get_a_400_not_a_500(api, factory, tiers):
    response = api.as_user(factory.owner).post(
        "/api/v1/products/", _payload(price_tiers=tiers), content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["price_tiers"]
    assert not Product.objects.exists()


def test_raising_the_moq_past_a_tier_is_refused(api, tiered):
    tiered.status = ProductStatus.DRAFT
    tiered.save(update_fields=["status"])
    response = api.as_user(tiered.factory.owner).patch(
        f"/api/v1/products/{tiered.pk}/", {"moq": 600}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "price_tiers": ["Each tier's quantity must be above the MOQ and the tier before it."]
    }
    tiered.refresh_from_db()
    assert tiered.moq == 100


def test_new_tiers_of_a_live_listing_wait_for_review(api, tiered, staff):
    # when: the factory cuts its 500+ price
    new = [{"min_quantity": 500, "unit_price": "10.00"}, TIERS[1]]
    response = api.as_user(tiered.factory.owner).patch(
        f"/api/v1/products/{tiered.pk}/", {"price_tiers": new}, content_type="application/json"
    )
    # then: buyers keep the approved tiers until staff approve
    assert response.status_code == 200
    assert response.json()["revision"]["changes"] == {"price_tiers": new}
    assert api.as_user(None).get(f"/api/v1/products/{tiered.pk}/").json()["price_tiers"] == TIERS
    assert api.as_user(staff).post(f"/api/v1/products/{tiered.pk}/revision/approve/").status_code == 200
    assert api.as_user(None).get(f"/api/v1/products/{tiered.pk}/").json()["price_tiers"] == new


def test_search_results_show_the_tiers_as_the_product_endpoint_does(api, tiered):
    index_all()
    found = api.as_user(None).get("/api/v1/search/products/").json()["results"]
    assert found[0]["price_tiers"] == TIERS
    assert (
        found[0]["price_tiers"]
        == api.as_user(None).get(f"/api/v1/products/{tiered.pk}/").json()["price_tiers"]
    )


# ---- the bulk order ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("quantity", "unit", "total"),
    [
        (100, "12.00", "1200.00"),
        (499, "12.00", "5988.00"),
        (500, "10.50", "5250.00"),
        (2500, "9.80", "24500.00"),
    ],
)
def test_a_bulk_order_pays_the_tier_of_its_quantity(api, tiered, buyer, quantity, unit, total):
    # given: the trial itself is half the MOQ price
    trial = trial_at("feedback_submitted", product=tiered, buyer=buyer)
    assert trial.unit_price == Decimal("6.00")
    # when
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/convert/", {"quantity": quantity})
    # then
    assert response.status_code == 201
    bulk = BulkOrder.objects.get()
    assert (bulk.unit_price, bulk.total) == (Decimal(unit), Decimal(total))


def test_the_preview_lists_the_tiers_before_converting(api, tiered, buyer):
    trial = trial_at("feedback_submitted", product=tiered, buyer=buyer)
    preview = api.as_user(buyer.user).get(f"/api/v1/trials/{trial.pk}/").json()["bulk_order_preview"]
    assert preview["price_tiers"] == [{"min_quantity": 100, "unit_price": "12.00"}, *TIERS]
    assert (preview["unit_price"], preview["min_total"]) == ("12.00", "1200.00")
    page = html(Browser().as_user(buyer.user).get(f"/me/trials/{trial.pk}/"))
    assert '<table class="list" id="bulk-tiers">' in page and "<td>2000 or more</td>" in page


# ---- pages -------------------------------------------------------------------------------------
def test_the_product_page_shows_every_tier(tiered):
    page = html(Browser().get(f"/products/{tiered.pk}/"))
    assert '<table class="list" id="price-tiers"' in page
    for quantity, price in [(100, "12.00"), (500, "10.50"), (2000, "9.80")]:
        assert f'<tr><td>{quantity} or more</td><td class="price">¥{price}</td></tr>' in page
    chinese = html(Browser(language="zh-hans").get(f"/products/{tiered.pk}/"))
    assert "<td>500 件及以上</td>" in chinese


def test_the_product_form_takes_one_tier_per_line(factory):
    web = Browser().as_user(factory.owner)
    response = web.post("/me/products/new/", fields(price_tiers="500 21.00\r\n2,000+ ¥19.8\r\n"), follow=True)
    assert response.status_code == 200
    product = Product.objects.get()
    assert product.price_tiers == [
        {"min_quantity": 500, "unit_price": "21.00"},
        {"min_quantity": 2000, "unit_price": "19.80"},
    ]
    # the edit form shows them as typed lines again
    edit = html(web.get(f"/me/products/{product.pk}/"))
    assert "500 21.00\n2000 19.80</textarea>" in edit


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("500", "Line 1: write the quantity, then the unit price, e.g. “500 10.50”."),
        ("500 21.00\nabc", "Line 2: write the quantity, then the unit price, e.g. “500 10.50”."),
        ("150 21.00", "Each tier's quantity must be above the MOQ and the tier before it."),
        ("500 30.00", "A larger quantity cannot cost more per unit than a smaller one."),
    ],
)
def test_the_form_says_what_is_wrong_with_a_tier_and_keeps_what_was_typed(factory, text, error):
    response = Browser().as_user(factory.owner).post("/me/products/new/", fields(price_tiers=text))
    assert response.status_code == 200
    assert errors_of(response)["price_tiers"] == [error]
    assert f"{text}</textarea>" in html(response)
    assert not Product.objects.exists()
