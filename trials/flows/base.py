"""The one place a trials-app transition is applied.

Each flow module declares a `FlowTable`: the core `Flow` (state, transition, actors) plus, per
transition, its guards, the timestamp it stamps, whom it notifies; and the timed transitions
(beat tasks fire them as the `system` actor). Services lock the row, then call `transition_apply`,
so the API, admin and beat all go through the same checks.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar, cast

from django.db import models
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.events import event_record
from marketplace.core.transitions import Flow
from marketplace.notifications.services import notification_create

SYSTEM = "system"  # timed transitions and payment confirmations: no person fires them
# A transition target meaning "the status kept in the table's `previous_field`" (a dispute that
# staff resolve returns the order to the step it was in).
PREVIOUS = "(previous)"

Guard = Callable[[models.Model, dict[str, Any]], None]  # raises ValidationError with a message


@dataclass(frozen=True)
class Rule:
    guards: tuple[Guard, ...] = ()
    stamp: str | None = None  # a datetime field set to now
    notify: tuple[str, ...] = ()  # parties to tell: "buyer" | "factory"


@dataclass(frozen=True)
class Timed:
    """Fire `transition` on rows in `status` once `field` + `after` has passed."""

    transition: str
    status: str
    field: str
    after: timedelta


@dataclass
class FlowTable:
    flow: Flow
    rules: dict[str, Rule]
    timed: list[Timed] = field(default_factory=list)
    # obj -> {"buyer": User, "factory": User}, and obj -> data for the notification text
    parties: Callable[[Any], dict[str, User]] = lambda obj: {}
    describe: Callable[[Any], dict[str, Any]] = lambda obj: {}
    kind_prefix: str = ""
    previous_field: str | None = None

    def rule(self, name: str) -> Rule:
        return self.rules.get(name, Rule())


def actor_role(actor: User | None) -> str:
    return SYSTEM if actor is None else actor.acting_role


# Any flow's model (trial, sample, custom request, bulk order): what goes in comes back.
M = TypeVar("M", bound=models.Model)


def transition_apply(
    *,
    table: FlowTable,
    obj: M,
    name: str,
    actor: User | None,
    context: dict[str, Any] | None = None,
    extra_fields: list[str] | None = None,
) -> M:
    """Check actor and state, run guards, move `obj` to the target state, audit and notify.

    `obj` must already be locked (select_for_update) by the calling service. `extra_fields` are
    fields the service set on `obj` before calling and that must be saved with the change. A
    refused transition raises before anything is written.
    """
    record: Any = obj  # every flow's model has the status field its table moves
    context = context or {}
    t = table.flow.check(name=name, status=record.status, actor_role=actor_role(actor))
    rule = table.rule(name)
    for guard in rule.guards:
        guard(obj, context)
    previous = record.status
    record.status = getattr(obj, cast(str, table.previous_field)) if t.target == PREVIOUS else t.target
    update_fields = ["status", "updated_at", *(extra_fields or [])]
    if rule.stamp:
        setattr(obj, rule.stamp, timezone.now())
        update_fields.append(rule.stamp)
    obj.save(update_fields=list(dict.fromkeys(update_fields)))
    event_record(
        actor=actor,
        verb=f"{table.kind_prefix}.{name}",
        target=obj,
        **{"from": previous, "to": record.status},
    )
    parties = table.parties(obj)
    data = table.describe(obj)
    for party in rule.notify:
        recipient = parties.get(party)
        if recipient is not None and (actor is None or recipient.pk != actor.pk):
            notification_create(
                recipient=recipient,
                kind=f"{table.kind_prefix}.{name}",
                key=f"{table.kind_prefix}:{obj.pk}:{name}",
                data=data,
            )
    return obj
