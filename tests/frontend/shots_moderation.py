"""Screenshots of the staff moderation dashboard and of a factory page with its verification's
date, checks and expiry (not a test module: run explicitly with
`pytest tests/frontend/shots_moderation.py`; PNGs in /work/shots-moderation)."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from factories.models import Factory, ProductReport, VerificationStatus
from tests import makers
from tests.frontend.shots import login_cookie, shoot


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    now = timezone.now()
    for name in ["义乌市好物收纳用品厂", "金华市明亮灯具厂"]:
        waiting = makers.FactoryMaker(name=name, verification_status=VerificationStatus.PENDING)
        Factory.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(days=4))
    makers.ProductMaker(title="硅胶折叠收纳盒 三件套", status="pending_review")
    live = makers.ProductMaker(title="无线蓝牙耳机 降噪款")
    ProductReport.objects.create(product=live, reporter=makers.UserMaker(), reason="counterfeit")
    verified = makers.FactoryMaker(
        name="永康市精工不锈钢制品厂",
        verified_at=now - timedelta(days=340),
        verification_checks=["business_licence", "site_visit"],
        verification_expires_at=now + timedelta(days=25),
    )
    shoot(
        live_server,
        {"dashboard": "/admin/moderation/"},
        Path("/work/shots-moderation"),
        cookie=login_cookie(makers.StaffUserMaker(is_staff=True), live_server),
    )
    shoot(live_server, {"factory": f"/factories/{verified.pk}/"}, Path("/work/shots-moderation"))
