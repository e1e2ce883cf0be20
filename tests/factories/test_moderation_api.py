"""Staff review of factories and products, the product state machine, and reports."""

import pytest

from factories.models import Factory, Product, ProductReport
from marketplace.core.models import Event
from tests import makers

pytestmark = pytest.mark.django_db


def verbs():
    return list(Event.objects.order_by("id").values_list("verb", flat=True))


def snapshot(obj):
    """Every column of a row, to show that a refused request changed nothing."""
    type(obj).objects.get(pk=obj.pk)
    return {
        f.attname: getattr(type(obj).objects.get(pk=obj.pk), f.attname) for f in obj._meta.concrete_fields
    }


# --- factory verification --------------------------------------------------------------------------


def test_staff_verifies_a_pending_factory_as_super_and_it_becomes_public(api, staff):
    # given
    factory = makers.FactoryMaker(verification_status="pending")
    product = makers.ProductMaker(factory=factory)
    assert api.get(f"/api/v1/products/{product.id}/").status_code == 404
    # when
    response = api.as_user(staff).post(f"/api/v1/factories/{factory.id}/verify/", {"tier": "super"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["verification_status"], body["tier"], body["status_reason"]) == ("verified", "super", "")
    assert body["verified_at"] is not None
    event = Event.objects.get()
    assert (event.verb, event.actor, event.data) == (
        "factory.verified",
        staff,
        {"old": "pending", "new": "verified", "reason": "", "tier": "super"},
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
    assert Event.objects.get().data == {"old": "pending", "new": "rejected", "reason": "营业执照模糊"}
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
        ("verified", "verify", "Cannot verify: it is verified."),
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
    ("change", "status_after"),
    [
        ({"factory_price": "13.00"}, "pending_review"),
        ({"title": "新标题"}, "pending_review"),
        ({"category": "cleaning"}, "pending_review"),
        ({"moq": 500}, "active"),
        ({"lead_time_days": 20}, "active"),
    ],
)
def test_editing_what_is_sold_or_its_price_sends_an_active_listing_back_to_review(api, change, status_after):
    # given
    product = makers.ProductMaker()
    # when
    response = api.as_user(product.factory.owner).patch(f"/api/v1/products/{product.id}/", change)
    # then
    assert (response.status_code, response.json()["status"]) == (200, status_after)
    assert api.as_user(None).get(f"/api/v1/products/{product.id}/").status_code == (
        200 if status_after == "active" else 404
    )


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


# --- reports ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["counterfeit", "misleading", "prohibited"])
def test_signed_in_user_reports_a_listing(api, reason):
    # given
    product = makers.ProductMaker()
    reporter = makers.UserMaker()
    # when
    response = api.as_user(reporter).post(f"/api/v1/products/{product.id}/report/", {"reason": reason})
    # then
    assert response.status_code == 201
    report = ProductReport.objects.get()
    assert response.json() == {
        "id": report.id,
        "product": product.id,
        "reason": reason,
        "detail": "",
        "status": "open",
        "created_at": response.json()["created_at"],
    }
    event = Event.objects.get()
    assert (event.verb, event.actor, event.data) == (
        "product.reported",
        reporter,
        {"report_id": report.id, "reason": reason},
    )


def test_other_reason_needs_detail(api):
    product = makers.ProductMaker()
    response = api.as_user(makers.UserMaker()).post(
        f"/api/v1/products/{product.id}/report/", {"reason": "other", "detail": "  "}
    )
    assert (response.status_code, response.json()) == (400, {"detail": "Describe the problem."})
    assert ProductReport.objects.count() == 0
    ok = api.post(f"/api/v1/products/{product.id}/report/", {"reason": "other", "detail": "价格虚标"})
    assert (ok.status_code, ok.json()["detail"]) == (201, "价格虚标")


def test_unknown_reason_is_refused(api):
    product = makers.ProductMaker()
    response = api.as_user(makers.UserMaker()).post(
        f"/api/v1/products/{product.id}/report/", {"reason": "ugly"}
    )
    assert (response.status_code, response.json()) == (400, {"reason": ['"ugly" is not a valid choice.']})


def test_second_open_report_by_the_same_person_is_refused(api):
    # given
    product = makers.ProductMaker()
    reporter = makers.UserMaker()
    api.as_user(reporter).post(f"/api/v1/products/{product.id}/report/", {"reason": "counterfeit"})
    # when
    response = api.post(f"/api/v1/products/{product.id}/report/", {"reason": "misleading"})
    # then
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "You have already reported this product; staff are looking at it."},
    )
    assert ProductReport.objects.count() == 1
    assert verbs() == ["product.reported"]
    # someone else can still report it
    other = api.__class__().as_user(makers.FactoryMaker().owner)
    assert other.post(f"/api/v1/products/{product.id}/report/", {"reason": "misleading"}).status_code == 201


def test_factory_cannot_report_its_own_listing(api):
    product = makers.ProductMaker()
    response = api.as_user(product.factory.owner).post(
        f"/api/v1/products/{product.id}/report/", {"reason": "counterfeit"}
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "You cannot report your own product; edit or delist it instead."},
    )
    assert ProductReport.objects.count() == 0


def test_report_needs_sign_in_and_a_visible_product(api):
    product = makers.ProductMaker()
    hidden = makers.ProductMaker(status="draft")
    anonymous = api.post(f"/api/v1/products/{product.id}/report/", {"reason": "counterfeit"})
    assert (anonymous.status_code, anonymous.json()) == (
        401,
        {"detail": "Authentication credentials were not provided."},
    )
    unseen = api.as_user(makers.UserMaker()).post(
        f"/api/v1/products/{hidden.id}/report/", {"reason": "counterfeit"}
    )
    assert unseen.status_code == 404
    assert ProductReport.objects.count() == 0
