"""An organization member acts for its streamers on the pages (issue 12, point 1): the header's
switcher, the banner, the streamer's deals on the workspace pages, writes recorded with the
member (as on the API), the choice ending the moment the link or the membership does, and no way
to act for anyone else by tampering with the session or the form."""

import pytest

from frontend.acting import SESSION_KEY
from marketplace.core.events import events_for
from marketplace.notifications.services import notification_create
from partners import invitations, services
from partners.models import StreamerLink
from tests import makers
from tests.frontend.helpers import html, messages_of
from trials.models import SampleRequest, TrialOrder
from trials.services import samples, trials

pytestmark = pytest.mark.django_db

SWITCHER = 'class="acting-switch"'
BANNER = 'class="acting-banner"'


def _join(organization, owner, user):
    invitation = invitations.member_invite(
        organization=organization, actor=owner, username=user.username, role="member"
    )
    invitations.invitation_accept(invitation_id=invitation.pk, actor=user)


def _link(organization, owner, buyer):
    link = services.streamer_invite(organization_id=organization.pk, actor=owner, buyer_id=buyer.pk)
    services.link_accept(link=link, actor=buyer.user)
    return link


@pytest.fixture
def owner(db):
    return makers.UserMaker(username="mcn_owner")


@pytest.fixture
def organization(owner):
    return services.organization_create(actor=owner, name="星河 MCN")


@pytest.fixture(params=["no profile", "own profile"])
def member(request, organization, owner):
    """An agency's person, a member of the organization: with no streamer profile of their own
    (agency staff), or streaming too."""
    user = makers.UserMaker(username="mcn_helper")
    if request.param == "own profile":
        makers.BuyerMaker(user=user, display_name="成员自己")
    _join(organization, owner, user)
    return user


def _closed(response, member) -> bool:
    """The member's own workspace answering a deal that is not theirs: 404, or for someone with
    no profile of their own, the first-run page before any deal is read."""
    if hasattr(member, "buyer_profile"):
        return response.status_code == 404
    return response.status_code == 302 and response["Location"].startswith("/welcome/")


@pytest.fixture
def streamer(organization, owner):
    buyer = makers.BuyerMaker(display_name="小鹿主播")
    _link(organization, owner, buyer)
    return buyer


@pytest.fixture
def elsewhere(db):
    """A streamer of another organization, which the member is not in."""
    other_owner = makers.UserMaker(username="other_owner")
    other = services.organization_create(actor=other_owner, name="别家 MCN")
    buyer = makers.BuyerMaker(display_name="别家主播")
    _link(other, other_owner, buyer)
    return buyer


def _notice(user, trial_id: int, title: str):
    data = {
        "ref": f"T{trial_id:06d}",
        "trial_id": trial_id,
        "title": title,
        "factory": "厂",
        "total": "¥1.00",
    }
    notification_create(recipient=user, kind="trial.accepted", key=f"trial:{trial_id}:accept", data=data)


def _switch(web, streamer):
    return web.post("/me/acting/", {"streamer": streamer.pk if streamer else ""}, follow=True)


def test_a_member_switches_to_a_streamer_and_back(web, member, streamer):
    # given: the member's header offers the organization's streamer
    before = html(web.as_user(member).get("/me/organizations/"))
    assert SWITCHER in before and BANNER not in before
    assert f'<option value="{streamer.pk}">小鹿主播</option>' in before
    # when
    switched = _switch(web, streamer)
    # then: the dashboard, acting for them, says so in a banner
    page = html(switched)
    assert switched.redirect_chain == [("/me/", 302)]
    assert messages_of(switched) == ["You now act for 小鹿主播: these pages show and change their deals."]
    assert BANNER in page
    assert "You are acting for <strong>小鹿主播</strong>" in page
    assert f'<option value="{streamer.pk}" selected>小鹿主播</option>' in page
    assert "Signed in as mcn_helper (Streamer)" in page
    assert "Their record, as factories see it" in page
    assert web.session[SESSION_KEY] == {"member": member.pk, "buyer": streamer.pk, "name": "小鹿主播"}
    # when: back to themselves (with no profile of their own: the organizations page)
    back = _switch(web, None)
    # then
    own_page = "/me/" if hasattr(member, "buyer_profile") else "/me/organizations/"
    assert back.redirect_chain == [(own_page, 302)]
    assert messages_of(back) == ["You act as yourself again."]
    assert BANNER not in html(back)
    assert SESSION_KEY not in web.session


