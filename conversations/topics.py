"""What a message in a streamer–factory conversation can be about: a product, a trial, a sample, a
bulk order or a custom request of that same pair (Message.topic_kind + topic_id).

The things talked about live in the apps above this one, which this layer may not import. So, like
agreements.py, they register a kind here from their AppConfig.ready() (trials/topics.py): how to
load objects by id (one query for many), whether one belongs to the pair (a topic naming another
pair's trial is refused before anything is written), its label in both languages, its title and
the page it links to, which of the pair's objects the writing form (and GET conversations/{id}/
topics/) offers, and how the other side's notification of a message about one words it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from marketplace.core.errors import ValidationError
from marketplace.notifications.messages import notification_texts_register

if TYPE_CHECKING:
    from .models import Message

# How many objects of one kind the writing form offers (the newest of the pair).
CHOICES_PER_KIND = 20


@dataclass(frozen=True)
class TopicDefinition:
    kind: str  # stored in Message.topic_kind, e.g. "trial"
    label: Promise  # gettext_lazy: "50%-off trial" / "五折试销"
    load: Callable[[Iterable[int]], dict[int, Any]]  # ids -> objects, one query
    belongs: Callable[[Any, int, int], bool]  # (object, buyer id, factory id)
    title: Callable[[Any], str]  # how one object is named, e.g. "T000012 · 补水面膜"
    url: Callable[[Any], str]  # its page
    # The pair's objects the form offers, newest first, at most `limit`: (buyer id, factory id, limit).
    choices: Callable[[int, int, int], list[Any]]
    # The new-message notification's (subject, body) for a message about one of these, whole
    # sentences so each language orders them its own way: placeholders %(author)s, %(topic)s (the
    # title) and %(body)s. The notification is rendered in the recipient's language when read or
    # mailed, so the kind's words cannot be stored in its data: each kind has a notification kind.
    notice: tuple[Promise, Promise]


_kinds: dict[str, TopicDefinition] = {}


class TopicView(TypedDict):
    """A message's topic as readers see it (the API's `topic`, the thread page)."""

    kind: str
    id: int
    label: str
    title: str
    url: str | None  # None when the object is gone


def topic_notice_kind(kind: str) -> str:
    """The notification kind of a new message about a `kind`, e.g. conversation.message.trial."""
    return f"conversation.message.{kind}"


def topic_kind_register(definition: TopicDefinition) -> None:
    """Register (or replace, by kind: ready() may run twice in tests) a kind of topic, and the
    wording of its new-message notification."""
    _kinds[definition.kind] = definition
    notification_texts_register({topic_notice_kind(definition.kind): definition.notice})


def topic_kinds() -> list[str]:
    return list(_kinds)


def topic_check(*, kind: str, topic_id: int, buyer_id: int, factory_id: int) -> Any:
    """The object a new message is about, if it is one of this pair's; else the JSON error shape's
    400 (the same words whether it does not exist or belongs to someone else: no probing ids)."""
    definition = _kinds.get(kind)
    if definition is None:
        raise ValidationError(
            {"topic_kind": [_("Unknown topic; choose one of: %(kinds)s.") % {"kinds": ", ".join(_kinds)}]}
        )
    found = definition.load([topic_id]).get(topic_id)
    if found is None or not definition.belongs(found, buyer_id, factory_id):
        raise ValidationError(
            {"topic_id": [_("No such %(kind)s between you two.") % {"kind": definition.label}]}
        )
    return found


def topic_notice(kind: str, found: Any) -> tuple[str, dict[str, str]]:
    """The notification kind and data of a message about `found` (checked by topic_check)."""
    return topic_notice_kind(kind), {"topic": _kinds[kind].title(found)}


def topic_describe(definition: TopicDefinition, found: Any, topic_id: int) -> TopicView:
    return {
        "kind": definition.kind,
        "id": topic_id,
        "label": str(definition.label),
        "title": definition.title(found) if found is not None else f"#{topic_id}",
        "url": definition.url(found) if found is not None else None,
    }


def with_topics(messages: Iterable["Message"]) -> list["Message"]:
    """The messages, each with `topic`: {kind, id, label, title, url} or None. One query per kind on
    the page. A topic whose object is gone (or a kind no longer registered) keeps its kind and id."""
    rows = list(messages)
    wanted: dict[str, set[int]] = {}
    for message in rows:
        if message.topic_kind and message.topic_id is not None:
            wanted.setdefault(message.topic_kind, set()).add(message.topic_id)
    loaded = {kind: _kinds[kind].load(ids) for kind, ids in wanted.items() if kind in _kinds}
    for message in rows:
        topic_id = message.topic_id
        # The database keeps kind and id both set or both empty (message_topic_complete).
        if not message.topic_kind or topic_id is None:
            message.topic = None
        elif message.topic_kind in _kinds:
            definition = _kinds[message.topic_kind]
            found = loaded[message.topic_kind].get(topic_id)
            message.topic = topic_describe(definition, found, topic_id)
        else:
            message.topic = {
                "kind": message.topic_kind,
                "id": topic_id,
                "label": message.topic_kind,
                "title": f"#{message.topic_id}",
                "url": None,
            }
    return rows


def topic_value(kind: str, topic_id: int) -> str:
    """A topic as one form value, "trial:12"."""
    return f"{kind}:{topic_id}"


def topic_parse(value: str | None) -> tuple[str, int] | None:
    """ "trial:12" -> ("trial", 12); None for anything else (a form's empty choice, a bad link)."""
    kind, _sep, raw_id = (value or "").partition(":")
    if kind not in _kinds or not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 19):
        return None
    return kind, int(raw_id)


