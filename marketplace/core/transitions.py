"""State machines as data.

Each flow declares a table of `Transition`s; `transition_check` is the one function that decides
whether one may fire. Services call it under `select_for_update`, so two racing requests are
serialized and the loser sees the new state and gets a clear 409.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .errors import NotAllowed, TransitionNotAllowed


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    description: str = field(default="", compare=False)
    # A translatable verb for messages ("approve" / "审核通过"); falls back to `name`.
    label: object = field(default=None, compare=False)

    @property
    def verb(self) -> str:
        return str(self.label) if self.label is not None else self.name


def transition(
    name: str,
    sources: Iterable[str],
    target: str,
    actors: Iterable[str],
    description: str = "",
    label=None,
):
    return Transition(name, frozenset(sources), target, frozenset(actors), description, label)


class Flow:
    def __init__(
        self,
        name: str,
        transitions: Iterable[Transition],
        labels: Mapping[str, object],
        routes: dict[str, tuple[str, str]] | None = None,
    ):
        self.name = name
        self.transitions = {t.name: t for t in transitions}
        self.labels = labels  # status -> human label, for messages
        # A transition people can't fire directly → (the action that leads to it, the role taking
        # it): a trial becomes `paid` on the provider's confirmation; the buyer's way there is `pay`.
        self.routes = routes or {}

    def allowed_from(self, status: str) -> list[str]:
        return [t.name for t in self.transitions.values() if status in t.sources]

    def actions_for(self, status: str, role: str) -> list[str]:
        """What this role may do now, in table order: the one answer the API's `actions`, the
        pages' buttons and the admin read."""
        names = []
        for t in self.transitions.values():
            if status not in t.sources:
                continue
            if role in t.actors:
                names.append(t.name)
            elif t.name in self.routes and self.routes[t.name][1] == role:
                names.append(self.routes[t.name][0])
        return names

    def check(self, *, name: str, status: str, actor_role: str) -> Transition:
        """Return the transition or raise: wrong actor → NotAllowed (403), wrong state → 409."""
        t = self.transitions[name]
        if actor_role not in t.actors:
            raise NotAllowed(_("You are not allowed to %(action)s this.") % {"action": t.verb})
        if status not in t.sources:
            raise TransitionNotAllowed(
                _("Cannot %(action)s: it is %(status)s.")
                % {"action": t.verb, "status": str(self.labels.get(status, status))}
            )
        return t
