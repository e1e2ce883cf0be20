import time
from decimal import Decimal

import pytest

from marketplace.core.models import Event
from tests import makers
from tests.waiting import wait_until
from trials.models import TrialOrder, TrialStatus
from trials.services import payments, trials


@pytest.fixture
def factory(db):
    return makers.FactoryMaker(max_trial_quantity=50, trial_days=30)


@pytest.fixture
def product(factory):
    return makers.ProductMaker(factory=factory, factory_price=Decimal("12.35"), moq=100)


@pytest.fixture
def buyer(db):
    return makers.BuyerMaker()


@pytest.fixture
def other_buyer(db):
    return makers.BuyerMaker()


@pytest.fixture
def other_factory(db):
    return makers.FactoryMaker()


def trial_at(status: str, *, product, buyer, quantity: int = 10) -> TrialOrder:
    """Bring a trial to `status` through the services, the way people would."""
    f_user, b_user = product.factory.owner, buyer.user
    trial = trials.trial_create(actor=b_user, product_id=product.pk, quantity=quantity)
    path = {
        TrialStatus.REQUESTED: [],
        TrialStatus.ACCEPTED: ["accept"],
        TrialStatus.DECLINED: ["decline"],
        TrialStatus.CANCELLED: ["cancel"],
        TrialStatus.EXPIRED: ["expire"],
        TrialStatus.PAID: ["accept", "pay"],
        TrialStatus.SHIPPED: ["accept", "pay", "ship"],
        TrialStatus.IN_TRIAL: ["accept", "pay", "ship", "receive"],
        TrialStatus.FEEDBACK_SUBMITTED: ["accept", "pay", "ship", "receive", "feedback"],
        TrialStatus.CONVERTED: ["accept", "pay", "ship", "receive", "feedback", "convert"],
        TrialStatus.ENDED: ["accept", "pay", "ship", "receive", "feedback", "end"],
    }[status]
    staff = None
    for step in path:
        if step == "accept":
            trials.trial_accept(trial=trial, actor=f_user)
        elif step == "decline":
            trials.trial_decline(trial=trial, actor=f_user)
        elif step == "cancel":
            trials.trial_cancel(trial=trial, actor=b_user)
        elif step == "expire":
            trials.trial_expire(trial=trial)
        elif step == "pay":
            payment = payments.payment_start(trial=trial, actor=b_user, provider="bank_transfer")
            staff = staff or makers.StaffUserMaker()
            payments.payment_confirm_received(payment=payment, actor=staff)
        elif step == "ship":
            trials.trial_ship(trial=trial, actor=f_user, carrier="顺丰", tracking_number="SF123")
        elif step == "receive":
            trials.trial_receive(trial=trial, actor=b_user)
        elif step == "feedback":
            trials.trial_feedback(trial=trial, actor=b_user, units_sold=8, units_returned=1, rating=4)
        elif step == "convert":
            trials.trial_convert(trial=trial, actor=b_user, quantity=200)
        elif step == "end":
            trials.trial_end(trial=trial, actor=b_user)
    trial.refresh_from_db()
    assert trial.status == status
    return trial


