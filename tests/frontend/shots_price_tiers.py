"""Screenshots of volume prices (not a test module: run explicitly with
`pytest tests/frontend/shots_price_tiers.py`; PNGs in /work/shots-price-tiers): the product page
and the factory's product form."""

from decimal import Decimal
from pathlib import Path

from tests import makers
from tests.frontend.shots import login_cookie, shoot

TIERS = [{"min_quantity": 500, "unit_price": "10.50"}, {"min_quantity": 2000, "unit_price": "9.80"}]


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    product = makers.ProductMaker(
        title="加厚硅胶收纳袋 三件套", factory_price=Decimal("12.00"), moq=100, price_tiers=TIERS
    )
    pages = {"product": f"/products/{product.pk}/", "form": f"/me/products/{product.pk}/"}
    shoot(
        live_server,
        pages,
        Path("/work/shots-price-tiers"),
        cookie=login_cookie(product.factory.owner, live_server),
    )
