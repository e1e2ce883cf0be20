"""Screenshots of the organizations page with an invitation to join (the invitee's view) and the
owner's invite form with a waiting invitation, and the webhooks page in a rotation's grace period
(not a test module: run explicitly with `pytest tests/frontend/shots_invitations.py`; PNGs in
/work/shots-invitations)."""

from pathlib import Path

from partners import invitations, services
from partners.webhooks.services import webhook_create, webhook_rotate_secret
from tests import makers
from tests.frontend.shots import login_cookie, shoot


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    owner = makers.UserMaker(username="mcn_owner")
    org = services.organization_create(actor=owner, name="星河 MCN")
    invitee = makers.UserMaker(username="xiaoli")
    invitations.member_invite(organization=org, actor=owner, username="xiaoli", role="member")
    subscription, _ = webhook_create(
        organization=org, actor=owner, url="https://hooks.example.com/yuantou", event_types=["trial.*"]
    )
    webhook_rotate_secret(subscription=subscription, actor=owner)
    out = Path("/work/shots-invitations")
    shoot(live_server, {"invitee": "/me/organizations/"}, out, cookie=login_cookie(invitee, live_server))
    shoot(
        live_server,
        {"owner": "/me/organizations/", "webhooks": f"/me/organizations/{org.pk}/webhooks/"},
        out,
        cookie=login_cookie(owner, live_server),
    )
