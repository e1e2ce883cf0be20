"""Staff bulk actions on the stuck lists (issue 12, moderation): trials, samples, custom requests and
payments move on through their flow tables as the staff member; what is done is audited with the
staff member and address and told to its owners; what is not stuck, or in another state, is skipped
and left exactly as it was (no event, no notification)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from buyers.models import BuyerProfile
from marketplace.core.errors import NotAllowed
from marketplace.core.events import events_for
from marketplace.core.models import Event
from marketplace.notifications.messages import render
from marketplace.notifications.models import Notification
from tests import makers
from tests.admin.helpers import change_url, run_action, shown_messages, staff_action_url
from tests.trials.conftest import trial_at
from trials.models import CustomRequest, Payment, Refund, SampleRequest, TrialOrder
from trials.services import payments, samples, staff

ADDRESS = "192.0.2.71"


@pytest.fixture
def staff_client(staff, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client


def _age(obj, **fields):
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    obj.refresh_from_db()
    return obj


def _ago(**delta):
    return timezone.now() - timedelta(**delta)


KEY_PREFIX = {TrialOrder: "trial", SampleRequest: "sample", CustomRequest: "custom", Payment: "payment"}


def _trace(*objects):
    """Each object's events and notifications: what a skipped object must not gain."""
    return [
        (
            list(events_for(o).values_list("pk", flat=True)),
            Notification.objects.filter(key__startswith=f"{KEY_PREFIX[type(o)]}:{o.pk}:").count(),
        )
        for o in objects
    ]


def _audit(obj, verb):
    (event,) = Event.objects.filter(target_id=obj.pk, verb=verb)
    return event.actor_id, event.data


def test_staff_expire_unanswered_trials_and_skip_the_others(staff_client, staff, product, buyer):
    # given: a request 80 h unanswered (72 h + 2 h grace passed), one within its time, one accepted
    stale = _age(trial_at("requested", product=product, buyer=buyer), created_at=_ago(hours=80))
    other = makers.ProductMaker(factory=product.factory)
    fresh = trial_at("requested", product=other, buyer=buyer)
    accepted = _age(
        trial_at("accepted", product=makers.ProductMaker(factory=product.factory), buyer=buyer),
        created_at=_ago(hours=80),
    )
    untouched = _trace(fresh, accepted)

    # when
    response = run_action(staff_client, TrialOrder, "expire", [stale, fresh, accepted], address=ADDRESS)

    # then
    assert [TrialOrder.objects.get(pk=t.pk).status for t in (stale, fresh, accepted)] == [
        "expired",
        "requested",
        "accepted",
    ]
    assert shown_messages(response) == [
        f"Expired, both sides told: {stale}.",
        f"Skipped {fresh}: It is not stuck: its time has not run out yet.",
        f"Skipped {accepted}: Cannot expire: it is accepted.",
    ]
    assert _audit(stale, "trial.expired") == (
        staff.pk,
        {"from": "requested", "to": "expired", "address": ADDRESS},
    )
    told = Notification.objects.filter(key=f"trial:{stale.pk}:expire")
    assert sorted(told.values_list("recipient_id", "kind")) == sorted(
        [(buyer.user_id, "trial.expired"), (product.factory.owner_id, "trial.expired")]
    )
    assert _trace(fresh, accepted) == untouched


def test_staff_cancel_a_paid_trial_never_shipped_with_a_reason_and_refund(
    staff_client, staff, product, buyer
):
    # given: paid 6 days ago (the factory ships within 5), and one paid today
    late = trial_at("paid", product=product, buyer=buyer)
    _age(late, paid_at=_ago(days=6))
    recent = trial_at("paid", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    untouched = _trace(late, recent)

    # when: no reason → the form again, nothing done
    page = run_action(staff_client, TrialOrder, "cancel_with_refund", [late, recent], reason="  ")

    # then
    assert page.status_code == 200 and page.context["form"].errors == {"reason": ["This field is required."]}
    assert _trace(late, recent) == untouched

    # when: with a reason
    response = run_action(
        staff_client,
        TrialOrder,
        "cancel_with_refund",
        [late, recent],
        reason="工厂超时未发货",
        address=ADDRESS,
    )

    # then: the late one cancelled, its transfer owed back; the recent one untouched
    assert (TrialOrder.objects.get(pk=late.pk).status, TrialOrder.objects.get(pk=recent.pk).status) == (
        "cancelled",
        "paid",
    )
    assert shown_messages(response) == [
        f"Cancelled, payment to refund, both sides told: {late}.",
        f"Skipped {recent}: It is not stuck: its time has not run out yet.",
    ]
    assert _audit(late, "trial.cancelled_with_refund") == (
        staff.pk,
        {"from": "paid", "to": "cancelled", "reason": "工厂超时未发货", "address": ADDRESS},
    )
    assert list(Refund.objects.values_list("payment__trial_id", "status")) == [(late.pk, "due")]
    told = Notification.objects.filter(key=f"trial:{late.pk}:cancel_with_refund")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [buyer.user_id, product.factory.owner_id]
    )
    with_reason = told.get(recipient=buyer.user)
    assert render(with_reason.kind, with_reason.data)[1] == (
        f"Staff cancelled trial {late}, which was paid but not shipped: 工厂超时未发货 "
        "The payment is being refunded."
    )
    assert Notification.objects.filter(recipient=buyer.user, kind="payment.refund_due").count() == 1
    # not the streamer's cancellation: their record counts none
    assert BuyerProfile.objects.get(pk=buyer.pk).cancellations_count == 0
    assert Event.objects.filter(target_id=recent.pk, verb="trial.cancelled_with_refund").count() == 0


