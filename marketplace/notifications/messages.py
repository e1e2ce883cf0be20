"""What each kind of notification says: the apps' texts, registered here, rendered in the active language.

`data` always carries `ref` (e.g. T000012) and `title`; other placeholders are listed per kind.
A transition's notification is of its event's kind, the verb its flow table names (the apps'
events.py, past tense); the other kinds (reminders, offers, instructions) are notifications only.
A missing placeholder renders as an empty string rather than failing a delivery.
"""

from collections import defaultdict
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from marketplace.core.validators import single_line

# kind -> (subject, body). Each app registers its own texts (its notification_texts.py) from its
# ready(), next to its event verbs; this module only renders them.
Text = tuple[str | Promise, str | Promise]
MESSAGES: dict[str, Text] = {}


def notification_texts_register(texts: Mapping[str, Text]) -> None:
    """Add an app's texts; a kind two apps both claim is a mistake caught at start-up."""
    clash = [kind for kind in texts if kind in MESSAGES and MESSAGES[kind] != texts[kind]]
    if clash:
        raise ImproperlyConfigured(f"notification texts registered twice: {clash}")
    MESSAGES.update(texts)


FALLBACK = (_("Update: %(title)s"), _("%(ref)s: %(kind)s"))


def render(kind: str, data: dict) -> tuple[str, str]:
    """(subject, body) in the active language."""
    subject, body = MESSAGES.get(kind, FALLBACK)
    values = defaultdict(str, {k: "" if v is None else v for k, v in data.items()})
    values["kind"] = kind
    # The subject is a mail header: only safe one-line text, whatever a title or name holds.
    return single_line(str(subject) % values), str(body) % values
