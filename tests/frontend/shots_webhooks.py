"""Screenshots of an organization's webhooks page with a subscription and its delivery log (not a
test module: run explicitly with `pytest tests/frontend/shots_webhooks.py`; PNGs in
/work/shots-webhooks)."""

from pathlib import Path

from partners import services
from partners.models import DeliveryStatus, WebhookDelivery
from partners.webhooks.services import webhook_create
from tests import makers
from tests.frontend.shots import login_cookie, shoot


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    owner = makers.UserMaker(username="mcn_owner")
    org = services.organization_create(actor=owner, name="星河 MCN")
    subscription, _secret = webhook_create(
        organization=org,
        actor=owner,
        url="https://hooks.example.com/yuantou",
        event_types=["trial.*", "sample.*"],
    )
    for n, (status, code, error) in enumerate(
        [(DeliveryStatus.SUCCEEDED, 200, ""), (DeliveryStatus.PENDING, None, "ConnectionError: refused")]
    ):
        WebhookDelivery.objects.create(
            subscription=subscription,
            event_id=f"8b0c9c1e-1c1a-4c33-9a57-3f1f3c1a000{n}",
            event_type="trial.accepted",
            object_key=f"trial:{12 + n}",
            payload={},
            status=status,
            attempts=n + 1,
            last_status_code=code,
            last_error=error,
        )
    shoot(
        live_server,
        {"webhooks": f"/me/organizations/{org.pk}/webhooks/"},
        Path("/work/shots-webhooks"),
        cookie=login_cookie(owner, live_server),
    )
