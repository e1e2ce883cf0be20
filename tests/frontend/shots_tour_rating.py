"""Screenshots of a factory's public page with its video tour rating in the record (not a test
module: run explicitly with `pytest tests/frontend/shots_tour_rating.py`; PNGs in /work/shots-tours)."""

from decimal import Decimal
from pathlib import Path

from tests import makers
from tests.frontend.shots import shoot


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    factory = makers.FactoryMaker(name="义乌市佳美日用品厂", tour_rating=Decimal("4.50"), tours_rated=2)
    makers.ProductMaker(factory=factory, title="桌面收纳盒")
    shoot(live_server, {"factory": f"/factories/{factory.pk}/"}, Path("/work/shots-tours"))
