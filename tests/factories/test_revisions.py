"""Reviewed edits (issue 10, point 6): a change of what buyers see on a live listing waits for staff
while the approved version stays live; the factory sees both; staff approve or reject with a reason."""

import io
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from factories.models import Product, ProductImage, ProductRevision, ProductStatus, RevisionStatus
from factories.services import product_update
from marketplace.core.models import Event, OutboxMessage
from marketplace.notifications.models import Notification
from search.indexing import index_dirty
from tests import makers
from tests.concurrency import race
from tests.factories.support import snapshot, verbs

pytestmark = pytest.mark.django_db


def _jpeg(name="new.jpg", colour="red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def product(db):
    return makers.ProductMaker(
        title="PP收纳盒", factory_price=Decimal("22.00"), attributes={"材质": "PP"}, description="三层"
    )


@pytest.fixture
def owner(api, product):
    return api.__class__().as_user(product.factory.owner)


@pytest.fixture
def public(api):
    return api.__class__().as_user(None)


@pytest.fixture
def moderator(api, staff):
    return api.__class__().as_user(staff)


def url(product, tail=""):
    return f"/api/v1/products/{product.pk}/{tail}"


def search_titles(client, q):
    return [
        (r["title"], r["factory_price"])
        for r in client.get("/api/v1/search/products/", {"q": q}).json()["results"]
    ]


# --- the approved version stays live -------------------------------------------------------------


def test_an_edit_of_a_live_listing_waits_for_review_while_buyers_see_the_approved_version(
    owner, public, product
):
    # given
    Event.objects.all().delete()
    change = {
        "title": "PP收纳盒 升级款",
        "factory_price": "26.50",
        "attributes": {"材质": "PP", "层数": "4"},
        "category": "cleaning",
        "moq": 300,  # terms the factory alone honours apply at once
    }
    # when
    response = owner.patch(url(product), change, format="json")
    # then: buyers see the approved listing, plus the new MOQ
    assert response.status_code == 200
    seen = public.get(url(product)).json()
    assert (seen["status"], seen["title"], seen["factory_price"], seen["category"], seen["attributes"]) == (
        "active",
        "PP收纳盒",
        "22.00",
        "storage",
        {"材质": "PP"},
    )
    assert (seen["moq"], seen["revision"]) == (300, None)
    # and the factory sees both: the live values and what waits
    mine = response.json()
    assert (mine["title"], mine["factory_price"]) == ("PP收纳盒", "22.00")
    revision = ProductRevision.objects.get()
    assert mine["revision"] == {
        "id": revision.pk,
        "status": "pending",
        "changes": {
            "title": "PP收纳盒 升级款",
            "factory_price": "26.50",
            "attributes": {"材质": "PP", "层数": "4"},
            "category": "cleaning",
        },
        "images": [],
        "reason": "",
        "created_at": mine["revision"]["created_at"],
        "decided_at": None,
    }
    assert verbs() == ["product.revision_opened", "product.revision_updated", "product.updated"]


def test_search_keeps_finding_the_approved_version_until_staff_approve(owner, public, moderator, product):
    # given: the listing is indexed
    index_dirty("product")
    owner.patch(url(product), {"title": "不锈钢置物架", "factory_price": "99.00"}, format="json")
    index_dirty("product")
    # then: the old title and price are what search finds; the new title finds nothing
    assert search_titles(public, "收纳盒") == [("PP收纳盒", "22.00")]
    assert search_titles(public, "置物架") == []
    # when: staff approve, and the indexer runs on what the approval marked
    Product.objects.update(search_index_dirty=False)
    OutboxMessage.objects.all().delete()
    assert moderator.post(url(product, "revision/approve/")).status_code == 200
    assert Product.objects.get().search_index_dirty is True
    assert OutboxMessage.objects.filter(topic="search.index").count() == 1
    index_dirty("product")
    # then
    assert search_titles(public, "置物架") == [("不锈钢置物架", "99.00")]
    assert search_titles(public, "收纳盒") == []


def test_a_pending_edit_does_not_reindex_the_listing(owner, product):
    # given
    Product.objects.update(search_index_dirty=False)
    OutboxMessage.objects.all().delete()
    # when
    owner.patch(url(product), {"description": "四层"}, format="json")
    # then: nothing a buyer can find changed, so search is not disturbed
    assert Product.objects.get().search_index_dirty is False
    assert OutboxMessage.objects.filter(topic="search.index").count() == 0


# --- approve / reject ------------------------------------------------------------------------------


def test_approval_makes_the_changes_the_listing_and_tells_the_factory(
    owner, public, moderator, product, staff
):
    # given
    owner.patch(url(product), {"title": "PP收纳盒 升级款", "factory_price": "26.50"}, format="json")
    # when
    response = moderator.post(url(product, "revision/approve/"))
    # then
    assert response.status_code == 200
    seen = public.get(url(product)).json()
    assert (seen["title"], seen["factory_price"], seen["trial_unit_price"]) == (
        "PP收纳盒 升级款",
        "26.50",
        "13.25",
    )
    revision = ProductRevision.objects.get()
    assert (revision.status, revision.decided_by, revision.reason) == (RevisionStatus.APPROVED, staff, "")
    assert response.json()["revision"]["status"] == "approved"
    note = Notification.objects.get(recipient=product.factory.owner)
    assert (note.kind, note.data["ref"], note.data["product_id"]) == (
        "product.revision_approved",
        f"P{product.pk:06d}",
        product.pk,
    )
    event = Event.objects.get(verb="product.revision_approved")
    assert sorted(event.data["fields"]) == ["factory_price", "title"]


def test_rejection_keeps_the_approved_version_and_the_factory_reads_the_reason(
    owner, public, moderator, product, django_capture_on_commit_callbacks
):
    # given: new text and a new photo wait for review
    before = snapshot(product)
    owner.patch(url(product), {"title": "正品大牌同款收纳盒"}, format="json")
    photo = owner.post(url(product, "images/"), {"image": _jpeg()}, format="multipart").json()
    stored = ProductImage.all_objects.get(pk=photo["id"])
    paths = [stored.image.path, stored.thumbnail.path]
    assert all(os.path.exists(p) for p in paths)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        with_reason = moderator.post(url(product, "revision/reject/"), {"reason": "标题涉嫌冒用品牌"})
    # then: the listing is exactly as approved, the photo gone with its files
    assert with_reason.status_code == 200
    assert snapshot(Product.objects.get()) == before | {
        "updated_at": snapshot(Product.objects.get())["updated_at"]
    }
    assert ProductImage.all_objects.count() == 0
    assert not any(os.path.exists(p) for p in paths)
    assert public.get(url(product)).json()["title"] == "PP收纳盒"
    mine = owner.get(url(product)).json()["revision"]
    assert (mine["status"], mine["reason"], mine["changes"]) == (
        "rejected",
        "标题涉嫌冒用品牌",
        {"title": "正品大牌同款收纳盒"},
    )
    note = Notification.objects.get(kind="product.revision_rejected")
    assert note.data["reason"] == "标题涉嫌冒用品牌"


def test_reject_needs_a_reason_and_changes_nothing_without_one(owner, moderator, product):
    owner.patch(url(product), {"title": "新标题"}, format="json")
    response = moderator.post(url(product, "revision/reject/"), {"reason": "  "})
    assert (response.status_code, response.json()) == (
        400,
        {"reason": ["Give a reason; the factory will read it."]},
    )
    assert ProductRevision.objects.get().status == RevisionStatus.PENDING
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("tail", ["revision/approve/", "revision/reject/"])
def test_nothing_to_decide_is_a_409(moderator, product, tail):
    response = moderator.post(url(product, tail), {"reason": "x"})
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "This listing has no changes waiting for review."},
    )
    assert Event.objects.filter(verb__startswith="product.revision").count() == 0


