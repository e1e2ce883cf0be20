"""Screenshots of a factory's record with a paid trial it never shipped (staff cancelled it with a
refund), on the factory's page as a streamer sees it (not a test module: run explicitly with
`pytest tests/frontend/shots_failed_to_ship.py`; PNGs in /work/shots-failed-to-ship)."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from tests import makers
from tests.frontend.shots import login_cookie, shoot
from tests.trials.conftest import trial_at
from trials.models import TrialOrder
from trials.services import staff as staff_service


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    product = makers.ProductMaker(title="桌面收纳盒")
    paid = trial_at("paid", product=product, buyer=makers.BuyerMaker())
    TrialOrder.objects.filter(pk=paid.pk).update(paid_at=timezone.now() - timedelta(days=6))
    staff_service.trial_resolve_stuck(
        trial=paid, actor=makers.StaffUserMaker(), name="cancel_with_refund", reason="未发货"
    )
    viewer = makers.BuyerMaker(display_name="小鹿主播")
    shoot(
        live_server,
        {"factory": f"/factories/{product.factory_id}/"},
        Path("/work/shots-failed-to-ship"),
        cookie=login_cookie(viewer.user, live_server),
    )
