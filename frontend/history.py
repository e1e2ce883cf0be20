"""The audit trail of a deal, in words: a transition's event says which status it moved to (its
`to`); the few other events (trials/events.py) have a label of their own. Unknown verbs fall back
to their code."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from buyers.models import BuyerProfile
from factories.models import Factory
from marketplace.accounts.models import User
from marketplace.core.events import events_for
from marketplace.core.models import Event
from trials.events import BulkEvents, CustomEvents, PaymentEvents, SampleEvents, TrialEvents

LABELS = {
    TrialEvents.REQUESTED: _("Trial requested"),
    TrialEvents.REMINDED: _("Reminder sent"),
    BulkEvents.REMINDED: _("Reminder sent"),
    BulkEvents.CREATED: _("Bulk order placed"),
    SampleEvents.REQUESTED: _("Sample requested"),
    CustomEvents.REQUESTED: _("Request published"),
    CustomEvents.QUOTED: _("Quote received"),
    PaymentEvents.STARTED: _("Payment started"),
    PaymentEvents.NEEDS_REFUND: _("Payment to refund"),
    PaymentEvents.AMOUNT_MISMATCH: _("Payment amount did not match"),
}

LIMIT = 50


def history(
    target: Model, statuses: Mapping[str, object], *, events: QuerySet[Event] | None = None
) -> list[dict[str, Any]]:
    """`statuses`: the flow's status → label, to name where each transition went; `events`: the
    target's events as the reader may see them (all of them by default). Each row names who acted
    by the name the other party knows (factory name, streamer's display name). One exception: an
    organization member acting for a streamer is named by the account name the audit row keeps
    (marketplace.core.events.member_acting), "<member> for <streamer>", on both sides."""
    shown = list((events_for(target) if events is None else events)[:LIMIT])
    names = _public_names(target, [e.actor for e in shown if e.actor is not None])
    rows = []
    for event in shown:
        to = (event.data or {}).get("to")
        label = LABELS.get(event.verb) or (statuses.get(to) if to else None) or event.verb
        who = names.get(event.actor_id, _("system")) if event.actor_id else _("system")
        member, key = (event.data or {}).get("member"), (event.data or {}).get("key")
        if member:  # an organization member acted for the streamer (partners.authentication)
            who = _("%(member)s for %(streamer)s") % {"member": member.get("name"), "streamer": who}
        elif key:  # an organization's partner key did: no person signs it
            who = _("%(organization)s's API key “%(key)s” for %(streamer)s") % {
                "organization": key.get("organization"),
                "key": key.get("name"),
                "streamer": who,
            }
        rows.append({"at": event.created_at, "label": label, "who": who, "verb": event.verb})
    return rows


def _public_names(target: Model, actors: Iterable[User]) -> dict[int, str | Promise]:
    """actor id → public name: the deal's own parties without a query, anyone else (another
    factory on an open request) in one query per kind; staff as "Staff"."""
    names: dict[int, str | Promise] = {}
    buyer, factory = getattr(target, "buyer", None), getattr(target, "factory", None)
    if buyer is not None:
        names[buyer.user_id] = buyer.display_name
    if factory is not None:
        names[factory.owner_id] = factory.name
    rest = {a.pk for a in actors if a.pk not in names and not a.is_staff_member}
    if rest:
        names.update(Factory.objects.filter(owner_id__in=rest).values_list("owner_id", "name"))
        names.update(BuyerProfile.objects.filter(user_id__in=rest).values_list("user_id", "display_name"))
    for actor in actors:
        if actor.is_staff_member:
            names[actor.pk] = _("Staff")
    return names
