"""State machines as data, and the one function that applies them.

Each flow declares a `Flow` (state, transition, which actor may fire it) and wraps it in a
`FlowTable`: per transition, its guards, the timestamp it stamps, whom it notifies; and the
timed transitions (beat tasks fire them as the `system` actor). Services lock the row, then call
`transition_apply`, so the API, the pages, the admin and beat all go through the same checks; two
racing requests are serialized by the lock and the loser sees the new state and gets a clear 409.
`allowed_actions` is the one answer to "what may this person do now" that the API's `actions`,
the pages' buttons and the admin's staff actions read.

This module sits in the bottom layer: it knows no app. Notifications are a hook the
notifications app registers (`transition_notifier_register`), the way outbox consumers register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import NotAllowed, TransitionNotAllowed
from .events import event_record

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

SYSTEM = "system"  # timed transitions and payment confirmations: no person fires them
# A transition target meaning "the status kept in the table's `previous_field`" (a dispute that
# staff resolve returns the order to the step it was in).
PREVIOUS = "(previous)"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    description: str = field(default="", compare=False)
    # A translatable verb for messages ("approve" / "审核通过"); falls back to `name`.
    label: object = field(default=None, compare=False)
    # Refusals in the flow's own words, when the generic "You are not allowed to …" / "Cannot …:
    # it is …" would say less (a link: "Only the invited side can accept.").
    refused_actor: object = field(default=None, compare=False)
    refused_state: object = field(default=None, compare=False)
    # Actors (of `actors`) who fire it in the Django admin only: the staff bulk actions on the
    # stuck lists have no API operation and no page button, so the API's `actions` and the
    # pages must not offer them (`allowed_actions(..., in_admin=False)`).
    admin_actors: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def verb(self) -> str:
        return str(self.label) if self.label is not None else self.name


def transition(
    name: str,
    sources: Iterable[str],
    target: str,
    actors: Iterable[str],
    description: str = "",
    label: object = None,
    *,
    refused_actor: object = None,
    refused_state: object = None,
    admin: Iterable[str] = (),
) -> Transition:
    """`admin`: actors who may fire it too, in the Django admin only (see `admin_actors`)."""
    return Transition(
        name,
        frozenset(sources),
        target,
        frozenset(actors) | frozenset(admin),
        description,
        label,
        refused_actor,
        refused_state,
        frozenset(admin),
    )


class Flow:
    def __init__(
        self,
        name: str,
        transitions: Iterable[Transition],
        labels: Mapping[str, object],
        routes: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.name = name
        self.transitions = {t.name: t for t in transitions}
        self.labels = labels  # status -> human label, for messages
        # A transition people can't fire directly → (the action that leads to it, the role taking
        # it): a trial becomes `paid` on the provider's confirmation; the buyer's way there is `pay`.
        self.routes = routes or {}

    def allowed_from(self, status: str) -> list[str]:
        return [t.name for t in self.transitions.values() if status in t.sources]

    def actions_for(self, status: str, role: str, *, in_admin: bool = False) -> list[str]:
        """What this role may do now, in table order (read through `allowed_actions`); what the
        role fires only in the admin counts only `in_admin`."""
        names = []
        for t in self.transitions.values():
            if status not in t.sources:
                continue
            if role in t.actors and (in_admin or role not in t.admin_actors):
                names.append(t.name)
            elif t.name in self.routes and self.routes[t.name][1] == role:
                names.append(self.routes[t.name][0])
        return names

    def check(self, *, name: str, status: str, actor_role: str) -> Transition:
        """Return the transition or raise: wrong actor → NotAllowed (403), wrong state → 409."""
        t = self.transitions[name]
        if actor_role not in t.actors:
            if t.refused_actor is not None:
                raise NotAllowed(str(t.refused_actor))
            raise NotAllowed(_("You are not allowed to %(action)s this.") % {"action": t.verb})
        if status not in t.sources:
            if t.refused_state is not None:
                raise TransitionNotAllowed(str(t.refused_state))
            raise TransitionNotAllowed(
                _("Cannot %(action)s: it is %(status)s.")
                % {"action": t.verb, "status": str(self.labels.get(status, status))}
            )
        return t


# A user as the tables see one: settings.AUTH_USER_MODEL, named the way events.py names it (core
# does not import the accounts app).
Actor: TypeAlias = "_User"


Guard = Callable[[Any, dict[str, Any]], None]  # (obj, context) → None, or raises ValidationError


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
    parties: Callable[[Any], Mapping[str, Any]] = lambda obj: {}
    describe: Callable[[Any], dict[str, Any]] = lambda obj: {}
    key_prefix: str = ""  # notification keys: "<key_prefix>:<pk>:<transition>"
    previous_field: str | None = None
    status_field: str = "status"
    # The event verb each transition records (the constants of the app's events.py); its event
    # holds {"from": status, "to": status}, plus what `event_extra(obj, name)` adds (a reason).
    events: Mapping[str, str] = field(default_factory=dict)
    event_extra: Callable[[Any, str], dict[str, Any]] = lambda obj, name: {}
    # The notification's de-duplication key: (obj, name) -> key. A transition a row goes through
    # once keys on its name; a review that can repeat keys on the occurrence.
    notification_key: Callable[[Any, str], str] | None = None
    # The actor's role for this row when it comes from a relationship, not the account: on a
    # streamer link one user is the invited side of one link and the inviting side of another.
    # (obj, user) -> role; None reads the account's `acting_role`.
    role_of: Callable[[Any, Any], str] | None = None

    def __post_init__(self) -> None:
        unnamed = set(self.flow.transitions) - set(self.events)
        if unnamed:
            raise ImproperlyConfigured(f"{self.flow.name}: no event verb for {sorted(unnamed)}")

    def rule(self, name: str) -> Rule:
        return self.rules.get(name, Rule())

    def status_of(self, obj: Any) -> str:
        status: str = getattr(obj, self.status_field)
        return status

    def verb(self, name: str) -> str:
        return self.events[name]

    def role(self, obj: Any, actor: Actor | None) -> str:
        if actor is None or self.role_of is None:
            return actor_role(actor)
        return self.role_of(obj, actor)

    def check(self, *, obj: Any, name: str, actor: Actor | None) -> Transition:
        """Refuse a wrong actor (403) or state (409) before the caller touches the row."""
        return self.flow.check(name=name, status=self.status_of(obj), actor_role=self.role(obj, actor))


def actor_role(actor: Actor | None) -> str:
    return SYSTEM if actor is None else actor.acting_role


def allowed_actions(table: FlowTable, obj: Any, user: Actor | None, *, in_admin: bool = False) -> list[str]:
    """What `user` may do now with `obj`: the transitions their role may fire from its status, and
    the routes to those only the system fires (`pay`). The API's `actions`, the pages' buttons and
    the admin's staff actions all ask here, so they cannot disagree. The API and the pages list
    only what they can fire; the admin (`in_admin`) adds what staff fire there only (a transition's
    `admin_actors`: the bulk actions on the stuck lists)."""
    return table.flow.actions_for(table.status_of(obj), table.role(obj, user), in_admin=in_admin)


class Notifier(Protocol):
    def __call__(self, *, recipient: Any, kind: str, key: str, data: dict[str, Any]) -> object: ...


_notifier: Notifier | None = None


def transition_notifier_register(notifier: Notifier) -> None:
    """Called from the notifications app's AppConfig.ready(): how a transition tells a party."""
    global _notifier  # one hook per process, set once at start-up
    _notifier = notifier


