"""Reads for the signed-in pages, built on the trials selectors (which decide who sees what)."""

from collections.abc import Iterable
from typing import TypeVar, cast

from django.conf import settings
from django.db.models import Case, IntegerField, Model, QuerySet, Value, When

from marketplace.accounts.models import User
from trials import selectors
from trials.models import (
    CLOSED_BULK_STATUSES,
    BulkOrder,
    BulkStatus,
    CustomRequest,
    CustomStatus,
    Payment,
    SampleRequest,
    TrialOrder,
)
from trials.models.payment import LIVE_PAYMENT_STATUSES
from trials.models.sample import OPEN_SAMPLE_STATUSES
from trials.models.trial import OPEN_TRIAL_STATUSES
from trials.payments import get_provider

OPEN_CUSTOM_STATUSES = [CustomStatus.OPEN, CustomStatus.CLOSED]  # still waiting for the buyer's choice


Deal = TypeVar("Deal", bound=Model)


def _open_first(qs: QuerySet[Deal], open_statuses: Iterable[str]) -> QuerySet[Deal]:
    """Deals that still need someone to act come first, newest first within each group."""
    # The same rows with one more column: django-stubs cannot carry the row type of a type
    # variable through annotate(), so it is restated here.
    return cast(
        QuerySet[Deal],
        qs.annotate(
            is_done=Case(
                When(status__in=open_statuses, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("is_done", "-created_at", "-id"),
    )


def trials_of(user: User) -> QuerySet[TrialOrder]:
    return _open_first(selectors.trial_visible_to(user), OPEN_TRIAL_STATUSES)


def samples_of(user: User) -> QuerySet[SampleRequest]:
    return _open_first(selectors.sample_visible_to(user), OPEN_SAMPLE_STATUSES)


def custom_requests_of(user: User) -> QuerySet[CustomRequest]:
    return _open_first(selectors.custom_request_visible_to(user), OPEN_CUSTOM_STATUSES)


def bulk_orders_of(user: User) -> QuerySet[BulkOrder]:
    open_statuses = [s for s in BulkStatus.values if s not in CLOSED_BULK_STATUSES]
    # The rows show no payments: drop the selector's prefetch.
    return _open_first(selectors.bulk_order_visible_to(user).prefetch_related(None), open_statuses)


def live_bulk_payment(order: BulkOrder, purpose: str) -> Payment | None:
    live = [p for p in order.payments.all() if p.purpose == purpose and p.status in LIVE_PAYMENT_STATUSES]
    return max(live, key=lambda p: p.attempt, default=None)


def live_payment(trial: TrialOrder) -> Payment | None:
    return trial.payments.filter(status__in=LIVE_PAYMENT_STATUSES).order_by("-attempt").first()


def payment_details(payment: Payment | None) -> dict[str, object]:
    """What the buyer needs to pay: bank details and reference, or the card form's client secret."""
    if payment is None:
        return {}
    return get_provider(payment.provider).details(payment)


def card_payments_available() -> bool:
    return bool(settings.STRIPE_API_KEY)


def stripe_publishable_key() -> str:
    return settings.STRIPE_PUBLISHABLE_KEY
