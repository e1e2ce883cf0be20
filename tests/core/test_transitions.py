"""The one transition engine (marketplace/core/transitions.py): what the API's `actions`, the
pages' buttons and the admin's staff actions offer is what `allowed_actions` says, for every
flow that has all three; the catalog's review flows refuse through it like the trials flows;
notifications reach it only through the hook the notifications app registers."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from factories.flows import FACTORY_TABLE, PRODUCT_TABLE
from factories.models import Product, ProductStatus, VerificationStatus
from factories.services import product_approve, product_submit
from frontend.views.bulk import ACTIONS
from marketplace.core import transitions
from marketplace.core.errors import NotAllowed, TransitionNotAllowed
from marketplace.core.models import Event
from marketplace.core.transitions import allowed_actions
from marketplace.notifications.models import Notification
from tests import makers
from tests.trials.conftest import BULK_PATHS, bulk_at
from trials.admin import BulkOrderAdmin
from trials.flows import bulk as bulk_flow

pytestmark = pytest.mark.django_db


def _client(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _admin_buttons(staff, obj) -> list[str]:
    """The staff-action names the admin change page offers for `obj`."""
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    response = _client(staff).get(url)
    assert response.status_code == 200
    return [b["url"].rstrip("/").rsplit("/", 1)[1] for b in response.context["staff_actions"]]


def _page_buttons(user, order) -> list[str]:
    page = _client(user).get(f"/me/bulk-orders/{order.pk}/").content.decode()
    return sorted(re.findall(r'class="action-([a-z_]+)"', page))


@pytest.mark.parametrize("status", sorted(BULK_PATHS))
def test_api_page_and_admin_offer_what_allowed_actions_says_for_a_bulk_order(staff, status):
    # given
    factory = makers.FactoryMaker(max_trial_quantity=50, trial_days=30)
    product = makers.ProductMaker(factory=factory, factory_price=Decimal("12.35"), moq=100)
    order = bulk_at(status, product=product, buyer=makers.BuyerMaker())
    for user in (order.buyer.user, order.factory.owner):
        expected = allowed_actions(bulk_flow.TABLE, order, user)
        # when / then: the API's `actions`, and the page's buttons (those the page has)
        api = _client(user).get(f"/api/v1/bulk-orders/{order.pk}/")
        assert api.json()["actions"] == expected
        assert _page_buttons(user, order) == sorted(n for n in expected if n in ACTIONS)
    # and the admin's staff actions, for staff
    staff_may = allowed_actions(bulk_flow.TABLE, order, staff)
    offered = [a.name for a in BulkOrderAdmin.staff_actions if a.name in staff_may]
    assert _admin_buttons(staff, order) == offered


@pytest.mark.parametrize("status", VerificationStatus.values)
def test_admin_offers_the_verification_steps_allowed_actions_says(staff, status):
    factory = makers.FactoryMaker(verification_status=status)
    may = allowed_actions(FACTORY_TABLE, factory, staff)
    assert _admin_buttons(staff, factory) == [n for n in ("verify", "reject", "suspend") if n in may]


@pytest.mark.parametrize("status", ProductStatus.values)
def test_admin_and_the_product_page_offer_the_review_steps_allowed_actions_says(staff, status):
    # given
    product = makers.ProductMaker(status=status)
    owner = product.factory.owner
    # when
    page = _client(owner).get(f"/me/products/{product.pk}/")
    # then: the admin's buttons for staff, the delist link for the factory
    may = allowed_actions(PRODUCT_TABLE, product, staff)
    assert _admin_buttons(staff, product) == [n for n in ("approve", "reject", "delist") if n in may]
    assert page.context["delistable"] == ("delist" in allowed_actions(PRODUCT_TABLE, product, owner))


def test_the_catalog_flows_refuse_a_wrong_actor_and_state_like_every_flow(staff):
    # given
    product = makers.ProductMaker(status=ProductStatus.ACTIVE)
    # when / then: the same errors as the trials flows (403 / 409 through the API)
    with pytest.raises(NotAllowed) as wrong_actor:
        product_approve(product=product, actor=product.factory.owner)
    assert wrong_actor.value.message == "You are not allowed to approve this."
    with pytest.raises(TransitionNotAllowed) as wrong_state:
        product_approve(product=product, actor=staff)
    assert wrong_state.value.message == "Cannot approve: it is active."
    assert not Event.objects.exists()


def test_a_refused_factory_transition_over_the_api_is_409_json(api, staff):
    factory = makers.FactoryMaker(verification_status=VerificationStatus.REJECTED)
    response = api.as_user(staff).post(f"/api/v1/factories/{factory.pk}/suspend/", {"reason": "假货"})
    assert (response.status_code, response.json()) == (409, {"detail": "Cannot suspend: it is rejected."})


def test_a_staff_decision_tells_the_factory_through_the_registered_hook(staff):
    # given
    product = makers.ProductMaker(status=ProductStatus.PENDING_REVIEW)
    # when
    product_approve(product=product, actor=staff)
    # then
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.data) == (
        product.factory.owner,
        "product.approved",
        {"ref": f"P{product.pk:06d}", "title": product.title, "product_id": product.pk, "reason": ""},
    )


def test_without_a_registered_notifier_a_transition_that_notifies_refuses_and_writes_nothing(
    staff, monkeypatch
):
    # given: no notifications app has registered its hook
    monkeypatch.setattr(transitions, "_notifier", None)
    pending = makers.ProductMaker(status=ProductStatus.PENDING_REVIEW)
    draft = makers.ProductMaker(status=ProductStatus.DRAFT)
    # when / then: a step that tells someone cannot silently skip it
    with pytest.raises(ImproperlyConfigured):
        product_approve(product=pending, actor=staff)
    assert Product.objects.get(pk=pending.pk).status == ProductStatus.PENDING_REVIEW
    assert not Event.objects.filter(target_id=pending.pk).exists()
    # and a step that tells nobody does not need it
    product_submit(product=draft, actor=draft.factory.owner)
    assert Product.objects.get(pk=draft.pk).status == ProductStatus.PENDING_REVIEW
