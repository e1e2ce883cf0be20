"""One bulk-order transition in its own transaction: the step both the bulk-order and the
payment services take (below both, like trial_steps.py, so imports run one way)."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from marketplace.accounts.models import User

from ..flows import transition_apply
from ..flows.bulk import TABLE
from ..models import BulkOrder, PaymentPurpose
from .common import locked, require_party


def bulk_step(
    *,
    bulk: BulkOrder,
    actor: User | None,
    name: str,
    context: dict[str, Any] | None = None,
    prepare: Callable[[BulkOrder], list[str]] | None = None,
) -> BulkOrder:
    with transaction.atomic():
        bulk = locked(BulkOrder, bulk.pk)
        require_party(bulk, actor)
        # `prepare` runs once the step is allowed: a wrong actor or state sets nothing.
        transition_apply(table=TABLE, obj=bulk, name=name, actor=actor, context=context, prepare=prepare)
    return bulk


def bulk_mark_paid(*, bulk: BulkOrder, purpose: str) -> BulkOrder:
    """Called by the payment service only, when the provider confirms the deposit or the balance."""
    name = "mark_deposit_paid" if purpose == PaymentPurpose.DEPOSIT else "mark_balance_paid"
    return bulk_step(bulk=bulk, actor=None, name=name)
