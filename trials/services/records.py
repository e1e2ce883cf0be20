"""The factory's and the streamer's records, recomputed from real trials and samples.

Recomputed from scratch (not incremented) so a retried or reordered event can't skew them; the
queries are per factory / per buyer and indexed. Both records feed matching, so the row is marked
for reindexing.
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from statistics import median

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from buyers.models import BuyerProfile
from factories.models import Factory
from marketplace.core.dirty import mark_dirty_saving

from ..models import SampleRequest, SampleStatus, TrialOrder, TrialStatus

S = TrialStatus
RATE = Decimal("0.001")


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(RATE) if whole else None


def _hours(rows: Iterable[tuple[datetime, datetime | None]]) -> list[float]:
    # (the caller's rows all have an answer: responded_at__isnull=False)
    return [
        (responded - created).total_seconds() / 3600 for created, responded in rows if responded is not None
    ]


def factory_record_refresh(*, factory_id: int) -> dict[str, int | Decimal | None]:
    # Runs inside the transition's transaction, so every query here lengthens the time its rows
    # stay locked: one aggregate over the trials, one read of the samples, one UPDATE.
    trials = TrialOrder.objects.filter(factory_id=factory_id)
    with_feedback = Q(feedback_at__isnull=False)
    agg = trials.aggregate(
        expired=Count("id", filter=Q(status=S.EXPIRED)),
        failed_to_ship=Count("id", filter=FAILED_TO_SHIP),
        completed=Count("id", filter=Q(status__in=[S.CONVERTED, S.ENDED])),
        sold=Sum("units_sold", filter=with_feedback),
        returned=Sum("units_returned", filter=with_feedback),
        rating=Avg("rating", filter=with_feedback),
        converted=Count("id", filter=with_feedback & Q(status=S.CONVERTED)),
        reported=Count("id", filter=with_feedback),
        done=Count("id", filter=with_feedback & Q(status__in=[S.CONVERTED, S.ENDED])),
    )
    # Response: a trial or sample request the factory answered, against those it let expire.
    answered = trials.filter(quote__isnull=True, responded_at__isnull=False)
    hours = _hours(answered.values_list("created_at", "responded_at"))
    samples = SampleRequest.objects.filter(factory_id=factory_id).filter(
        Q(responded_at__isnull=False) | Q(status=SampleStatus.EXPIRED)
    )
    sample_rows = list(samples.values_list("created_at", "responded_at", "status"))
    hours += _hours((created, responded) for created, responded, _ in sample_rows if responded)
    expired = agg["expired"] + sum(1 for *_, status in sample_rows if status == SampleStatus.EXPIRED)
    fields = {
        "trials_reported": agg["reported"],
        "trials_decided": agg["done"],
        "trials_converted": agg["converted"],
        "units_sold": agg["sold"] or 0,
        "units_returned": agg["returned"] or 0,
        "requests_answered": len(hours),
        "requests_expired": expired,
        "response_rate": _rate(len(hours), len(hours) + expired),
        "median_response_hours": Decimal(str(round(median(hours), 1))) if hours else None,
        "trial_conversion_rate": _rate(agg["converted"], agg["done"]),
        "return_rate": _rate(agg["returned"] or 0, agg["sold"] or 0),
        "average_rating": Decimal(str(agg["rating"])).quantize(Decimal("0.01")) if agg["rating"] else None,
        "trials_completed": agg["completed"],
        "trials_failed_to_ship": agg["failed_to_ship"],
    }
    mark_dirty_saving(Factory, factory_id, fields)
    return fields


# The buyer's cancellations: a buyer can cancel only before paying, so a cancelled trial that was
# paid is staff's `cancel_with_refund` of a trial the factory never shipped, not the buyer's doing.
BUYER_CANCELLED = Q(status=S.CANCELLED, paid_at__isnull=True)

# A staff `cancel_with_refund` is a factory-side cancellation: the factory was paid and did not ship
# (trials/moderation.py's overdue queue). It counts as the factory's failure to ship
# (`trials_failed_to_ship`, shown to streamers with its record) and as nothing else: never the
# streamer's cancellation (BUYER_CANCELLED above); the factory did answer the request
# (`responded_at`, so its response rate stands; a "request left to expire" it is not); and the
# trial never arrived, so it is no completed, reported or decided trial.
FAILED_TO_SHIP = Q(status=S.CANCELLED, paid_at__isnull=False)


def factory_failed_to_ship_refresh(*, factory_id: int) -> int:
    """Recount only the failures to ship: all a `cancel_with_refund` moves (see above), under
    the trial's lock. Not marked for reindexing: matching does not read the figure
    (search.fit.outcomes.factory_figures), so the factory's documents stay as they are."""
    failed = TrialOrder.objects.filter(FAILED_TO_SHIP, factory_id=factory_id).count()
    Factory.objects.filter(pk=factory_id).update(trials_failed_to_ship=failed)
    return failed