def test_staff_close_trials_long_past_their_window(staff_client, staff, product, buyer):
    # given: in trial, window over 15 days ago (14 + grace); one whose window just ended
    long_over = trial_at("in_trial", product=product, buyer=buyer)
    _age(long_over, window_ends_at=_ago(days=15))
    just_over = trial_at("in_trial", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    _age(just_over, window_ends_at=_ago(days=1))
    untouched = _trace(just_over)

    # when: "end" is for trials with feedback; "end_unreported" for the silent ones
    wrong = run_action(staff_client, TrialOrder, "end", [long_over])
    response = run_action(staff_client, TrialOrder, "end_unreported", [long_over, just_over], address=ADDRESS)

    # then
    assert shown_messages(wrong) == [f"Skipped {long_over}: Cannot end: it is in trial."]
    assert [TrialOrder.objects.get(pk=t.pk).status for t in (long_over, just_over)] == ["ended", "in_trial"]
    assert shown_messages(response) == [
        f"Closed without feedback, both sides told: {long_over}.",
        f"Skipped {just_over}: It is not stuck: its time has not run out yet.",
    ]
    assert _audit(long_over, "trial.ended_unreported") == (
        staff.pk,
        {"from": "in_trial", "to": "ended", "address": ADDRESS},
    )
    assert Notification.objects.filter(key=f"trial:{long_over.pk}:end_unreported").count() == 2
    assert _trace(just_over) == untouched


def test_staff_expire_unanswered_samples(staff_client, staff, product, buyer):
    # given
    stale = samples.sample_create(actor=buyer.user, product_id=product.pk)
    _age(stale, created_at=_ago(days=8))
    fresh = samples.sample_create(
        actor=buyer.user, product_id=makers.ProductMaker(factory=product.factory).pk
    )
    untouched = _trace(fresh)

    # when
    response = run_action(staff_client, SampleRequest, "expire", [stale, fresh], address=ADDRESS)

    # then
    assert [SampleRequest.objects.get(pk=s.pk).status for s in (stale, fresh)] == ["expired", "requested"]
    assert shown_messages(response) == [
        f"Expired, both sides told: {stale}.",
        f"Skipped {fresh}: It is not stuck: its time has not run out yet.",
    ]
    assert _audit(stale, "sample.expired") == (
        staff.pk,
        {"from": "requested", "to": "expired", "address": ADDRESS},
    )
    assert sorted(
        Notification.objects.filter(key=f"sample:{stale.pk}:expire").values_list("recipient_id", flat=True)
    ) == sorted([buyer.user_id, product.factory.owner_id])
    assert _trace(fresh) == untouched


def _custom(buyer, factory, deadline):
    return CustomRequest.objects.create(
        buyer=buyer, factory=factory, title="定制收纳盒", requirements="x", quantity=100, deadline=deadline
    )


def test_staff_close_custom_requests_open_past_their_deadline(staff_client, staff, factory, buyer):
    # given
    past = _custom(buyer, factory, _ago(hours=5))
    open_yet = _custom(buyer, factory, timezone.now() + timedelta(days=3))
    untouched = _trace(open_yet)

    # when
    response = run_action(staff_client, CustomRequest, "close", [past, open_yet], address=ADDRESS)

    # then
    assert [CustomRequest.objects.get(pk=c.pk).status for c in (past, open_yet)] == ["closed", "open"]
    assert shown_messages(response) == [
        f"Closed, the streamer told: {past}.",
        f"Skipped {open_yet}: It is not stuck: its time has not run out yet.",
    ]
    assert _audit(past, "custom.closed") == (staff.pk, {"from": "open", "to": "closed", "address": ADDRESS})
    assert list(
        Notification.objects.filter(key=f"custom:{past.pk}:close").values_list("recipient_id", "kind")
    ) == [(buyer.user_id, "custom.closed")]
    assert _trace(open_yet) == untouched


def test_staff_expire_payments_pending_too_long(staff_client, staff, product, buyer):
    # given: a transfer awaited 3 days, a card payment processing 3 days, a transfer started today
    old = payments.payment_start(
        trial=trial_at("accepted", product=product, buyer=buyer), actor=buyer.user, provider="bank_transfer"
    )
    _age(old, created_at=_ago(days=3))
    second = trial_at("accepted", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    processing = Payment.objects.create(
        trial=second, provider="stripe", idempotency_key="p-x", amount=second.total, status="processing"
    )
    _age(processing, created_at=_ago(days=3))
    third = trial_at("accepted", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    recent = payments.payment_start(trial=third, actor=buyer.user, provider="bank_transfer")
    untouched = _trace(processing, recent)

    # when
    response = run_action(staff_client, Payment, "expire", [old, processing, recent], address=ADDRESS)

    # then: failed (not voided), so a transfer that still arrives moves it on; the buyer told
    assert [Payment.objects.get(pk=p.pk).status for p in (old, processing, recent)] == [
        "failed",
        "processing",
        "pending",
    ]
    done, *skipped = shown_messages(response)
    assert done == f"Expired, the buyer told: {old}."
    assert sorted(skipped) == sorted(
        [
            f"Skipped {processing}: Cannot expire: it is processing.",
            f"Skipped {recent}: It is not stuck: its time has not run out yet.",
        ]
    )
    assert _audit(old, "payment.expired") == (
        staff.pk,
        {"from": "pending", "to": "failed", "address": ADDRESS},
    )
    assert list(
        Notification.objects.filter(key=f"payment:{old.pk}:expire").values_list("recipient_id", "kind")
    ) == [(buyer.user_id, "payment.expired")]
    assert _trace(processing, recent) == untouched
    assert TrialOrder.objects.get(pk=old.trial_id).status == "accepted"  # the buyer may pay again


def test_the_change_page_offers_the_action_on_a_stuck_row_only(staff_client, product, buyer):
    stale = _age(trial_at("requested", product=product, buyer=buyer), created_at=_ago(hours=80))
    fresh = trial_at("requested", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    assert [a["url"] for a in staff_client.get(change_url(stale)).context["staff_actions"]] == [
        staff_action_url(stale, "expire")
    ]
    assert staff_client.get(change_url(fresh)).context["staff_actions"] == []


def test_a_non_staff_user_is_refused(product, buyer):
    # given
    stale = _age(trial_at("requested", product=product, buyer=buyer), created_at=_ago(hours=80))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(product.factory.owner)
    untouched = _trace(stale)

    # when: through the admin, and straight at the service
    response = run_action(client, TrialOrder, "expire", [stale])
    with pytest.raises(NotAllowed):
        staff.trial_resolve_stuck(trial=stale, actor=buyer.user, name="expire")

    # then: sent to the admin's sign-in, nothing changed
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert TrialOrder.objects.get(pk=stale.pk).status == "requested"
    assert _trace(stale) == untouched


def test_the_api_lists_only_what_it_can_fire_and_the_admin_offers_the_staff_actions(
    staff_client, staff, api, product, buyer
):
    """The staff actions on the stuck lists have no API operation: a staff caller's `actions` in the
    API must not name them (issue 12), while the admin's change page still offers them; both read
    `allowed_actions`, the admin with `in_admin`."""
    # given: a paid trial the factory never shipped, an overdue trial, an unanswered sample
    paid = _age(trial_at("paid", product=product, buyer=buyer), paid_at=_ago(days=6))
    unreported = trial_at("in_trial", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    _age(unreported, window_ends_at=_ago(days=15))
    sample = samples.sample_create(actor=buyer.user, product_id=product.pk)
    _age(sample, created_at=_ago(days=8))

    # when / then: the API, as staff and as the two sides
    api.as_user(staff)
    assert api.get(f"/api/v1/trials/{paid.pk}/").json()["actions"] == []
    assert api.get(f"/api/v1/trials/{unreported.pk}/").json()["actions"] == []
    assert api.get(f"/api/v1/samples/{sample.pk}/").json()["actions"] == []
    assert api.as_user(product.factory.owner).get(f"/api/v1/trials/{paid.pk}/").json()["actions"] == ["ship"]
    assert api.as_user(buyer.user).get(f"/api/v1/trials/{unreported.pk}/").json()["actions"] == ["feedback"]

    # then: the admin's change pages still offer them to staff
    offered = staff_client.get(change_url(paid)).context["staff_actions"]
    assert [a["url"] for a in offered] == [staff_action_url(paid, "cancel_with_refund")]
    offered = staff_client.get(change_url(unreported)).context["staff_actions"]
    assert [a["url"] for a in offered] == [staff_action_url(unreported, "end_unreported")]
