"""Screenshots of the address book, editing an entry, and the address on a trial page as the
factory sees it on the shipping step (not a test module: run explicitly with
`pytest tests/frontend/shots_addresses.py`; PNGs in /work/shots-addresses)."""

from pathlib import Path

from marketplace.addresses.models import Address
from tests import makers
from tests.frontend.shots import login_cookie, shoot
from tests.trials.conftest import trial_at


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    buyer = makers.BuyerMaker(display_name="小鹿主播")
    Address.objects.create(
        owner=buyer.user, **{**makers.ADDRESS, "recipient": "直播间 前台", "street": "古墩路 8 号"}
    )
    address = Address.objects.filter(owner=buyer.user).first()
    shoot(
        live_server,
        {"book": "/me/addresses/", "edit": f"/me/addresses/{address.pk}/edit/"},
        Path("/work/shots-addresses"),
        cookie=login_cookie(buyer.user, live_server),
        check=lambda page: page.wait_for_timeout(400),  # the division selects load
    )
    product = makers.ProductMaker(title="桌面收纳盒")
    trial = trial_at("paid", product=product, buyer=buyer, quantity=10)
    shoot(
        live_server,
        {"trial-factory": f"/me/trials/{trial.pk}/"},
        Path("/work/shots-addresses"),
        cookie=login_cookie(product.factory.owner, live_server),
    )
