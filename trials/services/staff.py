"""Staff move stuck flows on (issue 12, moderation): the admin's bulk actions on the "stuck" lists.

Each function fires one transition of a flow table as the staff member, through
`transition_apply`, so the table decides who may fire it from which state (a wrong state is the
table's 409), the event row is the audit row (actor, from → to, reason, address), and the parties
hear through the flow's own notifications. On top of the table, the row must be in its moderation
queue (trials/moderation.py): staff step in where beat or a party should have acted and did not,
never on a request the factory still has time to answer.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, TransitionNotAllowed
from marketplace.core.transitions import FlowTable

from .. import moderation
from ..flows import custom as custom_flow
from ..flows import payment as payment_flow
from ..flows import sample as sample_flow
from ..flows import transition_apply
from ..flows import trial as trial_flow
from ..models import CustomRequest, Payment, PaymentStatus, SampleRequest, TrialOrder
from . import records
from .common import locked, locked_order_of
from .payments import payments_cancel_open
from .refunds import refund_open


def _staff_step(
    *,
    table: FlowTable,
    name: str,
    actor: User,
    stuck: Callable[[], QuerySet[Any]],
    reason: str = "",
    lock: Callable[[], Model],
    then: Callable[[Any], object] | None = None,
) -> Any:
    """Lock, check the table (state and role) and the queue, apply, then `then(row)` in the same
    transaction. A refusal raises before anything is written."""
    if not actor.is_staff_member:
        raise NotAllowed(_("Only staff can do this."))
    reason = (reason or "").strip()
    with transaction.atomic():
        row = lock()
        table.check(obj=row, name=name, actor=actor)  # the wrong state says so first
        if not stuck().filter(pk=row.pk).exists():
            # A 409 like a wrong state: the admin skips it, the API would answer it as a conflict.
            raise TransitionNotAllowed(_("It is not stuck: its time has not run out yet."))
        said = {"reason": reason} if reason else {}
        transition_apply(
            table=table, obj=row, name=name, actor=actor, context=said, event_data=said, notice=said
        )
        if then is not None:
            then(row)
    return row


TRIAL_QUEUES = {
    "expire": moderation.trials_unanswered,
    "end": moderation.trials_overdue,
    "end_unreported": moderation.trials_overdue,
    "cancel_with_refund": moderation.trials_overdue,
}


def _trial_after(name: str) -> Callable[[TrialOrder], None]:
    def then(trial: TrialOrder) -> None:
        if name == "cancel_with_refund":
            # The factory never shipped: any other live attempt is voided, the money goes back
            # (Stripe through the outbox; a bank transfer becomes a refund staff pay by hand).
            payments_cancel_open(order=trial, actor=None)
            for payment in trial.payments.select_for_update().filter(status=PaymentStatus.SUCCEEDED):
                refund_open(payment=payment)
        records.after_trial_transition(trial=trial, name=name)

    return then


def trial_resolve_stuck(*, trial: TrialOrder, actor: User, name: str, reason: str = "") -> TrialOrder:
    """`expire` an unanswered request; `end` / `end_unreported` a trial past its window;
    `cancel_with_refund` a paid trial never shipped (a reason required)."""
    result: TrialOrder = _staff_step(
        table=trial_flow.TABLE,
        name=name,
        actor=actor,
        stuck=TRIAL_QUEUES[name],
        reason=reason,
        lock=lambda: locked(TrialOrder, trial.pk, "buyer__user", "factory__owner", "product"),
        then=_trial_after(name),
    )
    return result


def sample_expire_stuck(*, sample: SampleRequest, actor: User) -> SampleRequest:
    result: SampleRequest = _staff_step(
        table=sample_flow.TABLE,
        name="expire",
        actor=actor,
        stuck=moderation.samples_unanswered,
        lock=lambda: locked(SampleRequest, sample.pk, "buyer__user", "factory__owner", "product"),
        then=lambda s: records.factory_record_refresh(factory_id=s.factory_id),
    )
    return result


def custom_request_close_stuck(*, request: CustomRequest, actor: User) -> CustomRequest:
    result: CustomRequest = _staff_step(
        table=custom_flow.TABLE,
        name="close",
        actor=actor,
        stuck=moderation.custom_requests_past_deadline,
        lock=lambda: locked(CustomRequest, request.pk, "buyer__user"),
    )
    return result


def payment_expire_stuck(*, payment: Payment, actor: User) -> Payment:
    """An attempt pending too long: failed, so the buyer may pay again (money that still arrives
    for it moves it forward, as for any failed attempt)."""

    def lock() -> Payment:
        locked_order_of(payment)  # every payment change locks its order first
        return locked(Payment, payment.pk)

    result: Payment = _staff_step(
        table=payment_flow.TABLE,
        name="expire",
        actor=actor,
        stuck=moderation.payments_pending_too_long,
        lock=lock,
    )
    return result