def _updated_at(obj: models.Model) -> list[str]:
    # auto_now fields are written only when named in update_fields; a row without one (a link) has none.
    return ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.concrete_fields) else []


# Any flow's model (trial, sample, custom request, bulk order, factory, product): what goes in comes back.
M = TypeVar("M", bound=models.Model)


def transition_apply(
    *,
    table: FlowTable,
    obj: M,
    name: str,
    actor: Actor | None,
    context: dict[str, Any] | None = None,
    extra_fields: list[str] | None = None,
    prepare: Callable[[M], list[str]] | None = None,
    event_data: dict[str, Any] | None = None,
    notice: Mapping[str, Any] | None = None,
) -> M:
    """Check actor and state, run guards, move `obj` to the target state, audit and notify.

    `obj` must already be locked (select_for_update) by the calling service. `extra_fields` are
    fields the service set on `obj` before calling and that must be saved with the change;
    `prepare(obj)` sets fields once the transition is known to be allowed and returns their
    names. `event_data` is what only the caller knows and the event keeps (the address the
    request came from, the row as it was). `notice` is what the parties' notification says beyond
    the row (a staff member's reason, which no column keeps). A refused transition raises before
    anything is written.
    """
    context = context or {}
    t = table.check(obj=obj, name=name, actor=actor)
    rule = table.rule(name)
    for guard in rule.guards:
        guard(obj, context)
    prepared = prepare(obj) if prepare else []
    previous = table.status_of(obj)
    target = getattr(obj, table.previous_field or "") if t.target == PREVIOUS else t.target
    setattr(obj, table.status_field, target)
    update_fields = [table.status_field, *_updated_at(obj), *(extra_fields or []), *prepared]
    if rule.stamp:
        setattr(obj, rule.stamp, timezone.now())
        update_fields.append(rule.stamp)
    obj.save(update_fields=list(dict.fromkeys(update_fields)))
    verb = table.verb(name)
    event_record(
        actor=actor,
        verb=verb,
        target=obj,
        **{"from": previous, "to": target},
        **(event_data or {}),
        **table.event_extra(obj, name),
    )
    if not rule.notify:
        return obj
    parties = table.parties(obj)
    data = {**table.describe(obj), **(notice or {})}
    key = (
        table.notification_key(obj, name) if table.notification_key else f"{table.key_prefix}:{obj.pk}:{name}"
    )
    for party in rule.notify:
        recipient = parties.get(party)
        if recipient is None or (actor is not None and recipient.pk == actor.pk):
            continue
        if _notifier is None:
            raise ImproperlyConfigured("No transition notifier registered (marketplace.notifications).")
        _notifier(recipient=recipient, kind=verb, key=key, data=data)
    return obj
