"""The product review flow: submit, approve, reject, edit back to review, delist, resubmit."""

import pytest

from factories.models import Product
from factories.services import product_update
from marketplace.core.errors import NotAllowed
from marketplace.core.models import Event
from tests import makers
from tests.factories.support import snapshot, verbs

pytestmark = pytest.mark.django_db


# --- product review --------------------------------------------------------------------------------


def test_full_product_review_cycle(api, staff):
    # given: a factory creates a listing
    factory = makers.FactoryMaker()
    owner = api.__class__().as_user(factory.owner)
    moderator = api.as_user(staff)
    created = owner.post(
        "/api/v1/products/",
        {"title": "收纳盒", "category": "storage", "factory_price": "9.90", "moq": 100, "lead_time_days": 5},
    ).json()
    url = f"/api/v1/products/{created['id']}/"
    # when: staff reject it, the factory fixes the title (which resubmits it), staff approve
    rejected = moderator.post(url + "reject/", {"reason": "图片与描述不符"}).json()
    fixed = owner.patch(url, {"title": "PP收纳盒 三层"}).json()
    approved = moderator.post(url + "approve/").json()
    # then
    assert created["status"] == "pending_review"
    assert (rejected["status"], rejected["status_reason"]) == ("rejected", "图片与描述不符")
    assert (fixed["status"], fixed["status_reason"]) == ("pending_review", "")
    assert (approved["status"], approved["title"]) == ("active", "PP收纳盒 三层")
    assert api.__class__().get(url).status_code == 200
    assert verbs() == [
        "product.created",
        "product.rejected",
        "product.updated",
        "product.resubmitted",
        "product.approved",
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"factory_price": "13.00"},
        {"title": "新标题"},
        {"category": "cleaning"},
        {"moq": 500},
        {"lead_time_days": 20},
        {"attributes": {"材质": "PP"}},
    ],
)
def test_editing_a_live_listing_keeps_it_live(api, change):
    """Reviewed fields wait in a revision (tests/factories/test_revisions.py); the listing stays up."""
    # given
    product = makers.ProductMaker()
    # when
    response = api.as_user(product.factory.owner).patch(f"/api/v1/products/{product.id}/", change)
    # then
    assert (response.status_code, response.json()["status"]) == (200, "active")
    assert api.as_user(None).get(f"/api/v1/products/{product.id}/").status_code == 200


def test_staff_edit_does_not_send_a_listing_back_to_review(api, staff):
    product = makers.ProductMaker()
    response = api.as_user(staff).patch(f"/api/v1/products/{product.id}/", {"title": "更正标题"})
    assert (response.json()["status"], response.json()["title"]) == ("active", "更正标题")


def test_draft_is_submitted_by_patching_status(api):
    product = makers.ProductMaker(status="draft")
    response = api.as_user(product.factory.owner).patch(
        f"/api/v1/products/{product.id}/", {"status": "pending_review", "moq": 300}
    )
    assert (response.status_code, response.json()["status"], response.json()["moq"]) == (
        200,
        "pending_review",
        300,
    )
    assert verbs() == ["product.updated", "product.submitted"]


def test_resubmitting_a_pending_listing_is_a_no_op(api):
    product = makers.ProductMaker(status="pending_review")
    response = api.as_user(product.factory.owner).patch(
        f"/api/v1/products/{product.id}/", {"status": "pending_review"}
    )
    assert (response.status_code, response.json()["status"]) == (200, "pending_review")
    assert Event.objects.count() == 0


def test_delete_delists_and_the_listing_can_be_resubmitted(api):
    # given
    product = makers.ProductMaker()
    url = f"/api/v1/products/{product.id}/"
    api.as_user(product.factory.owner)
    # when
    deleted = api.delete(url)
    # then: kept for trials and orders, hidden from the public
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert Product.objects.get(pk=product.pk).status == "delisted"
    assert api.__class__().get(url).status_code == 404
    # editing without resubmitting is refused and changes nothing
    refused = api.patch(url, {"moq": 1})
    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "This product is delisted; submit it again before editing."},
    )
    assert Product.objects.get(pk=product.pk).moq == 100
    # resubmitting (with an edit) goes back to review
    again = api.patch(url, {"status": "pending_review", "moq": 150})
    assert (again.status_code, again.json()["status"], again.json()["moq"]) == (200, "pending_review", 150)
    assert verbs() == ["product.delisted", "product.updated", "product.submitted"]


def test_delisting_twice_is_409(api):
    product = makers.ProductMaker(status="delisted")
    response = api.as_user(product.factory.owner).delete(f"/api/v1/products/{product.id}/")
    assert (response.status_code, response.json()) == (409, {"detail": "Cannot delist: it is delisted."})


def test_staff_can_delist(api, staff):
    product = makers.ProductMaker()
    assert api.as_user(staff).delete(f"/api/v1/products/{product.id}/").status_code == 204
    assert Product.objects.get(pk=product.pk).status == "delisted"


