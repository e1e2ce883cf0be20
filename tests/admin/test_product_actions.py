"""Staff approve / reject / delist products through the admin; each goes through the service."""

import pytest

from factories.models import Product, ProductStatus
from marketplace.core.models import Event
from tests.makers import ProductMaker

from .helpers import change_url, form_data, run_action, shown_messages, staff_action_url, verbs

pytestmark = pytest.mark.django_db


def test_approve_applies_at_once(staff_client, staff):
    # given
    product = ProductMaker(status=ProductStatus.PENDING_REVIEW)

    # when
    response = run_action(staff_client, Product, "approve", [product])

    # then
    assert shown_messages(response) == [f"Approved: {product.title}."]
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
    event = Event.objects.get(verb="product.approved")
    assert (event.actor, event.target, event.data) == (
        staff,
        product,
        {"from": "pending_review", "to": "active", "reason": "", "address": "127.0.0.1"},
    )


def test_reject_asks_for_a_reason_first(staff_client):
    # given
    product = ProductMaker(status=ProductStatus.PENDING_REVIEW)

    # when
    response = run_action(staff_client, Product, "reject", [product], confirm=False)

    # then
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.PENDING_REVIEW
    assert verbs(product) == []


def test_reject_with_reason(staff_client):
    # given
    product = ProductMaker(status=ProductStatus.ACTIVE)

    # when
    response = run_action(staff_client, Product, "reject", [product], reason="图片与描述不符")

    # then
    assert shown_messages(response) == [f"Rejected: {product.title}."]
    product.refresh_from_db()
    assert (product.status, product.status_reason) == (ProductStatus.REJECTED, "图片与描述不符")
    assert verbs(product) == ["product.rejected"]
    assert Event.objects.get(verb="product.rejected").data["reason"] == "图片与描述不符"


def test_reject_without_reason_shows_the_form_again(staff_client):
    # given
    product = ProductMaker(status=ProductStatus.PENDING_REVIEW)

    # when
    response = run_action(staff_client, Product, "reject", [product], reason="")

    # then
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    product.refresh_from_db()
    assert (product.status, product.status_reason) == (ProductStatus.PENDING_REVIEW, "")
    assert verbs(product) == []


@pytest.mark.parametrize(
    ("action", "status", "form", "message"),
    [
        ("approve", ProductStatus.ACTIVE, {}, "Cannot approve: it is active."),
        ("approve", ProductStatus.DRAFT, {}, "Cannot approve: it is draft."),
        ("reject", ProductStatus.DRAFT, {"reason": "x"}, "Cannot reject: it is draft."),
        ("reject", ProductStatus.DELISTED, {"reason": "x"}, "Cannot reject: it is delisted."),
        ("delist", ProductStatus.DELISTED, {"reason": ""}, "Cannot delist: it is delisted."),
    ],
)
def test_wrong_state_is_refused_with_a_visible_message(staff_client, action, status, form, message):
    # given
    product = ProductMaker(status=status)
    events_before = Event.objects.count()

    # when
    response = run_action(staff_client, Product, action, [product], **form)

    # then
    assert shown_messages(response) == [f"{product.title}: {message}"]
    assert f"{product.title}: {message}" in response.content.decode()
    product.refresh_from_db()
    assert (product.status, product.status_reason) == (status, "")
    assert Event.objects.count() == events_before


def test_approve_from_the_change_page_button(staff_client):
    # given
    product = ProductMaker(status=ProductStatus.PENDING_REVIEW)
    url = staff_action_url(product, "approve")

    # when
    page = staff_client.get(url)
    response = staff_client.post(url, {"apply": "yes"}, follow=True)

    # then: even without a form, the button asks for confirmation before acting
    assert page.status_code == 200
    assert response.redirect_chain == [(change_url(product), 302)]
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
    assert verbs(product) == ["product.approved"]


def test_change_page_offers_the_actions_of_the_current_state(staff_client):
    # given
    product = ProductMaker(status=ProductStatus.PENDING_REVIEW)

    # when
    response = staff_client.get(change_url(product))

    # then
    assert [a["url"] for a in response.context["staff_actions"]] == [
        staff_action_url(product, "approve"),
        staff_action_url(product, "reject"),
        staff_action_url(product, "delist"),
    ]
    assert "status" not in response.context["adminform"].form.fields


def test_staff_edit_goes_through_the_service(staff_client, staff):
    # given
    product = ProductMaker(status=ProductStatus.ACTIVE, moq=100)
    page = staff_client.get(change_url(product))
    data = form_data(page, moq=200)

    # when
    response = staff_client.post(change_url(product), data)

    # then
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.moq, product.status) == (200, ProductStatus.ACTIVE)
    event = Event.objects.get(verb="product.updated")
    assert (event.actor, event.data) == (staff, {"fields": ["moq"], "address": "127.0.0.1"})
