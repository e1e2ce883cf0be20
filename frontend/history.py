"""The audit trail of a deal, in words: a transition's event says which status it moved to; the
few other events have a label of their own. Unknown verbs fall back to their code."""

from django.utils.translation import gettext_lazy as _

from marketplace.core.events import events_for

LABELS = {
    "trial.requested": _("Trial requested"),
    "trial.reminded": _("Reminder sent"),
    "bulk.reminded": _("Reminder sent"),
    "bulk_order.created": _("Bulk order placed"),
    "sample.requested": _("Sample requested"),
    "custom.requested": _("Request published"),
    "custom.quoted": _("Quote received"),
    "payment.started": _("Payment started"),
    "payment.needs_refund": _("Payment to refund"),
    "payment.amount_mismatch": _("Payment amount did not match"),
}

LIMIT = 50


def history(target, statuses: dict, *, events=None) -> list[dict]:
    """`statuses`: the flow's status → label, to name where each transition went; `events`: the
    target's events as the reader may see them (all of them by default)."""
    rows = []
    for event in (events_for(target) if events is None else events)[:LIMIT]:
        to = (event.data or {}).get("to")
        label = LABELS.get(event.verb) or (statuses.get(to) if to else None) or event.verb
        rows.append({"at": event.created_at, "label": label, "actor": event.actor, "verb": event.verb})
    return rows
