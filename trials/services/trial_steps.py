"""One trial transition in its own transaction: the step both the trial and the payment services take.

It sits below both so that the dependency runs one way: trials.py imports payments.py (a cancel
voids the live attempts) and payments.py imports only this (a confirmed payment marks the trial
paid), with no import hidden inside a function to break a circle.
"""

from collections.abc import Callable
from typing import Any

from marketplace.accounts.models import User

from ..flows.trial import TABLE
from ..models import TrialOrder
from . import records
from .common import deal_step


def trial_step(
    *,
    trial: TrialOrder,
    actor: User | None,
    name: str,
    context: dict[str, Any] | None = None,
    prepare: Callable[[TrialOrder], list[str]] | None = None,
    also: Callable[[TrialOrder], None] | None = None,
) -> TrialOrder:
    """`also`: what the caller does besides, under the same lock and in the same transaction
    (rather than a transaction around this one: its savepoint cost two round trips)."""

    def after(t: TrialOrder) -> None:
        records.after_trial_transition(trial=t, name=name)
        if also is not None:
            also(t)

    return deal_step(
        TrialOrder,
        pk=trial.pk,
        table=TABLE,
        actor=actor,
        name=name,
        context=context,
        prepare=prepare,
        # What the party check, the notifications and the API's answer read: one query, not five.
        related=("buyer__user", "factory__owner", "product", "bulk_order"),
        after=after,
    )


def trial_mark_paid(*, trial: TrialOrder) -> TrialOrder:
    """Called by the payment service only, when the provider confirms."""
    return trial_step(trial=trial, actor=None, name="mark_paid")