def test_every_page_shows_the_banner_while_acting(web, member, streamer, product):
    web.as_user(member)
    _switch(web, streamer)
    for path in ["/", f"/products/{product.pk}/", "/search/?q=x", "/me/notifications/", "/me/organizations/"]:
        page = html(web.get(path))
        assert "You are acting for <strong>小鹿主播</strong>" in page, path
        assert "Back to my own account" in page, path


def test_acting_pages_show_the_streamers_deals_and_own_pages_stay_the_members(
    web, member, streamer, elsewhere, product
):
    # given: a trial and a sample of the streamer, a trial of another organization's streamer,
    # and a notice in the member's own inbox
    trial = trials.trial_create(actor=streamer.user, product_id=product.pk, quantity=5)
    sample = samples.sample_create(actor=streamer.user, product_id=product.pk)
    other_trial = trials.trial_create(actor=elsewhere.user, product_id=product.pk, quantity=5)
    _notice(member, 11, "给成员的通知")
    _notice(streamer.user, 12, "给主播的通知")
    web.as_user(member)
    assert _closed(web.get(f"/me/trials/{trial.pk}/"), member)  # not before acting
    # when
    _switch(web, streamer)
    # then: the workspace is the streamer's
    trial_list = html(web.get("/me/trials/"))
    assert f"/me/trials/{trial.pk}/" in trial_list and f"/me/trials/{other_trial.pk}/" not in trial_list
    assert web.get(f"/me/trials/{trial.pk}/").status_code == 200
    assert web.get(f"/me/trials/{other_trial.pk}/").status_code == 404
    assert f"/me/samples/{sample.pk}/" in html(web.get("/me/samples/"))
    assert web.get(f"/me/samples/{sample.pk}/").status_code == 200
    assert f"/me/trials/{trial.pk}/" in html(web.get("/me/"))
    address = streamer.user.addresses.get()
    assert f'<option value="{address.pk}" selected>' in html(web.get(f"/products/{product.pk}/"))
    assert f"/me/addresses/{address.pk}/edit/" in html(web.get("/me/addresses/"))
    # and the member's own inbox stays theirs
    inbox = html(web.get("/me/notifications/"))
    assert "给成员的通知" in inbox and "给主播的通知" not in inbox


def test_a_write_while_acting_is_the_streamers_and_records_the_member(web, member, streamer, product):
    web.as_user(member)
    _switch(web, streamer)
    address = streamer.user.addresses.get()
    # when: a trial requested from the product page, then cancelled on its page
    requested = web.post(
        f"/products/{product.pk}/trial/", {"quantity": 5, "address": address.pk}, follow=True
    )
    trial = TrialOrder.objects.get()
    cancelled = web.post(f"/me/trials/{trial.pk}/cancel/", follow=True)
    # then: the streamer's trial, to the streamer's address; both rows name the member
    assert messages_of(requested) == ["Trial requested. The factory has 72 hours to answer."]
    assert messages_of(cancelled) == ["Trial cancelled."]
    assert trial.buyer == streamer
    assert trial.shipping_address["recipient"] == "林小鹿"
    rows = list(events_for(trial).order_by("pk"))
    assert [(e.verb, e.actor, e.data.get("member")) for e in rows] == [
        ("trial.requested", streamer.user, {"id": member.pk, "name": "mcn_helper"}),
        ("trial.cancelled", streamer.user, {"id": member.pk, "name": "mcn_helper"}),
    ]
    assert "mcn_helper for 小鹿主播" in html(cancelled)


def test_the_streamers_own_write_names_no_member(web, member, streamer, product):
    # given: the member acts for the streamer in their own session
    web.as_user(member)
    _switch(web, streamer)
    # when: the streamer, signed in elsewhere, asks for a sample
    from tests.frontend.conftest import Browser

    own = Browser().as_user(streamer.user)
    own.post(f"/products/{product.pk}/sample/", {"note": "", "address": streamer.user.addresses.get().pk})
    # then
    (row,) = events_for(SampleRequest.objects.get())
    assert row.actor == streamer.user and "member" not in row.data


