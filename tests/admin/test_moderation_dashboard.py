"""The staff moderation dashboard (issue 12, point 4): each queue's count and oldest item, linked to
the changelist that lists exactly that queue; a fixed number of queries however long the queues;
staff only. Stuck flows appear once past their deadline plus the MODERATION_* margins."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conversations.moderation import conversation_report_create
from conversations.services import conversation_start, message_post
from factories.models import Factory, ProductReport, VerificationStatus
from tests import makers
from tests.trials.conftest import bulk_at, trial_at
from trials.models import BulkOrder, CustomRequest, Payment, TrialOrder

pytestmark = pytest.mark.django_db

URL = "/admin/moderation/"


def queues(response) -> dict[str, tuple[int, object]]:
    return {q["key"]: (q["count"], q["oldest"]) for q in response.context["queues"]}


def _age(model, obj, **fields):
    model.objects.filter(pk=obj.pk).update(**fields)
    obj.refresh_from_db()
    return obj


def test_counts_and_oldest_of_each_queue_in_a_fixed_number_of_queries(
    staff_client, django_assert_num_queries
):
    # given: two factories waiting (the older first), a listing in review, a report, a stale trial
    # request, a request within its 72 hours, a custom request past its deadline, a payment pending 3 days
    now = timezone.now()
    older = _age(
        Factory,
        makers.FactoryMaker(verification_status=VerificationStatus.PENDING),
        created_at=now - timedelta(days=3),
    )
    makers.FactoryMaker(verification_status=VerificationStatus.PENDING)
    listing = makers.ProductMaker(status="pending_review")
    live = makers.ProductMaker()
    report = ProductReport.objects.create(product=live, reporter=makers.UserMaker(), reason="counterfeit")
    buyer = makers.BuyerMaker()
    stale = _age(
        TrialOrder,
        trial_at("requested", product=makers.ProductMaker(), buyer=buyer),
        created_at=now - timedelta(hours=80),
    )
    trial_at("requested", product=makers.ProductMaker(), buyer=buyer)
    custom = CustomRequest.objects.create(
        buyer=buyer,
        factory=live.factory,
        title="定制",
        requirements="x",
        quantity=100,
        deadline=now - timedelta(hours=5),
    )
    talking_to = makers.FactoryMaker()
    conversation = conversation_start(actor=buyer.user, buyer=buyer, factory=talking_to)
    said = message_post(conversation=conversation, actor=talking_to.owner, body="加微信")
    talk_report = conversation_report_create(
        conversation=conversation, reporter=buyer.user, reason="spam", message=said
    )
    paid_for = trial_at("accepted", product=makers.ProductMaker(), buyer=buyer)
    payment = Payment.objects.create(
        trial=paid_for, provider="bank_transfer", idempotency_key=f"t-{paid_for.pk}", amount=paid_for.total
    )
    _age(Payment, payment, created_at=now - timedelta(days=3))
    staff_client.get(URL)  # the session and the admin's caches warm

    # when: the session and user, a count per queue, the oldest item of the 8 non-empty ones
    with django_assert_num_queries(2 + 13 + 8):
        response = staff_client.get(URL)
    # and with longer queues, the same
    for _ in range(5):
        makers.FactoryMaker(verification_status=VerificationStatus.PENDING)
    with django_assert_num_queries(2 + 13 + 8):
        longer = staff_client.get(URL)
    assert queues(longer)["factories"] == (7, older)

    # then
    assert response.status_code == 200
    assert queues(response) == {
        "factories": (2, older),
        "verifications": (0, None),
        "listings": (1, listing),
        "revisions": (0, None),
        "reports": (1, report),
        "conversation_reports": (1, talk_report),
        "trials_unanswered": (1, stale),
        "samples_unanswered": (0, None),
        "custom_requests": (1, custom),
        "trials_overdue": (0, None),
        "bulk_disputes": (0, None),
        "bulk_stuck": (0, None),
        "payments": (1, payment),
    }
    links = {q["key"]: q["url"] for q in response.context["queues"]}
    assert links["factories"] == "/admin/factories/factory/?verification_status__exact=pending"
    assert links["trials_unanswered"] == "/admin/trials/trialorder/?stuck=unanswered"
    page = response.content.decode()
    assert f'href="/admin/factories/factory/{older.pk}/change/"' in page


def test_each_link_lists_exactly_its_queue(staff_client):
    # given
    now = timezone.now()
    buyer = makers.BuyerMaker()
    stale = _age(
        TrialOrder,
        trial_at("requested", product=makers.ProductMaker(), buyer=buyer),
        created_at=now - timedelta(hours=80),
    )
    trial_at("requested", product=makers.ProductMaker(), buyer=buyer)
    shipped_late = _age(
        TrialOrder,
        trial_at("paid", product=makers.ProductMaker(), buyer=buyer),
        paid_at=now - timedelta(days=6),
    )
    trial_at("paid", product=makers.ProductMaker(), buyer=buyer)
    links = {q["key"]: q["url"] for q in staff_client.get(URL).context["queues"]}

    # when
    unanswered = staff_client.get(links["trials_unanswered"])
    overdue = staff_client.get(links["trials_overdue"])

    # then
    assert [t.pk for t in unanswered.context["cl"].result_list] == [stale.pk]
    assert [t.pk for t in overdue.context["cl"].result_list] == [shipped_late.pk]


def test_bulk_orders_stuck_at_a_step_and_disputes_are_queues(staff_client, settings):
    # given: orders that should have moved on, and the same steps still within their time
    now = timezone.now()
    buyer = makers.BuyerMaker()

    def order(status, **aged):
        return _age(BulkOrder, bulk_at(status, product=makers.ProductMaker(), buyer=buyer), **aged)

    unconfirmed = order("placed", created_at=now - timedelta(days=7, hours=3))  # lapse missed
    order("placed", created_at=now - timedelta(days=6))
    never_received = order("shipped", shipped_at=now - timedelta(days=18))  # reminded at 10, +7
    order("shipped", shipped_at=now - timedelta(days=16))
    late = order("in_production", delivery_date=timezone.localdate() - timedelta(days=8))
    order("in_production", delivery_date=timezone.localdate() - timedelta(days=6))
    disputed = order("disputed", disputed_at=now - timedelta(days=2))
    order("completed")
    # when
    page = staff_client.get(URL)
    links = {q["key"]: q["url"] for q in page.context["queues"]}
    stuck = staff_client.get(links["bulk_stuck"])
    disputes = staff_client.get(links["bulk_disputes"])
    # then: the dashboard counts what its links list; the oldest stuck is the least recently touched
    assert queues(page)["bulk_stuck"][0] == 3
    assert queues(page)["bulk_disputes"] == (1, disputed)
    assert links["bulk_stuck"] == "/admin/trials/bulkorder/?stuck=1"
    assert sorted(o.pk for o in stuck.context["cl"].result_list) == sorted(
        [unconfirmed.pk, never_received.pk, late.pk]
    )
    assert [o.pk for o in disputes.context["cl"].result_list] == [disputed.pk]
    # and the wait is a setting: at 10 days the orders shipped 18 days ago and 8 days late are
    # not stuck yet; the missed lapse is (a timed transition's margin is the grace hours)
    settings.MODERATION_BULK_WAIT_DAYS = 10
    assert queues(staff_client.get(URL))["bulk_stuck"] == (1, unconfirmed)


def test_margins_are_settings(staff_client, settings):
    # given: a payment pending 30 hours: not too long by default (48), too long at 24
    buyer = makers.BuyerMaker()
    trial = trial_at("accepted", product=makers.ProductMaker(), buyer=buyer)
    payment = Payment.objects.create(
        trial=trial, provider="bank_transfer", idempotency_key="k1", amount=trial.total
    )
    _age(Payment, payment, created_at=timezone.now() - timedelta(hours=30))
    assert queues(staff_client.get(URL))["payments"] == (0, None)
    settings.MODERATION_PAYMENT_PENDING_HOURS = 24
    assert queues(staff_client.get(URL))["payments"] == (1, payment)


def test_staff_only(client, factory_user):
    assert client.get(URL).status_code == 302  # to the admin's sign-in
    client.force_login(factory_user)
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_page_in_chinese(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert "待认证的工厂" in page and "长时间未完成的付款" in page and "卡在某一步的大货订单" in page


def test_the_admin_home_page_leads_to_the_dashboard(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    assert f'<a href="{URL}">审核队列：等待运营处理的事项，最早的在前</a>' in page
    assert 'id="content-main"' in page  # the app list is still there
