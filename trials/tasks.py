"""Beat tasks for the timed transitions of flows/*.py, and provider side effects.

Each task finds due rows by id, then applies the transition through the same service a person
would use, one row per transaction; a row someone else just moved is skipped (its transition is
no longer allowed), so running a task twice or concurrently changes nothing more.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone

from marketplace.core.errors import TransitionNotAllowed
from marketplace.core.outbox import outbox_claim
from marketplace.core.transitions import FlowTable

from .flows import bulk as bulk_flow
from .flows import custom as custom_flow
from .flows import sample as sample_flow
from .flows import trial as trial_flow
from .models import BulkOrder, CustomRequest, Payment, SampleRequest, TrialOrder, TrialStatus
from .payments import get_provider
from .services import bulk, custom, refunds, samples, trials

logger = logging.getLogger(__name__)

TimedModel = type[TrialOrder] | type[SampleRequest] | type[CustomRequest] | type[BulkOrder]
Handlers = dict[str, Callable[[Any], object]]  # transition name -> its service, given the row
TIMED: list[tuple[FlowTable, TimedModel, Handlers]] = [
    (
        trial_flow.TABLE,
        TrialOrder,
        {
            "expire": lambda o: trials.trial_expire(trial=o),
            "end": lambda o: trials.trial_end(trial=o, actor=None),
            "end_unreported": lambda o: trials.trial_end_unreported(trial=o),
        },
    ),
    (sample_flow.TABLE, SampleRequest, {"expire": lambda o: samples.sample_expire(sample=o)}),
    (custom_flow.TABLE, CustomRequest, {"close": lambda o: custom.custom_request_close(request=o)}),
    (
        bulk_flow.TABLE,
        BulkOrder,
        {
            "lapse": lambda o: bulk.bulk_lapse(bulk=o),
            "complete": lambda o: bulk.bulk_complete(bulk=o, actor=None),
        },
    ),
]


def run_timed(table: FlowTable, model: TimedModel, handlers: Handlers, now: datetime | None = None) -> int:
    now = now or timezone.now()
    done = 0
    for timed in table.timed:
        due = model.objects.filter(status=timed.status, **{f"{timed.field}__lte": now - timed.after})
        for obj in due.only("pk"):
            try:
                handlers[timed.transition](obj)
                done += 1
            except TransitionNotAllowed:
                continue  # moved by someone else meanwhile
            except Exception:
                # One bad row must not hold back the others; it is retried on the next beat.
                logger.exception("timed %s failed for %s #%s", timed.transition, model.__name__, obj.pk)
    return done


@shared_task(acks_late=True)
def trials_timed_transitions() -> int:
    """Every few minutes: expire unanswered trials (72 h), end trials 14 days after the window."""
    return run_timed(*TIMED[0])


@shared_task(acks_late=True)
def samples_timed_transitions() -> int:
    return run_timed(*TIMED[1])


@shared_task(acks_late=True)
def custom_requests_timed_transitions() -> int:
    return run_timed(*TIMED[2])


@shared_task(acks_late=True)
def trials_send_reminders() -> int:
    """3 days before the window ends, remind the buyer to report (once per trial)."""
    due = TrialOrder.objects.filter(
        status=TrialStatus.IN_TRIAL,
        reminded_at__isnull=True,
        window_ends_at__lte=timezone.now() + trial_flow.REMIND_BEFORE_END,
    )
    return sum(1 for t in due.only("pk") if trials.trial_remind(trial=t))


@shared_task(acks_late=True)
def bulk_orders_timed_transitions() -> int:
    """Every few minutes: cancel orders nobody confirmed (7 days) or paid a deposit for (14 days),
    complete orders 7 days after the balance came in."""
    return run_timed(*TIMED[3])


@shared_task(acks_late=True)
def bulk_orders_send_reminders() -> int:
    """Hourly: tell the side an order waits for (once per step)."""
    return sum(
        1 for order, reminder in bulk.bulk_reminders_due() if bulk.bulk_remind(bulk=order, reminder=reminder)
    )


def payment_provider_cancel_now(payment_id: int) -> None:
    """Void the attempt at its provider (idempotent: a provider that already closed it is fine)."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is not None:
        get_provider(payment.provider).cancel(payment)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def payment_provider_cancel(payment_id: int, outbox_id: int | None = None) -> None:
    with outbox_claim(None if outbox_id is None else [outbox_id]) as claim:
        if claim:
            payment_provider_cancel_now(payment_id)


@shared_task(acks_late=True)
def payment_refund(refund_id: int, outbox_id: int | None = None) -> None:
    """Refund at the provider once; a failure leaves the outbox row pending for the relay."""
    with outbox_claim(None if outbox_id is None else [outbox_id]) as claim:
        if claim:
            refunds.refund_at_provider(refund_id=refund_id)
