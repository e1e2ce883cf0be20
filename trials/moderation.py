"""The staff moderation queues (issue 12, point 4): what waits for a person, and the flows that are
stuck, each as one queryset read by the admin dashboard (counts and oldest item) and by the "stuck"
filter on the trials admin's changelists, so the dashboard's number is what its link lists.

A flow is stuck when it sits in a state past the time it should have left it: a request nobody
answered past its deadline (the beat task's timed transition should have closed it), a paid trial
not shipped, a trial past its window, a payment pending too long. The margins are settings
(MODERATION_*; defaults in settings.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.models import ConversationReport
from factories.models import (
    Factory,
    Product,
    ProductReport,
    ProductRevision,
    ProductStatus,
    ReportStatus,
    RevisionStatus,
    VerificationStatus,
)

from .flows import bulk as bulk_flow
from .flows import sample as sample_flow
from .flows import trial as trial_flow
from .models import (
    BulkOrder,
    BulkStatus,
    CustomRequest,
    CustomStatus,
    Payment,
    SampleRequest,
    SampleStatus,
    TrialOrder,
    TrialStatus,
)
from .models.payment import LIVE_PAYMENT_STATUSES


@dataclass(frozen=True)
class Queue:
    key: str
    label: Any
    rows: Callable[[], QuerySet[Any]]
    # Oldest first: the field whose smallest value is the item waiting longest.
    age_field: str
    # The changelist filter that lists exactly this queue.
    params: dict[str, str]

    @property
    def model(self) -> type:
        return self.rows().model


def _grace() -> timedelta:
    return timedelta(hours=settings.MODERATION_STUCK_GRACE_HOURS)


def trials_unanswered() -> QuerySet[TrialOrder]:
    due = timezone.now() - trial_flow.EXPIRE_AFTER - _grace()
    return TrialOrder.objects.filter(status=TrialStatus.REQUESTED, created_at__lt=due)


def trials_overdue() -> QuerySet[TrialOrder]:
    now = timezone.now()
    not_shipped = Q(
        status=TrialStatus.PAID, paid_at__lt=now - timedelta(days=settings.MODERATION_TRIAL_SHIP_DAYS)
    )
    past_window = Q(
        status__in=[TrialStatus.IN_TRIAL, TrialStatus.FEEDBACK_SUBMITTED],
        window_ends_at__lt=now - trial_flow.END_AFTER_WINDOW - _grace(),
    )
    return TrialOrder.objects.filter(not_shipped | past_window)


def samples_unanswered() -> QuerySet[SampleRequest]:
    due = timezone.now() - sample_flow.EXPIRE_AFTER - _grace()
    return SampleRequest.objects.filter(status=SampleStatus.REQUESTED, created_at__lt=due)


def custom_requests_past_deadline() -> QuerySet[CustomRequest]:
    return CustomRequest.objects.filter(status=CustomStatus.OPEN, deadline__lt=timezone.now() - _grace())


def payments_pending_too_long() -> QuerySet[Payment]:
    due = timezone.now() - timedelta(hours=settings.MODERATION_PAYMENT_PENDING_HOURS)
    return Payment.objects.filter(status__in=LIVE_PAYMENT_STATUSES, created_at__lt=due)


def bulk_orders_stuck() -> QuerySet[BulkOrder]:
    """A bulk order past a timed transition that should have moved it (lapse, completion), or
    waiting on one side MODERATION_BULK_WAIT_DAYS past the reminder that side was sent (the flow's
    REMINDERS: confirm, pay, ship by the promised date, confirm receipt, pay the balance). Read off
    the flow's own tables, so a step added there is watched here too."""
    now = timezone.now()
    late = Q(pk__in=[])
    for timed in bulk_flow.TABLE.timed:
        late |= Q(status=timed.status, **{f"{timed.field}__lt": now - timed.after - _grace()})
    wait = timedelta(days=settings.MODERATION_BULK_WAIT_DAYS)
    for reminder in bulk_flow.REMINDERS:
        # delivery_date is a date in the site's time zone: compare it with the local date.
        due = now - reminder.after - wait
        bound = timezone.localdate(due) if reminder.field == "delivery_date" else due
        late |= Q(status=reminder.status, **{f"{reminder.field}__lt": bound})
    return BulkOrder.objects.filter(late)


def bulk_disputes() -> QuerySet[BulkOrder]:
    """Disputes wait for staff: settle (go on) or cancel and refund (the bulk order admin)."""
    return BulkOrder.objects.filter(status=BulkStatus.DISPUTED)


def factories_expiring() -> QuerySet[Factory]:
    horizon = timezone.now() + timedelta(days=settings.FACTORY_VERIFICATION_REMIND_DAYS)
    return Factory.objects.filter(
        verification_status=VerificationStatus.VERIFIED,
        verification_lapsed_at__isnull=True,
        verification_expires_at__lte=horizon,
    )


STUCK = {"stuck": "1"}

QUEUES = [
    Queue(
        "factories",
        _("Factories awaiting verification"),
        lambda: Factory.objects.filter(verification_status=VerificationStatus.PENDING),
        "created_at",
        {"verification_status__exact": "pending"},
    ),
    Queue(
        "verifications",
        _("Verifications expiring within 30 days"),
        factories_expiring,
        "verification_expires_at",
        {"freshness": "expiring"},
    ),
    Queue(
        "listings",
        _("Listings awaiting review"),
        lambda: Product.objects.filter(status=ProductStatus.PENDING_REVIEW),
        "updated_at",
        {"status__exact": "pending_review"},
    ),
    Queue(
        "revisions",
        _("Listing changes awaiting review"),
        lambda: ProductRevision.objects.filter(status=RevisionStatus.PENDING),
        "updated_at",
        {"status": "pending"},
    ),
    Queue(
        "reports",
        _("Reports of fakes and misleading listings"),
        lambda: ProductReport.objects.filter(status=ReportStatus.OPEN),
        "created_at",
        {"status__exact": "open"},
    ),
    Queue(
        "conversation_reports",
        _("Reported conversations and messages"),
        lambda: ConversationReport.objects.filter(status=ReportStatus.OPEN),
        "created_at",
        {"status__exact": "open"},
    ),
    Queue(
        "trials_unanswered",
        _("Trial requests unanswered past their deadline"),
        trials_unanswered,
        "created_at",
        {"stuck": "unanswered"},
    ),
    Queue(
        "samples_unanswered",
        _("Sample requests unanswered past their deadline"),
        samples_unanswered,
        "created_at",
        STUCK,
    ),
    Queue(
        "custom_requests",
        _("Custom requests open past their deadline"),
        custom_requests_past_deadline,
        "deadline",
        STUCK,
    ),
    Queue(
        "trials_overdue",
        _("Trials overdue (not shipped, or past their window)"),
        trials_overdue,
        "updated_at",
        {"stuck": "overdue"},
    ),
    Queue(
        "bulk_disputes",
        _("Bulk order disputes awaiting a decision"),
        bulk_disputes,
        "disputed_at",
        {"status__exact": "disputed"},
    ),
    Queue(
        "bulk_stuck",
        _("Bulk orders stuck at a step"),
        bulk_orders_stuck,
        "updated_at",
        STUCK,
    ),
    Queue(
        "payments",
        _("Payments pending too long"),
        payments_pending_too_long,
        "created_at",
        STUCK,
    ),
]
