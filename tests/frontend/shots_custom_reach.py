"""Screenshots of an open custom request that reached nobody (not a test module: run explicitly
with `pytest tests/frontend/shots_custom_reach.py`; PNGs in /work/shots-custom-reach)."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from tests import makers
from tests.frontend.shots import login_cookie, shoot
from trials.services import custom


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    skincare = makers.FactoryMaker(customization="odm", categories=["skincare"])
    makers.ProductMaker(factory=skincare, category=makers.category("skincare"), factory_price=Decimal("10"))
    buyer = makers.BuyerMaker()
    req = custom.custom_request_create(
        actor=buyer.user,
        data={
            "title": "定制面膜礼盒",
            "requirements": "10 片装，礼盒印 logo",
            "category": "facial-masks",
            "target_unit_price": Decimal("10.00"),
            "quantity": 1000,
            "deadline": timezone.now() + timedelta(days=7),
        },
    )
    shoot(
        live_server,
        {"unreached": f"/me/custom/{req.pk}/"},
        Path("/work/shots-custom-reach"),
        cookie=login_cookie(buyer.user, live_server),
    )
