import pytest

from tests.trials.conftest import trial_at


@pytest.mark.parametrize(
    "model",
    [
        "trialorder",
        "payment",
        "samplerequest",
        "customrequest",
        "quote",
        "bulkorder",
        "stripeevent",
        "refund",
    ],
)
def test_staff_see_the_trials_admin(client, staff, product, buyer, model):
    trial = trial_at("converted", product=product, buyer=buyer)
    client.force_login(staff)
    assert client.get(f"/admin/trials/{model}/").status_code == 200
    if model == "trialorder":
        assert client.get(f"/admin/trials/trialorder/{trial.pk}/change/").status_code == 200


def test_late_bank_transfer_is_marked_received_then_refunded_with_a_reference(client, staff, product, buyer):
    from marketplace.notifications.models import Notification
    from tests.admin.helpers import run_action, shown_messages, staff_action_url
    from trials.models import Payment, Refund
    from trials.services import payments, trials

    trial = trial_at("accepted", product=product, buyer=buyer)
    payment = payments.payment_start(trial=trial, actor=buyer.user, provider="bank_transfer")
    trials.trial_cancel(trial=trial, actor=buyer.user)
    client.force_login(staff)
    # the transfer shows up after the cancel: staff mark it received → a refund due
    run_action(client, Payment, "mark_received", [payment], confirm=False)
    refund = Refund.objects.get(payment=payment)
    assert refund.status == "due"
    page = client.get(f"/admin/trials/refund/{refund.pk}/change/")
    assert staff_action_url(refund, "mark_refunded") in page.content.decode()
    # a reference with a line break is refused, nothing changes
    bad = client.post(
        staff_action_url(refund, "mark_refunded"), {"apply": "yes", "reference": "A\nB"}, follow=True
    )
    # (the admin speaks Chinese: "use a single line of text without line breaks ...")
    assert shown_messages(bad) == [f"{refund}: 请填写一行文字，不要包含换行或控制字符。"]
    refund.refresh_from_db()
    assert (refund.status, refund.reference) == ("due", "")
    # staff paid it back and record the reference
    response = client.post(
        staff_action_url(refund, "mark_refunded"), {"apply": "yes", "reference": "ICBC-0042"}, follow=True
    )
    assert response.status_code == 200
    refund.refresh_from_db()
    assert (refund.status, refund.reference, refund.refunded_by_id) == ("succeeded", "ICBC-0042", staff.pk)
    assert Payment.objects.get(pk=payment.pk).status == "refunded"
    assert Notification.objects.filter(kind="payment.refunded").count() == 2
    # a second click finds nothing due
    again = client.post(
        staff_action_url(refund, "mark_refunded"), {"apply": "yes", "reference": "ICBC-0043"}, follow=True
    )
    refund.refresh_from_db()
    assert [m.split(": ")[0] for m in shown_messages(again)] == [str(refund)]  # an error, nothing done
    assert refund.reference == "ICBC-0042"


def test_staff_decide_a_dispute_in_the_admin(client, staff, product, buyer):
    from tests.admin.helpers import staff_action_url
    from tests.trials.conftest import bulk_at
    from trials.models import BulkOrder, Refund

    disputed = bulk_at("disputed", product=product, buyer=buyer)
    client.force_login(staff)
    # the queue: disputed orders, with the two decisions on the order's page
    listed = client.get("/admin/trials/bulkorder/?status__exact=disputed").content.decode()
    assert f"/admin/trials/bulkorder/{disputed.pk}/change/" in listed
    page = client.get(f"/admin/trials/bulkorder/{disputed.pk}/change/").content.decode()
    assert (
        staff_action_url(disputed, "resume") in page
        and staff_action_url(disputed, "cancel_with_refund") in page
    )
    # settling it returns the order to production
    client.post(staff_action_url(disputed, "resume"), {"apply": "yes"}, follow=True)
    assert BulkOrder.objects.get(pk=disputed.pk).status == "in_production"
    assert not Refund.objects.exists()
    # another dispute, decided for the buyer: cancelled, the deposit owed back
    other = bulk_at("disputed", product=makers_product(product), buyer=buyer)
    client.post(
        staff_action_url(other, "cancel_with_refund"), {"apply": "yes", "reason": "延期无法交货"}, follow=True
    )
    other.refresh_from_db()
    assert (other.status, other.note) == ("cancelled", "延期无法交货")
    assert list(Refund.objects.values_list("payment__bulk_order_id", "status")) == [(other.pk, "due")]


def makers_product(product):
    from decimal import Decimal

    from tests import makers

    return makers.ProductMaker(factory=product.factory, factory_price=Decimal("12.35"), moq=100)


def test_marking_a_transfer_received_is_audited_with_the_staff_address(client, staff, product, buyer):
    from marketplace.core.models import Event
    from tests.admin.helpers import run_action
    from trials.models import Payment
    from trials.services import payments

    # given
    trial = trial_at("accepted", product=product, buyer=buyer)
    payment = payments.payment_start(trial=trial, actor=buyer.user, provider="bank_transfer")
    before = set(Event.objects.values_list("pk", flat=True))
    client.force_login(staff)

    # when
    run_action(client, Payment, "mark_received", [payment], confirm=False, address="192.0.2.44")

    # then: every row the action wrote carries the address: the staff member's confirmation, and
    # what it set off (the trial becomes paid as the system)
    written = Event.objects.exclude(pk__in=before)
    assert {e.data.get("address") for e in written} == {"192.0.2.44"}
    assert {e.actor_id for e in written} == {staff.pk, None}
