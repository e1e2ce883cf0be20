"""One trial transition in its own transaction: the step both the trial and the payment services take.

It sits below both so that the dependency runs one way: trials.py imports payments.py (a cancel
voids the live attempts) and payments.py imports only this (a confirmed payment marks the trial
paid), with no import hidden inside a function to break a circle.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from marketplace.accounts.models import User

from ..flows import transition_apply
from ..flows.trial import TABLE
from ..models import TrialOrder
from . import records
from .common import locked, require_party


def trial_step(
    *,
    trial: TrialOrder,
    actor: User | None,
    name: str,
    context: dict[str, Any] | None = None,
    prepare: Callable[[TrialOrder], list[str]] | None = None,
) -> TrialOrder:
    with transaction.atomic():
        # What the party check, the notifications and the API's answer read: one query, not five.
        trial = locked(TrialOrder, trial.pk, "buyer__user", "factory__owner", "product", "bulk_order")
        require_party(trial, actor)
        # `prepare` sets its fields once the table allowed the step and its guards passed the
        # context: a refused step sets nothing (the same order in every deal's step).
        transition_apply(table=TABLE, obj=trial, name=name, actor=actor, context=context, prepare=prepare)
        records.after_trial_transition(trial=trial, name=name)
    return trial


def trial_mark_paid(*, trial: TrialOrder) -> TrialOrder:
    """Called by the payment service only, when the provider confirms."""
    return trial_step(trial=trial, actor=None, name="mark_paid")
