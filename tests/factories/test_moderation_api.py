"""Staff verification of factories: verify (with tier), reject, suspend."""

from datetime import timedelta

import pytest

from factories.models import Factory, Product
from marketplace.core.models import Event
from tests import makers
from tests.factories.support import snapshot, verbs

pytestmark = pytest.mark.django_db


# --- factory verification --------------------------------------------------------------------------


def test_staff_verifies_a_pending_factory_as_super_and_it_becomes_public(api, staff):
    # given
    factory = makers.FactoryMaker(verification_status="pending")
    product = makers.ProductMaker(factory=factory)
    assert api.get(f"/api/v1/products/{product.id}/").status_code == 404
    # when
    response = api.as_user(staff).post(
        f"/api/v1/factories/{factory.id}/verify/",
        {"tier": "super", "checks": ["site_visit", "business_licence"]},
        content_type="application/json",
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["verification_status"], body["tier"], body["status_reason"]) == ("verified", "super", "")
    assert body["verified_at"] is not None
    assert body["verification_checks"] == ["business_licence", "site_visit"]
    assert body["verification_current"] is True
    factory.refresh_from_db()
    assert factory.verification_expires_at == factory.verified_at + timedelta(days=365)
    event = Event.objects.get()
    assert (event.verb, event.actor, event.data) == (
        "factory.verified",
        staff,
        {
            "from": "pending",
            "to": "verified",
            "reason": "",
            "tier": "super",
            "checks": ["business_licence", "site_visit"],
            "expires_at": factory.verification_expires_at.isoformat(),
            "address": "127.0.0.1",  # a staff action through the API carries the client address
        },
    )
    api.as_user(None)
    assert api.get(f"/api/v1/factories/{factory.id}/").status_code == 200
    assert api.get(f"/api/v1/products/{product.id}/").status_code == 200


def test_verify_keeps_tier_when_none_given(api, staff):
    factory = makers.FactoryMaker(verification_status="pending", tier="super")
    response = api.as_user(staff).post(f"/api/v1/factories/{factory.id}/verify/", {})
    assert (response.json()["verification_status"], response.json()["tier"]) == ("verified", "super")


def test_verify_refuses_unknown_tier(api, staff):
    factory = makers.FactoryMaker(verification_status="pending")
    before = snapshot(factory)
    response = api.as_user(staff).post(f"/api/v1/factories/{factory.id}/verify/", {"tier": "gold"})
    assert (response.status_code, response.json()) == (400, {"tier": ['"gold" is not a valid choice.']})
    assert snapshot(factory) == before


def test_staff_rejects_with_a_reason_and_the_factory_stays_hidden(api, staff):
    # given
    factory = makers.FactoryMaker(verification_status="pending")
    # when
    response = api.as_user(staff).post(
        f"/api/v1/factories/{factory.id}/reject/", {"reason": " 营业执照模糊 "}
    )
    # then
    assert response.status_code == 200
    assert (response.json()["verification_status"], response.json()["status_reason"]) == (
        "rejected",
        "营业执照模糊",
    )
    assert Event.objects.get().data == {
        "from": "pending",
        "to": "rejected",
        "reason": "营业执照模糊",
        "address": "127.0.0.1",
    }
    assert api.as_user(None).get(f"/api/v1/factories/{factory.id}/").status_code == 404


@pytest.mark.parametrize("action", ["reject", "suspend"])
@pytest.mark.parametrize("body", [{}, {"reason": "   "}])
def test_reject_and_suspend_need_a_reason(api, staff, action, body):
    factory = makers.FactoryMaker(verification_status="pending" if action == "reject" else "verified")
    before = snapshot(factory)
    response = api.as_user(staff).post(f"/api/v1/factories/{factory.id}/{action}/", body)
    assert (response.status_code, response.json()) == (
        400,
        {"reason": ["Give a reason; the factory will read it."]},
    )
    assert snapshot(factory) == before
    assert Event.objects.count() == 0


def test_suspending_a_factory_hides_it_and_all_its_products(api, staff):
    # given
    factory = makers.FactoryMaker()
    products = makers.ProductMaker.create_batch(2, factory=factory)
    Product.objects.update(search_index_dirty=False)
    # when
    response = api.as_user(staff).post(f"/api/v1/factories/{factory.id}/suspend/", {"reason": "售假"})
    # then
    assert (response.status_code, response.json()["verification_status"]) == (200, "suspended")
    assert verbs() == ["factory.suspended"]
    api.as_user(None)
    assert api.get(f"/api/v1/factories/{factory.id}/").status_code == 404
    assert api.get("/api/v1/products/").json()["count"] == 0
    for p in products:
        assert api.get(f"/api/v1/products/{p.id}/").status_code == 404
    # the owner still sees their own listings (to fix them)
    assert api.as_user(factory.owner).get("/api/v1/products/").json()["count"] == 2


def test_suspended_factory_can_be_verified_again(api, staff):
    factory = makers.FactoryMaker(verification_status="suspended", status_reason="售假")
    response = api.as_user(staff).post(f"/api/v1/factories/{factory.id}/verify/")
    assert (response.json()["verification_status"], response.json()["status_reason"]) == ("verified", "")


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        ("verified", "reject", "Cannot reject: it is verified."),
        ("rejected", "reject", "Cannot reject: it is rejected."),
        ("pending", "suspend", "Cannot suspend: it is pending verification."),
        ("suspended", "suspend", "Cannot suspend: it is suspended."),
        ("suspended", "reject", "Cannot reject: it is suspended."),
    ],
)
def test_refused_factory_transition_is_409_and_changes_nothing(api, staff, status, action, message):
    factory = makers.FactoryMaker(verification_status=status)
    before = snapshot(factory)
    response = api.as_user(staff).post(f"/api/v1/factories/{factory.id}/{action}/", {"reason": "x"})
    assert (response.status_code, response.json()) == (409, {"detail": message})
    assert snapshot(factory) == before
    assert Event.objects.count() == 0


@pytest.mark.parametrize("action", ["verify", "reject", "suspend"])
@pytest.mark.parametrize(
    ("who", "status", "body"),
    [
        ("anonymous", 401, {"detail": "Authentication credentials were not provided."}),
        ("owner", 403, {"detail": "Only staff can do this."}),
        ("other_factory", 403, {"detail": "Only staff can do this."}),
        ("buyer", 403, {"detail": "Only staff can do this."}),
    ],
)
def test_only_staff_moderate_factories(api, action, who, status, body):
    factory = makers.FactoryMaker(verification_status="pending")
    user = {
        "anonymous": None,
        "owner": factory.owner,
        "other_factory": makers.FactoryMaker().owner,
        "buyer": makers.UserMaker(),
    }[who]
    response = api.as_user(user).post(f"/api/v1/factories/{factory.id}/{action}/", {"reason": "x"})
    assert (response.status_code, response.json()) == (status, body)
    assert Factory.objects.get(pk=factory.pk).verification_status == "pending"


def test_moderating_a_missing_factory_is_404(api, staff):
    assert api.as_user(staff).post("/api/v1/factories/999999/verify/").status_code == 404


def test_verify_refuses_an_unknown_check_and_changes_nothing(api, staff):
    factory = makers.FactoryMaker(verification_status="pending")
    response = api.as_user(staff).post(
        f"/api/v1/factories/{factory.id}/verify/", {"checks": ["phone_call"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["checks"]
    factory.refresh_from_db()
    assert (factory.verification_status, factory.verified_at, factory.verification_expires_at) == (
        "pending",
        None,
        None,
    )
    assert not Event.objects.exists()
