"""The reporter of a listing is told when staff handle the report (issue 13): the outcome only, in
their language, never the staff note nor what was done to the listing. A report left open tells
nobody; a notice that cannot be written leaves the staff action done."""

import pytest
from django.core import mail
from django.test import Client

from factories.models import ProductReport, ProductStatus, ReportStatus
from factories.services import product_report_create
from marketplace.core.events import events_for
from marketplace.notifications import services as notification_services
from marketplace.notifications.models import Notification, NotificationSettings
from tests.admin.helpers import run_action, shown_messages
from tests.makers import ProductMaker, UserMaker

pytestmark = pytest.mark.django_db

NOTE = "工厂营业执照号 91330782MA2XXXX 与品牌授权不符，已下架"


@pytest.fixture
def staff_client(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client


@pytest.fixture
def report():
    product = ProductMaker(title="玻尿酸补水面膜")
    return product_report_create(
        product=product, reporter=UserMaker(), reason="counterfeit", detail="疑似假货"
    )


def _outcomes(user):
    return list(
        Notification.objects.filter(recipient=user, kind__startswith="report.").values_list(
            "kind", "key", "data"
        )
    )


def _email(notice) -> mail.EmailMessage:
    mail.outbox.clear()
    assert notification_services.notification_email(notification_id=notice.pk) is True
    (sent,) = mail.outbox
    return sent


def test_resolving_tells_the_reporter_the_outcome_only(staff_client, report):
    NotificationSettings.objects.create(user=report.reporter, language="en")
    product = report.product
    # when
    response = run_action(staff_client, ProductReport, "resolve", [report], note=NOTE, delist="on")
    # then
    assert shown_messages(response) == [f"Resolved: {report}."]
    product.refresh_from_db()
    assert product.status == ProductStatus.DELISTED
    assert _outcomes(report.reporter) == [
        (
            "report.resolved",
            f"product-report:{report.pk}:handled",
            {"ref": f"P{product.pk:06d}", "title": "玻尿酸补水面膜"},
        )
    ]
    assert _outcomes(product.factory.owner) == []
    sent = _email(Notification.objects.get(recipient=report.reporter, kind="report.resolved"))
    assert sent.subject == "Your report was handled: 玻尿酸补水面膜"
    assert sent.body.startswith(
        "Thank you for reporting the listing 玻尿酸补水面膜. Staff reviewed it and took action under the "
        "marketplace rules."
    )
    assert "91330782" not in sent.body and "delist" not in sent.body.lower()


def test_a_dismissal_is_told_in_chinese(staff_client, report):
    NotificationSettings.objects.create(user=report.reporter, language="zh-hans")
    # when
    run_action(staff_client, ProductReport, "dismiss", [report], note=NOTE)
    # then
    sent = _email(Notification.objects.get(recipient=report.reporter, kind="report.dismissed"))
    assert sent.subject == "您的举报已审核：玻尿酸补水面膜"
    assert sent.body.startswith(
        "感谢您举报商品 玻尿酸补水面膜。工作人员已审核，未发现违反平台规则的情况，因此未采取措施。"
    )
    assert "91330782" not in sent.body


def test_a_report_left_open_tells_nobody(report):
    assert report.status == ReportStatus.OPEN
    assert _outcomes(report.reporter) == [] and _outcomes(report.product.factory.owner) == []


def test_a_notice_that_cannot_be_written_leaves_the_action_done(staff_client, report, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("notifications table unavailable")

    monkeypatch.setattr(notification_services, "notification_create", broken)
    product = report.product
    # when
    response = run_action(staff_client, ProductReport, "resolve", [report], note="", delist="on")
    # then: resolved and delisted, the event recorded; no notice
    assert shown_messages(response) == [f"Resolved: {report}."]
    report.refresh_from_db()
    product.refresh_from_db()
    assert (report.status, product.status) == (ReportStatus.RESOLVED, ProductStatus.DELISTED)
    assert list(
        events_for(product).filter(verb="report.resolved").values_list("data__report_id", flat=True)
    ) == [report.pk]
    assert _outcomes(report.reporter) == []
