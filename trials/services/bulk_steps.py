"""One bulk-order transition in its own transaction: the step both the bulk-order and the
payment services take (below both, like trial_steps.py, so imports run one way)."""

from collections.abc import Callable
from typing import Any

from marketplace.accounts.models import User

from ..flows.bulk import TABLE
from ..models import BulkOrder, PaymentPurpose
from .common import deal_step


def bulk_step(
    *,
    bulk: BulkOrder,
    actor: User | None,
    name: str,
    context: dict[str, Any] | None = None,
    prepare: Callable[[BulkOrder], list[str]] | None = None,
) -> BulkOrder:
    return deal_step(
        BulkOrder, pk=bulk.pk, table=TABLE, actor=actor, name=name, context=context, prepare=prepare
    )


def bulk_mark_paid(*, bulk: BulkOrder, purpose: str) -> BulkOrder:
    """Called by the payment service only, when the provider confirms the deposit or the balance."""
    name = "mark_deposit_paid" if purpose == PaymentPurpose.DEPOSIT else "mark_balance_paid"
    return bulk_step(bulk=bulk, actor=None, name=name)