def snapshot(obj) -> tuple:
    """Everything a refused transition must leave untouched: the row and the audit trail."""
    obj.refresh_from_db()
    row = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    return row, Event.objects.count()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url():
    """A real localstripe (a stateful fake Stripe) for the whole session, from scratch."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    port = _free_port()
    exe = shutil.which("localstripe") or str(Path(sys.executable).parent / "localstripe")
    proc = subprocess.Popen(  # noqa: S603 - our own test tool, fixed arguments
        [exe, "--port", str(port), "--from-scratch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=1)  # noqa: S310 - local URL
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("localstripe did not start") from None
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


WEBHOOK_SECRET = "whsec_yuantou_tests"


@pytest.fixture
def stripe_live(settings, localstripe_url, live_server):
    """Point our Stripe client at localstripe and have it deliver signed webhooks to the live server."""
    import urllib.parse
    import urllib.request

    settings.STRIPE_API_KEY = "sk_test_yuantou"
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    data = urllib.parse.urlencode(
        {"url": f"{live_server.url}/api/v1/payments/stripe/webhook/", "secret": WEBHOOK_SECRET}
    ).encode()
    urllib.request.urlopen(f"{localstripe_url}/_config/webhooks/yuantou", data=data, timeout=5)  # noqa: S310
    yield localstripe_url
    # localstripe's webhooks are answered by the live server's threads, which may still be at work
    # (the outbox relay after the commit) when the test has seen what it waited for. The database
    # is flushed next: a TRUNCATE meeting a relay's row lock deadlocked, the flush failed, and the
    # next test found this test's rows (seen in CI). Wait until no other session is busy.
    wait_until(_no_other_session_busy, timeout=15, message="the live server's requests did not finish")


def _no_other_session_busy() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        for _ in range(2):  # twice, 100 ms apart: a webhook sent just after the first look shows
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            if cursor.fetchone()[0]:
                return False
            time.sleep(0.1)
    return True


BULK_PATHS = {
    "placed": [],
    "confirmed": ["confirm"],
    "declined": ["decline"],
    "cancelled": ["cancel"],
    "deposit_paid": ["confirm", "pay"],
    "in_production": ["confirm", "pay", "start_production"],
    "shipped": ["confirm", "pay", "start_production", "ship"],
    "received": ["confirm", "pay", "start_production", "ship", "receive"],
    "balance_paid": ["confirm", "pay", "start_production", "ship", "receive", "pay"],
    "completed": ["confirm", "pay", "start_production", "ship", "receive", "pay", "complete"],
    "disputed": ["confirm", "pay", "start_production", "dispute"],
}


def bulk_at(status: str, *, product, buyer):
    """A bulk order of 200 units (from a converted trial) brought to `status` through the services."""
    from datetime import timedelta

    from django.utils import timezone

    from trials.services import bulk as bulk_service

    trial = trial_at("converted", product=product, buyer=buyer)
    order = trial.bulk_order
    f_user, b_user = product.factory.owner, buyer.user
    staff = None
    for step in BULK_PATHS[status]:
        if step == "confirm":
            tomorrow_month = timezone.localdate() + timedelta(days=30)
            bulk_service.bulk_confirm(bulk=order, actor=f_user, delivery_date=tomorrow_month)
        elif step == "decline":
            bulk_service.bulk_decline(bulk=order, actor=f_user, reason="排期已满")
        elif step == "cancel":
            bulk_service.bulk_cancel(bulk=order, actor=b_user)
        elif step == "pay":
            payment = payments.bulk_payment_start(bulk=order, actor=b_user, provider="bank_transfer")
            staff = staff or makers.StaffUserMaker()
            payments.payment_confirm_received(payment=payment, actor=staff)
        elif step == "start_production":
            bulk_service.bulk_start_production(bulk=order, actor=f_user)
        elif step == "ship":
            bulk_service.bulk_ship(bulk=order, actor=f_user, carrier="德邦物流", tracking_number="DB778899")
        elif step == "receive":
            bulk_service.bulk_receive(bulk=order, actor=b_user)
        elif step == "complete":
            bulk_service.bulk_complete(bulk=order, actor=b_user)
        elif step == "dispute":
            bulk_service.bulk_dispute(bulk=order, actor=b_user, reason="工期延误且样品颜色不符")
    order.refresh_from_db()
    assert order.status == status
    return order


def mask_request(buyer, *, factory=None):
    """A streamer's request for 5,000 face masks: directed to `factory`, else open to the category."""
    from datetime import timedelta

    from django.utils import timezone

    from trials.services import custom

    target = {"factory": factory.pk} if factory is not None else {"category": "facial-masks"}
    return custom.custom_request_create(
        actor=buyer.user,
        data={
            **target,
            "title": "便携涂抹式睡眠面膜",
            "requirements": "20 条独立包装",
            "quantity": 5000,
            "deadline": timezone.now() + timedelta(days=7),
        },
    )


def quote_from(factory, request, *, price="3.25", moq=3000, proposal="一盒 20 条"):
    from trials.services import custom

    return custom.quote_submit(
        request=request,
        actor=factory.owner,
        data={
            "unit_price": Decimal(price),
            "moq": moq,
            "lead_time_days": 20,
            "proposal": proposal,
            "trial_quantity": 200,
        },
    )