@pytest.mark.parametrize("how", ["streamer leaves", "member removed"])
def test_the_choice_ends_at_once_when_the_link_or_membership_does(
    web, member, streamer, product, organization, owner, how
):
    # given: the member acts for the streamer, who has a trial
    trial = trials.trial_create(actor=streamer.user, product_id=product.pk, quantity=5)
    web.as_user(member)
    _switch(web, streamer)
    assert web.get(f"/me/trials/{trial.pk}/").status_code == 200
    # when
    if how == "streamer leaves":
        services.link_end(link=StreamerLink.objects.get(buyer=streamer), actor=streamer.user)
    else:
        services.member_remove(organization=organization, actor=owner, user_id=member.pk)
    # then: the streamer's deal is closed at once, and the page says why the workspace changed
    gone = web.get(f"/me/trials/{trial.pk}/")
    assert _closed(gone, member)
    shown = gone if gone.status_code == 404 else web.get(gone["Location"])
    assert (
        "You no longer act for 小鹿主播: they are not a streamer of your organizations any more. "
        "You are back on your own account."
    ) in html(shown)
    assert SESSION_KEY not in web.session
    # and nothing of theirs is shown or written after that
    assert _closed(web.post(f"/me/trials/{trial.pk}/cancel/"), member)
    assert TrialOrder.objects.get().status == "requested"
    page = web.get("/me/organizations/")
    assert messages_of(page) == []
    assert BANNER not in html(page) and SWITCHER not in html(page)
    assert "小鹿主播" not in html(web.get("/me/trials/", follow=True))


def test_a_member_cannot_choose_a_streamer_of_another_organization(web, member, streamer, elsewhere):
    web.as_user(member)
    _switch(web, streamer)
    # when: the switcher's form names another organization's streamer, or junk
    for value in [elsewhere.pk, "abc", "-1", "9" * 30]:
        refused = web.post("/me/acting/", {"streamer": value, "next": "/me/trials/"}, follow=True)
        # then: refused, and the member still acts for their own organization's streamer
        assert refused.redirect_chain == [("/me/trials/", 302)]
        assert messages_of(refused) == ["You can act only for the streamers of your organizations."]
        assert web.session[SESSION_KEY]["buyer"] == streamer.pk


def test_a_tampered_session_acts_for_nobody(web, member, elsewhere, product):
    # given: a session naming another organization's streamer (the member's own id, or another
    # member's), as if it had been forged
    other_trial = trials.trial_create(actor=elsewhere.user, product_id=product.pk, quantity=5)
    web.as_user(member)
    for forged in [
        {"member": member.pk, "buyer": elsewhere.pk, "name": "别家主播"},
        {"member": elsewhere.user.pk, "buyer": elsewhere.pk, "name": "别家主播"},
        {"member": str(member.pk), "buyer": str(elsewhere.pk), "name": "别家主播"},
        "garbage",
    ]:
        session = web.session
        session[SESSION_KEY] = forged
        session.save()
        # when
        detail = web.get(f"/me/trials/{other_trial.pk}/")
        cancel = web.post(f"/me/trials/{other_trial.pk}/cancel/")
        # then
        assert _closed(detail, member) and _closed(cancel, member), forged
        assert SESSION_KEY not in web.session
    assert TrialOrder.objects.get().status == "requested"
    assert [e.verb for e in events_for(other_trial)] == ["trial.requested"]


def test_people_of_no_organization_see_no_switcher(web, buyer, factory, owner, organization):
    # a streamer, a factory, and an organization's owner whose organization works for nobody yet
    for user in [buyer.user, factory.owner, owner]:
        page = html(web.as_user(user).get("/me/organizations/" if user == owner else "/me/"))
        assert SWITCHER not in page and BANNER not in page, user
    # a streamer cannot act for anyone: the form is refused and nothing stored
    refused = web.as_user(buyer.user).post("/me/acting/", {"streamer": buyer.pk}, follow=True)
    assert messages_of(refused) == ["You can act only for the streamers of your organizations."]
    assert SESSION_KEY not in web.session


