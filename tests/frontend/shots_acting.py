"""Screenshots of an organization member's "acting for" switcher in the header (before acting)
and the banner while acting for a streamer: the dashboard, the trial list and a trial page (not a
test module: run explicitly with `pytest tests/frontend/shots_acting.py`; PNGs in
/work/shots-acting)."""

from pathlib import Path

from django.test import Client

from partners import invitations, services
from tests import makers
from tests.frontend.shots import login_cookie, shoot
from trials.services import trials


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    owner = makers.UserMaker(username="mcn_owner")
    org = services.organization_create(actor=owner, name="星河 MCN")
    member = makers.UserMaker(username="xiaoli_mcn")
    invitation = invitations.member_invite(
        organization=org, actor=owner, username="xiaoli_mcn", role="member"
    )
    invitations.invitation_accept(invitation_id=invitation.pk, actor=member)
    streamers = [makers.BuyerMaker(display_name=name) for name in ["小鹿主播", "阿强好物推荐官"]]
    for buyer in streamers:
        link = services.streamer_invite(organization_id=org.pk, actor=owner, buyer_id=buyer.pk)
        services.link_accept(link=link, actor=buyer.user)
    product = makers.ProductMaker(title="桌面收纳盒")
    trial = trials.trial_create(actor=streamers[0].user, product_id=product.pk, quantity=5)
    out = Path("/work/shots-acting")
    shoot(live_server, {"switcher": "/me/organizations/"}, out, cookie=login_cookie(member, live_server))
    client = Client()
    client.force_login(member)
    client.post("/me/acting/", {"streamer": streamers[0].pk})
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    shoot(
        live_server,
        {
            "acting-dashboard": "/me/",
            "acting-trials": "/me/trials/",
            "acting-trial": f"/me/trials/{trial.pk}/",
            "acting-product": f"/products/{product.pk}/",
        },
        out,
        cookie=cookie,
    )