@pytest.mark.parametrize("who", ["owner", "buyer"])
def test_only_staff_decide(api, product, who, buyer_user):
    # given
    product_update(product=product, actor=product.factory.owner, data={"title": "新标题"})
    user = product.factory.owner if who == "owner" else buyer_user
    # when
    response = api.as_user(user).post(url(product, "revision/approve/"))
    # then
    assert response.status_code == 403
    assert (Product.objects.get().title, ProductRevision.objects.get().status) == ("PP收纳盒", "pending")


# --- one pending revision, edited until decided ----------------------------------------------------


def test_further_edits_merge_into_the_one_pending_revision_and_undoing_them_withdraws_it(owner, product):
    # given
    owner.patch(url(product), {"title": "A", "factory_price": "30.00"}, format="json")
    # when: another edit, then the title put back
    owner.patch(url(product), {"description": "四层"}, format="json")
    owner.patch(url(product), {"title": "PP收纳盒"}, format="json")
    # then
    revision = ProductRevision.objects.get()
    assert revision.changes == {"factory_price": "30.00", "description": "四层"}
    # when: everything back to the live values
    response = owner.patch(url(product), {"factory_price": "22.00", "description": "三层"}, format="json")
    # then: nothing is left to review
    assert response.json()["revision"] is None
    assert ProductRevision.objects.get().status == RevisionStatus.WITHDRAWN