def test_a_member_who_is_a_streamer_too_is_not_offered_themselves(web, organization, owner, streamer):
    # given: a streamer of the organization who is also its member
    _join(organization, owner, streamer.user)
    other = makers.BuyerMaker(display_name="另一位主播")
    _link(organization, owner, other)
    # when
    page = html(web.as_user(streamer.user).get("/me/"))
    refused = web.post("/me/acting/", {"streamer": streamer.pk}, follow=True)
    # then
    assert f'<option value="{other.pk}">另一位主播</option>' in page
    assert f'<option value="{streamer.pk}">' not in page
    assert messages_of(refused) == ["You can act only for the streamers of your organizations."]


def test_the_switcher_and_banner_speak_chinese(web_zh, member, streamer):
    web_zh.as_user(member)
    switched = _switch(web_zh, streamer)
    page = html(switched)
    assert messages_of(switched) == ["你正在代 小鹿主播 操作：这些页面显示并更改对方的交易。"]
    assert "你正在代 <strong>小鹿主播</strong> 操作" in page
    assert "回到我自己的账号" in page
    assert "代谁操作" in page


def test_a_form_left_open_from_before_a_switch_is_refused(member, streamer, organization, owner, product):
    """Tab 1 shows the product page while acting for one streamer; tab 2 switches to another;
    tab 1's form must not order for the second one."""
    from tests.frontend.conftest import Browser

    web = Browser(enforce_csrf_checks=True).as_user(member)
    second = makers.BuyerMaker(display_name="第二位主播")
    _link(organization, owner, second)
    token = _csrf(web, "/me/organizations/")
    web.post("/me/acting/", {"streamer": streamer.pk, "csrfmiddlewaretoken": token})
    stale = _csrf(web, f"/products/{product.pk}/")
    web.post("/me/acting/", {"streamer": second.pk, "csrfmiddlewaretoken": _csrf(web, "/me/")})
    # when: the form of before the switch is sent
    response = web.post(f"/products/{product.pk}/trial/", {"quantity": 5, "csrfmiddlewaretoken": stale})
    # then: refused, nothing ordered for anyone; a form of the page as it is now goes through
    assert response.status_code == 403
    assert TrialOrder.objects.count() == 0
    fresh = _csrf(web, f"/products/{product.pk}/")
    web.post(f"/products/{product.pk}/trial/", {"quantity": 5, "csrfmiddlewaretoken": fresh})
    assert TrialOrder.objects.get().buyer == second


def _csrf(web, path: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(web.get(path))).group(1)


def test_a_form_sent_just_after_the_streamer_left_is_not_done_as_the_member(web, member, streamer, product):
    # given: the member acts for the streamer, then the streamer leaves the organization
    web.as_user(member)
    _switch(web, streamer)
    services.link_end(link=StreamerLink.objects.get(buyer=streamer), actor=streamer.user)
    # when: the trial form of the product page shown before is sent
    response = web.post(f"/products/{product.pk}/trial/", {"quantity": 5}, follow=True)
    # then: nothing ordered, for the streamer or in the member's own name; the message says why
    assert TrialOrder.objects.count() == 0
    assert response.redirect_chain[0] == ("/me/", 302)
    assert (
        "You no longer act for 小鹿主播: they are not a streamer of your organizations any more. "
        "You are back on your own account."
    ) in html(response)


def test_the_streamers_conversations_and_custom_requests_while_acting(web, member, streamer, factory):
    from conversations import services as conversations
    from tests.frontend.test_custom_pages import request_to

    # given: the streamer's conversation with a factory and their custom request to it
    talk = conversations.conversation_start(actor=streamer.user, buyer=streamer, factory=factory)
    conversations.message_post(conversation=talk, actor=factory.owner, body="您好，样品已备好")
    req = request_to(factory, streamer)
    web.as_user(member)
    assert _closed(web.get(f"/me/conversations/{talk.pk}/"), member)
    # when
    _switch(web, streamer)
    # then
    assert f"/me/conversations/{talk.pk}/" in html(web.get("/me/conversations/"))
    assert "您好，样品已备好" in html(web.get(f"/me/conversations/{talk.pk}/"))
    assert f"/me/custom/{req.pk}/" in html(web.get("/me/custom/"))
    assert web.get(f"/me/custom/{req.pk}/").status_code == 200
    # a message written while acting is the streamer's
    web.post(f"/me/conversations/{talk.pk}/messages/", {"body": "收到，谢谢"})
    assert talk.messages.order_by("-pk").first().author == streamer.user
