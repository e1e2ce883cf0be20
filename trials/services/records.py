"""The factory's and the streamer's records, recomputed from real trials and samples.

Recomputed from scratch (not incremented) so a retried or reordered event can't skew them; the
queries are per factory / per buyer and indexed. Both records feed matching, so the row is marked
for reindexing.
"""

from decimal import Decimal
from statistics import median

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from buyers.models import BuyerProfile
from factories.models import Factory
from search.dirty import mark_dirty

from ..models import SampleRequest, SampleStatus, TrialOrder, TrialStatus

S = TrialStatus
RATE = Decimal("0.001")


def _mark_dirty(model, pk: int, fields: dict) -> None:
    """Save the record and have search reindex the row."""
    rows = model.objects.filter(pk=pk)
    rows.update(**fields)
    mark_dirty(rows)


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(RATE) if whole else None


def factory_record_refresh(*, factory_id: int) -> dict:
    trials = TrialOrder.objects.filter(factory_id=factory_id)
    samples = SampleRequest.objects.filter(factory_id=factory_id)
    # Response: a trial or sample request the factory answered, against those it let expire.
    hours = [
        (responded - created).total_seconds() / 3600
        for qs in (trials.filter(quote__isnull=True), samples)
        for created, responded in qs.filter(responded_at__isnull=False).values_list(
            "created_at", "responded_at"
        )
    ]
    expired = trials.filter(status=S.EXPIRED).count() + samples.filter(status=SampleStatus.EXPIRED).count()
    with_feedback = trials.filter(feedback_at__isnull=False)
    agg = with_feedback.aggregate(
        sold=Sum("units_sold"),
        returned=Sum("units_returned"),
        rating=Avg("rating"),
        converted=Count("id", filter=Q(status=S.CONVERTED)),
        done=Count("id", filter=Q(status__in=[S.CONVERTED, S.ENDED])),
    )
    completed = trials.filter(status__in=[S.CONVERTED, S.ENDED]).count()
    fields = {
        "response_rate": _rate(len(hours), len(hours) + expired),
        "median_response_hours": Decimal(str(round(median(hours), 1))) if hours else None,
        "trial_conversion_rate": _rate(agg["converted"], agg["done"]),
        "return_rate": _rate(agg["returned"] or 0, agg["sold"] or 0),
        "average_rating": Decimal(str(agg["rating"])).quantize(Decimal("0.01")) if agg["rating"] else None,
        "trials_completed": completed,
    }
    _mark_dirty(Factory, factory_id, fields)
    return fields


def buyer_record_refresh(*, buyer_id: int) -> dict:
    trials = TrialOrder.objects.filter(buyer_id=buyer_id)
    started = trials.filter(received_at__isnull=False)
    # Due: the window is over or they reported anyway; on time: reported before the window ended.
    due = started.filter(Q(window_ends_at__lte=timezone.now()) | Q(feedback_at__isnull=False))
    on_time = due.filter(feedback_at__isnull=False, feedback_at__lte=F("window_ends_at")).count()
    received_samples = SampleRequest.objects.filter(buyer_id=buyer_id, status=SampleStatus.RECEIVED)
    followed = sum(
        1
        for product_id, requested in received_samples.values_list("product_id", "created_at")
        if trials.filter(product_id=product_id, created_at__gte=requested).exists()
    )
    fields = {
        "trials_count": started.count(),
        "feedback_on_time_rate": _rate(on_time, due.count()),
        "sample_followthrough_rate": _rate(followed, received_samples.count()),
        "cancellations_count": trials.filter(status=S.CANCELLED).count(),
    }
    _mark_dirty(BuyerProfile, buyer_id, fields)
    return fields


FACTORY_EVENTS = {"accept", "decline", "expire", "feedback", "convert", "end", "end_unreported"}
BUYER_EVENTS = {"cancel", "receive", "feedback", "convert", "end", "end_unreported"}


def after_trial_transition(*, trial: TrialOrder, name: str) -> None:
    if name in FACTORY_EVENTS:
        factory_record_refresh(factory_id=trial.factory_id)
    if name in BUYER_EVENTS:
        buyer_record_refresh(buyer_id=trial.buyer_id)