def buyer_record_refresh(*, buyer_id: int) -> dict[str, int | Decimal | None]:
    trials = TrialOrder.objects.filter(buyer_id=buyer_id)
    started = Q(received_at__isnull=False)
    # Due: the window is over or they reported anyway; on time: reported before the window ended.
    due = started & (Q(window_ends_at__lte=timezone.now()) | Q(feedback_at__isnull=False))
    agg = trials.aggregate(
        started=Count("id", filter=started),
        due=Count("id", filter=due),
        on_time=Count("id", filter=due & Q(feedback_at__isnull=False, feedback_at__lte=F("window_ends_at"))),
        cancelled=Count("id", filter=BUYER_CANCELLED),
        decided=Count("id", filter=Q(feedback_at__isnull=False, status__in=[S.CONVERTED, S.ENDED])),
        converted=Count("id", filter=Q(feedback_at__isnull=False, status=S.CONVERTED)),
    )
    # A received sample is followed through when a trial of that product came after it.
    later_trial = trials.filter(product_id=OuterRef("product_id"), created_at__gte=OuterRef("created_at"))
    samples = SampleRequest.objects.filter(buyer_id=buyer_id, status=SampleStatus.RECEIVED).aggregate(
        received=Count("id"), followed=Count("id", filter=Q(Exists(later_trial)))
    )
    fields = {
        "feedback_due": agg["due"],
        "feedback_on_time": agg["on_time"],
        "trials_decided": agg["decided"],
        "trials_converted": agg["converted"],
        "samples_received": samples["received"],
        "samples_followed": samples["followed"],
        "trials_count": agg["started"],
        "feedback_on_time_rate": _rate(agg["on_time"], agg["due"]),
        "sample_followthrough_rate": _rate(samples["followed"], samples["received"]),
        "cancellations_count": agg["cancelled"],
    }
    mark_dirty_saving(BuyerProfile, buyer_id, fields)
    return fields


FACTORY_EVENTS = {"accept", "decline", "expire", "feedback", "convert", "end", "end_unreported"}
BUYER_EVENTS = {"cancel", "receive", "feedback", "convert", "end", "end_unreported"}


def buyer_cancellations_refresh(*, buyer_id: int) -> None:
    """Recount only the cancellations: what a cancel of a trial that never arrived can move.
    One UPDATE counting in a subquery (a COUNT and an UPDATE before: one statement of the load
    run's busiest write less, issue 11).

    Not marked for reindexing: the streamer's search document carries no cancellations
    (search.documents.buyer_document; a test holds it so), and reindexing a streamer cost the
    worker ~18 ms of CPU per cancel for an identical document."""
    cancelled = (
        TrialOrder.objects.filter(BUYER_CANCELLED, buyer_id=OuterRef("pk"))
        .order_by()
        .values("buyer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # No cancelled trial: no group, so the subquery is NULL, and the count 0.
    BuyerProfile.objects.filter(pk=buyer_id).update(cancellations_count=Coalesce(Subquery(cancelled), 0))


def after_trial_transition(*, trial: TrialOrder, name: str) -> None:
    if name in FACTORY_EVENTS:
        factory_record_refresh(factory_id=trial.factory_id)
    elif name == "cancel_with_refund":
        factory_failed_to_ship_refresh(factory_id=trial.factory_id)
    if name == "cancel" and trial.received_at is None:
        # Every other field of the record counts received trials or samples, so one count is the
        # whole change, recounted like the rest (the busiest write of the load run: issue 11).
        buyer_cancellations_refresh(buyer_id=trial.buyer_id)
    elif name in BUYER_EVENTS:
        buyer_record_refresh(buyer_id=trial.buyer_id)
