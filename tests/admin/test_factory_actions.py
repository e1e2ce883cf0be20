"""Staff verify / reject / suspend factories through the admin; each goes through the service,
records an audit row with the staff member's address and tells the factory (inbox)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from factories.models import Factory, FactoryTier, VerificationStatus
from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests.makers import FactoryMaker

from .helpers import change_url, run_action, shown_messages, staff_action_url, verbs

pytestmark = pytest.mark.django_db


def test_verify_asks_for_the_tier_first(staff_client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)

    # when
    response = run_action(staff_client, Factory, "verify", [factory], confirm=False)

    # then: the intermediate page, nothing changed yet
    assert response.status_code == 200
    assert response.templates[0].name == "admin/core/action_form.html"
    assert 'name="tier"' in response.content.decode()
    factory.refresh_from_db()
    assert factory.verification_status == VerificationStatus.PENDING
    assert verbs(factory) == []


def test_verify_with_tier(staff_client, staff):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)

    # when
    before = timezone.now()
    response = run_action(
        staff_client,
        Factory,
        "verify",
        [factory],
        tier=FactoryTier.SUPER,
        checks=["business_licence", "video_tour"],
        address="203.0.113.9",
    )

    # then
    assert response.status_code == 200
    assert shown_messages(response) == [f"Verified: {factory.name}."]
    factory.refresh_from_db()
    assert factory.verification_status == VerificationStatus.VERIFIED
    assert factory.tier == FactoryTier.SUPER
    assert factory.verified_at >= before
    assert factory.verification_checks == ["business_licence", "video_tour"]
    assert factory.verification_expires_at == factory.verified_at + timedelta(days=365)
    event = Event.objects.get(verb="factory.verified")
    assert (event.actor, event.target, event.data) == (
        staff,
        factory,
        {
            "from": "pending",
            "to": "verified",
            "reason": "",
            "tier": "super",
            "checks": ["business_licence", "video_tour"],
            "expires_at": factory.verification_expires_at.isoformat(),
            "address": "203.0.113.9",
        },
    )
    notification = Notification.objects.get(recipient=factory.owner)
    assert notification.kind == "factory.verified"
    assert notification.data["expires"] == factory.verification_expires_at.date().isoformat()


def test_verify_without_a_check_shows_the_form_again(staff_client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)

    # when
    response = run_action(staff_client, Factory, "verify", [factory], tier=FactoryTier.STANDARD)

    # then: nothing verified, recorded or sent
    assert response.context["form"].errors == {"checks": ["This field is required."]}
    factory.refresh_from_db()
    assert (factory.verification_status, factory.verified_at) == ("pending", None)
    assert verbs(factory) == []
    assert not Notification.objects.exists()


def test_reject_with_reason(staff_client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)

    # when
    response = run_action(staff_client, Factory, "reject", [factory], reason="营业执照照片模糊")

    # then
    assert shown_messages(response) == [f"Rejected: {factory.name}."]
    factory.refresh_from_db()
    assert (factory.verification_status, factory.status_reason) == ("rejected", "营业执照照片模糊")
    assert verbs(factory) == ["factory.rejected"]
    assert Event.objects.get(verb="factory.rejected").data == {
        "from": "pending",
        "to": "rejected",
        "reason": "营业执照照片模糊",
        "address": "127.0.0.1",
    }
    notification = Notification.objects.get(recipient=factory.owner)
    assert (notification.kind, notification.data["reason"]) == ("factory.rejected", "营业执照照片模糊")


def test_reject_without_reason_shows_the_form_again(staff_client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)

    # when
    response = run_action(staff_client, Factory, "reject", [factory], reason="  ")

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    factory.refresh_from_db()
    assert (factory.verification_status, factory.status_reason) == ("pending", "")
    assert verbs(factory) == []
    assert not Notification.objects.exists()


def test_suspend_with_reason(staff_client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.VERIFIED)

    # when
    response = run_action(staff_client, Factory, "suspend", [factory], reason="多次售假投诉")

    # then
    assert shown_messages(response) == [f"Suspended: {factory.name}."]
    factory.refresh_from_db()
    assert (factory.verification_status, factory.status_reason) == ("suspended", "多次售假投诉")
    assert verbs(factory) == ["factory.suspended"]
    notification = Notification.objects.get(recipient=factory.owner)
    assert (notification.kind, notification.data["reason"]) == ("factory.suspended", "多次售假投诉")


def test_verifying_a_verified_factory_renews_it_and_lifts_a_lapse(staff_client):
    # given: a verification that lapsed, its super tier taken
    old = timezone.now() - timedelta(days=400)
    factory = FactoryMaker(
        verification_status=VerificationStatus.VERIFIED,
        verified_at=old,
        verification_expires_at=old + timedelta(days=365),
        verification_reminded_at=old + timedelta(days=335),
        verification_lapsed_at=old + timedelta(days=365),
    )

    # when
    run_action(staff_client, Factory, "verify", [factory], tier=FactoryTier.SUPER, checks=["site_visit"])

    # then
    factory.refresh_from_db()
    assert factory.verification_current
    assert (factory.tier, factory.verification_checks) == ("super", ["site_visit"])
    assert factory.verification_expires_at == factory.verified_at + timedelta(days=365)
    assert (factory.verification_reminded_at, factory.verification_lapsed_at) == (None, None)
    assert Event.objects.get(verb="factory.verified").data["from"] == "verified"


@pytest.mark.parametrize(
    ("action", "status", "form", "message"),
    [
        ("reject", "verified", {"reason": "x"}, "Cannot reject: it is verified."),
        ("reject", "suspended", {"reason": "x"}, "Cannot reject: it is suspended."),
        ("suspend", "pending", {"reason": "x"}, "Cannot suspend: it is pending verification."),
        ("suspend", "rejected", {"reason": "x"}, "Cannot suspend: it is rejected."),
    ],
)
def test_wrong_state_is_refused_with_a_visible_message(staff_client, action, status, form, message):
    # given
    factory = FactoryMaker(verification_status=status, tier=FactoryTier.STANDARD)
    events_before = Event.objects.count()

    # when
    response = run_action(staff_client, Factory, action, [factory], **form)

    # then
    assert shown_messages(response) == [f"{factory.name}: {message}"]
    assert f"{factory.name}: {message}" in response.content.decode()
    factory.refresh_from_db()
    assert (factory.verification_status, factory.status_reason) == (status, "")
    assert Event.objects.count() == events_before
    assert not Notification.objects.exists()


def test_mixed_selection_applies_where_allowed(staff_client):
    # given
    pending = FactoryMaker(verification_status=VerificationStatus.PENDING)
    verified = FactoryMaker(verification_status=VerificationStatus.VERIFIED)

    # when
    response = run_action(staff_client, Factory, "reject", [pending, verified], reason="资料不全")

    # then
    assert shown_messages(response) == [
        f"Rejected: {pending.name}.",
        f"{verified.name}: Cannot reject: it is verified.",
    ]
    assert Factory.objects.get(pk=pending.pk).verification_status == "rejected"
    assert Factory.objects.get(pk=verified.pk).verification_status == "verified"


def test_change_page_offers_the_actions_of_the_current_state(staff_client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.VERIFIED)

    # when
    response = staff_client.get(change_url(factory))

    # then
    assert response.status_code == 200
    # verifying again renews the verification
    assert [a["url"] for a in response.context["staff_actions"]] == [
        staff_action_url(factory, "verify"),
        staff_action_url(factory, "suspend"),
    ]
    assert f'<a href="{staff_action_url(factory, "suspend")}">Suspend</a>' in response.content.decode()


def test_reject_from_the_change_page_button(staff_client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)
    url = staff_action_url(factory, "reject")

    # when
    page = staff_client.get(url)
    response = staff_client.post(url, {"apply": "yes", "reason": "信用代码与执照不符"}, follow=True)

    # then
    assert page.status_code == 200
    assert response.redirect_chain == [(change_url(factory), 302)]
    assert shown_messages(response) == [f"Rejected: {factory.name}."]
    factory.refresh_from_db()
    assert (factory.verification_status, factory.status_reason) == ("rejected", "信用代码与执照不符")
    # the history on the change page shows the decision
    assert "factory.rejected" in response.content.decode()


def test_status_fields_are_read_only_in_the_change_form(staff_client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)

    # when
    response = staff_client.get(change_url(factory))

    # then
    form_fields = set(response.context["adminform"].form.fields)
    assert not form_fields & {"verification_status", "tier", "status_reason", "verified_at", "response_rate"}
    assert "name" in form_fields


def test_pages_render_in_chinese(staff, client):
    # given
    factory = FactoryMaker(verification_status=VerificationStatus.PENDING)
    client.force_login(staff)

    # when
    changelist = client.get("/admin/factories/factory/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    change = client.get(change_url(factory), HTTP_ACCEPT_LANGUAGE="zh-hans")
    action = client.get(staff_action_url(factory, "reject"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    # then
    assert (changelist.status_code, change.status_code, action.status_code) == (200, 200, 200)
    assert changelist["Content-Language"] == "zh-hans"