def _pair_objects(
    *, buyer_id: int, factory_id: int, limit: int, kind: str | None = None
) -> list[tuple[TopicDefinition, list[Any]]]:
    """Per kind (in registration order, or only `kind`), the pair's newest `limit` objects: one
    query per kind."""
    chosen = [_kinds[kind]] if kind is not None else list(_kinds.values())
    return [(d, d.choices(buyer_id, factory_id, limit)) for d in chosen]


def topic_choices(
    *, buyer_id: int, factory_id: int, limit: int = CHOICES_PER_KIND
) -> list[tuple[str, list[tuple[str, str]]]]:
    """What the writing form offers: per kind, (its label, [(value, title), …]) of the pair's newest."""
    return [
        (str(d.label), [(topic_value(d.kind, o.pk), d.title(o)) for o in objects])
        for d, objects in _pair_objects(buyer_id=buyer_id, factory_id=factory_id, limit=limit)
        if objects
    ]


def topics_of_pair(
    *, buyer_id: int, factory_id: int, kind: str | None = None, limit: int = CHOICES_PER_KIND
) -> list[TopicView]:
    """What a message of this pair can be about, as messages name it ({kind, id, label, title,
    url}): per kind the `limit` newest, kinds in registration order. An unknown `kind` is the JSON
    error shape's 400, worded as topic_check words it."""
    if kind is not None and kind not in _kinds:
        raise ValidationError(
            {"kind": [_("Unknown topic; choose one of: %(kinds)s.") % {"kinds": ", ".join(_kinds)}]}
        )
    return [
        topic_describe(d, o, o.pk)
        for d, objects in _pair_objects(buyer_id=buyer_id, factory_id=factory_id, limit=limit, kind=kind)
        for o in objects
    ]


def topic_option(*, kind: str, topic_id: int, buyer_id: int, factory_id: int) -> tuple[str, str, str] | None:
    """One topic for a form, if it is the pair's: (its kind's label, its value, its title)."""
    try:
        found = topic_check(kind=kind, topic_id=topic_id, buyer_id=buyer_id, factory_id=factory_id)
    except ValidationError:
        return None
    definition = _kinds[kind]
    return str(definition.label), topic_value(kind, topic_id), definition.title(found)
