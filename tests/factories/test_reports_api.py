"""products/{id}/report/: the moderation queue of fakes and bad listings."""

import pytest

from factories.models import ProductReport
from marketplace.core.models import Event
from tests import makers
from tests.factories.support import verbs

pytestmark = pytest.mark.django_db


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