def test_staff_cannot_submit_for_a_factory_and_the_edit_is_rolled_back(api, staff):
    product = makers.ProductMaker(status="draft")
    response = api.as_user(staff).patch(
        f"/api/v1/products/{product.id}/", {"status": "pending_review", "moq": 7}
    )
    assert (response.status_code, response.json()) == (403, {"detail": "You are not allowed to submit this."})
    assert (Product.objects.get(pk=product.pk).moq, Event.objects.count()) == (100, 0)


def test_product_reject_needs_a_reason(api, staff):
    product = makers.ProductMaker(status="pending_review")
    before = snapshot(product)
    response = api.as_user(staff).post(f"/api/v1/products/{product.id}/reject/", {"reason": ""})
    assert (response.status_code, response.json()) == (
        400,
        {"reason": ["Give a reason; the factory will read it."]},
    )
    assert snapshot(product) == before


def test_staff_can_take_down_an_active_listing(api, staff):
    product = makers.ProductMaker()
    response = api.as_user(staff).post(f"/api/v1/products/{product.id}/reject/", {"reason": "假货"})
    assert (response.json()["status"], response.json()["status_reason"]) == ("rejected", "假货")


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        ("active", "approve", "Cannot approve: it is active."),
        ("draft", "approve", "Cannot approve: it is draft."),
        ("rejected", "approve", "Cannot approve: it is rejected."),
        ("delisted", "approve", "Cannot approve: it is delisted."),
        ("draft", "reject", "Cannot reject: it is draft."),
        ("rejected", "reject", "Cannot reject: it is rejected."),
    ],
)
def test_refused_product_transition_is_409_and_changes_nothing(api, staff, status, action, message):
    product = makers.ProductMaker(status=status)
    before = snapshot(product)
    response = api.as_user(staff).post(f"/api/v1/products/{product.id}/{action}/", {"reason": "x"})
    assert (response.status_code, response.json()) == (409, {"detail": message})
    assert snapshot(product) == before
    assert Event.objects.count() == 0


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("owner", 403), ("other_factory", 403), ("buyer", 403)]
)
def test_only_staff_review_products(api, action, who, status):
    product = makers.ProductMaker(status="pending_review")
    user = {
        "anonymous": None,
        "owner": product.factory.owner,
        "other_factory": makers.FactoryMaker().owner,
        "buyer": makers.UserMaker(),
    }[who]
    response = api.as_user(user).post(f"/api/v1/products/{product.id}/{action}/", {"reason": "x"})
    assert response.status_code == status
    assert Product.objects.get(pk=product.pk).status == "pending_review"


@pytest.mark.parametrize(
    ("who", "method", "status", "body"),
    [
        ("anonymous", "patch", 401, {"detail": "Authentication credentials were not provided."}),
        ("anonymous", "delete", 401, {"detail": "Authentication credentials were not provided."}),
        ("buyer", "patch", 403, {"detail": "Only the owner can change this."}),
        ("buyer", "delete", 403, {"detail": "Only the owner can change this."}),
        ("other_factory", "patch", 403, {"detail": "Only the owner can change this."}),
        ("other_factory", "delete", 403, {"detail": "Only the owner can change this."}),
    ],
)
def test_only_owner_or_staff_change_a_visible_product(api, who, method, status, body):
    product = makers.ProductMaker()
    before = snapshot(product)
    user = {"anonymous": None, "buyer": makers.UserMaker(), "other_factory": makers.FactoryMaker().owner}[who]
    response = getattr(api.as_user(user), method)(f"/api/v1/products/{product.id}/", {"moq": 1})
    assert (response.status_code, response.json()) == (status, body)
    assert snapshot(product) == before


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_someone_elses_draft_is_404_on_change(api, method):
    product = makers.ProductMaker(status="draft")
    response = getattr(api.as_user(makers.FactoryMaker().owner), method)(
        f"/api/v1/products/{product.id}/", {}
    )
    assert response.status_code == 404


def test_a_submitted_listing_cannot_go_back_to_draft(api):
    # given
    product = makers.ProductMaker(status="pending_review")
    before = snapshot(product)
    # when
    response = api.as_user(product.factory.owner).patch(
        f"/api/v1/products/{product.id}/", {"status": "draft", "moq": 5}
    )
    # then
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "A listing that has been submitted cannot go back to draft; delist it instead."},
    )
    assert snapshot(product) == before


def test_a_draft_stays_a_draft_while_edited(api):
    product = makers.ProductMaker(status="draft")
    response = api.as_user(product.factory.owner).patch(
        f"/api/v1/products/{product.id}/", {"status": "draft", "title": "草稿标题"}
    )
    assert (response.status_code, response.json()["status"], response.json()["title"]) == (
        200,
        "draft",
        "草稿标题",
    )
    assert verbs() == ["product.updated"]


def test_the_edit_service_itself_refuses_another_factory():
    """Views check ownership, and so does the service (admin actions and tasks call it directly)."""
    product = makers.ProductMaker()
    with pytest.raises(NotAllowed) as info:
        product_update(product=product, actor=makers.FactoryMaker().owner, data={"moq": 1})
    assert info.value.message == "This is not your product."
    assert Product.objects.get(pk=product.pk).moq == 100
