from decimal import Decimal

import pytest

from marketplace.money import half_price, to_fen
from tests.trials.conftest import trial_at
from trials.services.trials import trial_convert, trial_price


@pytest.mark.parametrize(
    ("factory_price", "unit"),
    [
        ("12.35", "6.18"),  # half of 12.35 is 6.175: half-up to the fen
        ("12.34", "6.17"),
        ("0.01", "0.01"),  # 0.005 rounds up, never to a free product
        ("0.03", "0.02"),
        ("9999999.99", "5000000.00"),
        ("100.00", "50.00"),
    ],
)
def test_trial_unit_price_is_half_rounded_half_up(factory_price, unit):
    assert half_price(Decimal(factory_price)) == Decimal(unit)


def test_trial_total_is_frozen_unit_price_times_quantity():
    # given / when
    unit, total = trial_price(factory_price=Decimal("12.35"), quantity=7)
    # then: 6.18 × 7, not 12.35 × 7 / 2 (= 43.225)
    assert (unit, total) == (Decimal("6.18"), Decimal("43.26"))


@pytest.mark.parametrize(
    ("amount", "fen"), [("6.18", 618), ("43.26", 4326), ("0.01", 1), ("5000000.00", 500000000)]
)
def test_fen_amounts(amount, fen):
    assert to_fen(Decimal(amount)) == fen


def test_api_creates_trial_with_frozen_price(api, product, buyer):
    # when
    response = api.as_user(buyer.user).post("/api/v1/trials/", {"product": product.pk, "quantity": 7})
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["unit_price"], body["total"], body["trial_days"]) == (
        "requested",
        "6.18",
        "43.26",
        30,
    )
    # and a later price change does not touch the trial
    product.factory_price = Decimal("20.00")
    product.save(update_fields=["factory_price"])
    assert api.get(f"/api/v1/trials/{body['id']}/").json()["unit_price"] == "6.18"


def test_bulk_order_at_full_price(product, buyer):
    # given
    trial = trial_at("feedback_submitted", product=product, buyer=buyer)

    # when
    bulk = trial_convert(trial=trial, actor=buyer.user, quantity=150)
    # then
    assert (bulk.unit_price, bulk.total, bulk.trial_id) == (Decimal("12.35"), Decimal("1852.50"), trial.pk)