@pytest.mark.django_db(transaction=True)
def test_parallel_edits_of_one_listing_end_in_one_pending_revision(product):
    owner = product.factory.owner
    results = race(
        *[
            (lambda n=n: product_update(product=product, actor=owner, data={"description": f"版本{n}"}))
            for n in range(6)
        ]
    )
    assert all(isinstance(r, Product) for r in results)
    pending = ProductRevision.objects.filter(status=RevisionStatus.PENDING)
    assert pending.count() == 1
    assert pending.get().changes["description"].startswith("版本")


def test_the_database_refuses_a_second_pending_revision(product):
    ProductRevision.objects.create(product=product, created_by=product.factory.owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductRevision.objects.create(product=product, created_by=product.factory.owner)


def test_a_proposal_the_listing_could_not_hold_is_refused_and_nothing_waits(owner, product):
    response = owner.patch(url(product), {"attributes": {f"k{i}": "v" for i in range(31)}}, format="json")
    assert response.status_code == 400
    assert ProductRevision.objects.count() == 0


# --- photos ----------------------------------------------------------------------------------------


def test_a_new_photo_of_a_live_listing_is_shown_to_buyers_only_after_approval(
    owner, public, moderator, product
):
    # given
    response = owner.post(url(product, "images/"), {"image": _jpeg()}, format="multipart")
    assert (response.status_code, response.json()["awaiting_review"]) == (201, True)
    photo_id = response.json()["id"]
    # then: not on the public listing, nor in search results, nor on the product page
    assert public.get(url(product)).json()["images"] == []
    index_dirty("product")
    assert public.get("/api/v1/search/products/", {"q": "收纳盒"}).json()["results"][0]["images"] == []
    stored = ProductImage.all_objects.get(pk=photo_id)
    page = public.get(f"/products/{product.pk}/").content.decode()
    assert "PP收纳盒" in page and stored.thumbnail.name not in page and stored.image.name not in page
    # and the factory sees it waiting
    waiting = owner.get(url(product)).json()
    assert waiting["images"] == []
    assert [i["id"] for i in waiting["revision"]["images"]] == [photo_id]
    # when
    moderator.post(url(product, "revision/approve/"))
    # then
    assert [i["id"] for i in public.get(url(product)).json()["images"]] == [photo_id]
    assert ProductImage.objects.get().revision is None


def test_removing_the_only_new_photo_withdraws_the_revision(owner, product):
    photo_id = owner.post(url(product, "images/"), {"image": _jpeg()}, format="multipart").json()["id"]
    response = owner.delete(url(product, f"images/{photo_id}/"))
    assert response.status_code == 204
    assert ProductImage.all_objects.count() == 0
    assert ProductRevision.objects.get().status == RevisionStatus.WITHDRAWN


def test_removing_a_live_photo_applies_at_once(owner, public, product):
    # given: a photo approved earlier
    live = ProductImage.objects.create(product=product, image="a.jpg", thumbnail="a_t.jpg", width=1, height=1)
    # when
    assert owner.delete(url(product, f"images/{live.pk}/")).status_code == 204
    # then
    assert public.get(url(product)).json()["images"] == []
    assert ProductRevision.objects.count() == 0


# --- leaving the live state ------------------------------------------------------------------------


def test_delisting_a_listing_with_a_pending_change_keeps_the_work_in_the_listing(owner, public, product):
    # given
    owner.patch(url(product), {"title": "PP收纳盒 升级款"}, format="json")
    # when
    assert owner.delete(url(product)).status_code == 204
    # then: nothing unreviewed is public, and the change is in the listing for its next review
    assert public.get(url(product)).status_code == 404
    row = Product.objects.get()
    assert (row.status, row.title) == (ProductStatus.DELISTED, "PP收纳盒 升级款")
    assert ProductRevision.objects.get().status == RevisionStatus.MERGED


def test_staff_edits_apply_at_once(moderator, product):
    response = moderator.patch(url(product), {"title": "更正标题"}, format="json")
    assert (response.json()["title"], response.json()["status"]) == ("更正标题", "active")
    assert ProductRevision.objects.count() == 0


def test_a_listing_not_yet_live_is_edited_directly(api):
    product = makers.ProductMaker(status=ProductStatus.PENDING_REVIEW)
    response = api.as_user(product.factory.owner).patch(
        url(product), {"factory_price": "30.00"}, format="json"
    )
    assert (response.json()["factory_price"], response.json()["revision"]) == ("30.00", None)
    assert ProductRevision.objects.count() == 0
