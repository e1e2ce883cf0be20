"""A bulk order is signed at the approved price buyers can see, never at a price awaiting review,
and the buyer sees that unit price and the total before confirming (API and trial page)."""

from decimal import Decimal

import pytest
from django.test import Client as WebClient

from factories.models import ProductStatus
from tests import makers
from tests.trials.conftest import trial_at
from trials.models import BulkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(factory):
    return makers.ProductMaker(factory=factory, factory_price=Decimal("22.00"), moq=100)


def _raise_price_under_review(api, product):
    response = api.as_user(product.factory.owner).patch(
        f"/api/v1/products/{product.pk}/", {"factory_price": "999.00"}, format="json"
    )
    assert response.status_code == 200
    product.refresh_from_db()
    # The listing stays live at its approved price; the new one waits in a revision.
    assert (product.status, product.factory_price) == (ProductStatus.ACTIVE, Decimal("22.00"))
    assert response.json()["revision"]["changes"] == {"factory_price": "999.00"}


def test_conversion_uses_the_approved_price_not_one_awaiting_review(api, product, buyer):
    # given: a trial ready to convert, then the factory raises ¥22 → ¥999 (waiting for staff)
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    _raise_price_under_review(api, product)
    # when: the buyer looks at the trial, then converts
    shown = api.as_user(buyer.user).get(f"/api/v1/trials/{trial.pk}/").json()["bulk_order_preview"]
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/convert/", {"quantity": 200})
    # then: what was shown is what was charged, at ¥22
    assert shown == {
        "unit_price": "22.00",
        "min_quantity": 100,
        "min_total": "2200.00",
        "price_tiers": [{"min_quantity": 100, "unit_price": "22.00"}],
    }
    assert response.status_code == 201
    assert (response.json()["unit_price"], response.json()["total"]) == ("22.00", "4400.00")
    bulk = BulkOrder.objects.get()
    assert (bulk.unit_price, bulk.total) == (Decimal("22.00"), Decimal("4400.00"))


def test_once_staff_approve_the_new_price_it_is_the_one_shown_and_charged(api, product, buyer, staff):
    # given
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    _raise_price_under_review(api, product)
    assert api.as_user(staff).post(f"/api/v1/products/{product.pk}/revision/approve/").status_code == 200
    # when
    shown = api.as_user(buyer.user).get(f"/api/v1/trials/{trial.pk}/").json()["bulk_order_preview"]
    response = api.as_user(buyer.user).post(f"/api/v1/trials/{trial.pk}/convert/", {"quantity": 100})
    # then
    assert shown == {
        "unit_price": "999.00",
        "min_quantity": 100,
        "min_total": "99900.00",
        "price_tiers": [{"min_quantity": 100, "unit_price": "999.00"}],
    }
    assert response.json()["total"] == "99900.00"


def test_preview_is_null_once_converted(api, product, buyer):
    trial = trial_at("converted", product=product, buyer=buyer)
    assert api.as_user(buyer.user).get(f"/api/v1/trials/{trial.pk}/").json()["bulk_order_preview"] is None


def test_trial_page_shows_the_approved_price_and_total_before_the_order_button(api, product, buyer):
    # given
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)
    _raise_price_under_review(api, product)
    web = WebClient(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(buyer.user)
    # when
    page = web.get(f"/me/trials/{trial.pk}/").content.decode()
    # then: the bulk price panel, at ¥22, comes before the "Place a bulk order" button
    panel = page.index('id="bulk-preview"')
    assert "¥22.00" in page[panel:] and "¥2,200.00" in page[panel:]
    assert "¥999" not in page
    assert panel < page.index("Place a bulk order")
    # and the order placed from the page is at that price
    web.post(f"/me/trials/{trial.pk}/convert/", {"quantity": 100})
    assert BulkOrder.objects.get().unit_price == Decimal("22.00")
