"""The moderation queue: open reports first; resolve (optionally delisting) or dismiss."""

import pytest

from factories.models import ProductReport, ProductStatus, ReportStatus
from factories.services import product_report_create
from marketplace.core.models import Event
from tests.makers import ProductMaker, UserMaker

from .helpers import changelist_url, run_action, shown_messages, verbs

pytestmark = pytest.mark.django_db


def report(product=None, reason="counterfeit"):
    return product_report_create(
        product=product or ProductMaker(), reporter=UserMaker(), reason=reason, detail="看起来是假货"
    )


def test_queue_lists_open_reports_first(staff_client, staff):
    # given: the oldest report is already handled
    handled, first_open, second_open = report(), report(), report()
    run_action(staff_client, ProductReport, "dismiss", [handled], note="")

    # when
    response = staff_client.get(changelist_url(ProductReport))

    # then
    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [first_open.pk, second_open.pk, handled.pk]


def test_filters_by_reason_and_status(staff_client):
    # given
    counterfeit, misleading = report(reason="counterfeit"), report(reason="misleading")

    # when
    by_reason = staff_client.get(changelist_url(ProductReport), {"reason__exact": "misleading"})
    by_status = staff_client.get(changelist_url(ProductReport), {"status__exact": "open"})

    # then
    assert [r.pk for r in by_reason.context["cl"].result_list] == [misleading.pk]
    assert [r.pk for r in by_status.context["cl"].result_list] == [counterfeit.pk, misleading.pk]


def test_resolve_and_delist(staff_client, staff):
    # given
    item = report()
    product = item.product

    # when
    response = run_action(staff_client, ProductReport, "resolve", [item], note="确认售假", delist="on")

    # then
    assert shown_messages(response) == [f"Resolved: {item}."]
    item.refresh_from_db()
    product.refresh_from_db()
    assert (item.status, item.resolution_note, item.handled_by) == (ReportStatus.RESOLVED, "确认售假", staff)
    assert item.handled_at is not None
    assert (product.status, product.status_reason) == (ProductStatus.DELISTED, "确认售假")
    assert verbs(product) == ["product.reported", "report.resolved", "product.delisted"]


def test_resolve_without_delisting_keeps_the_product_listed(staff_client):
    # given
    item = report()

    # when
    run_action(staff_client, ProductReport, "resolve", [item], note="已联系工厂修改描述")

    # then
    item.refresh_from_db()
    assert item.status == ReportStatus.RESOLVED
    assert item.product.status == ProductStatus.ACTIVE
    assert verbs(item.product) == ["product.reported", "report.resolved"]


def test_dismiss(staff_client, staff):
    # given
    item = report()

    # when
    response = run_action(staff_client, ProductReport, "dismiss", [item], note="正品，有授权书")

    # then
    assert shown_messages(response) == [f"Dismissed: {item}."]
    item.refresh_from_db()
    assert (item.status, item.resolution_note, item.handled_by) == (
        ReportStatus.DISMISSED,
        "正品，有授权书",
        staff,
    )
    event = Event.objects.get(verb="report.dismissed")
    assert event.data == {"report_id": item.pk, "note": "正品，有授权书", "address": "127.0.0.1"}


def test_handled_report_is_refused_with_a_visible_message(staff_client):
    # given
    item = report()
    run_action(staff_client, ProductReport, "dismiss", [item], note="")
    events_before = Event.objects.count()

    # when
    response = run_action(staff_client, ProductReport, "resolve", [item], note="", delist="on")

    # then
    assert shown_messages(response) == [f"{item}: This report has already been handled."]
    assert "This report has already been handled." in response.content.decode()
    item.refresh_from_db()
    assert item.status == ReportStatus.DISMISSED
    assert item.product.status == ProductStatus.ACTIVE
    assert Event.objects.count() == events_before
