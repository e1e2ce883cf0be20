"""One event vocabulary (issue 15, point 3): each app's verbs are constants in its events.py, the
flow tables record theirs from there with `from` / `to`, and a transition that tells someone has
a notification text."""

import re
from pathlib import Path

import pytest

from buyers import events as buyer_events
from factories import events as factory_events
from factories.flows import FACTORY_TABLE, PRODUCT_TABLE
from marketplace.notifications.messages import MESSAGES
from trials import events as trial_events
from trials.flows import bulk, custom, payment, sample, trial

ROOT = Path(__file__).resolve().parents[2]


def _verbs(module) -> set[str]:
    return {
        value
        for name, cls in vars(module).items()
        if name.endswith("Events")
        for attr, value in vars(cls).items()
        if attr.isupper()
    }


TABLES = [
    (FACTORY_TABLE, factory_events),
    (PRODUCT_TABLE, factory_events),
    (trial.TABLE, trial_events),
    (sample.TABLE, trial_events),
    (custom.TABLE, trial_events),
    (bulk.TABLE, trial_events),
    (payment.TABLE, trial_events),
]


@pytest.mark.parametrize(("table", "module"), TABLES, ids=[t.flow.name for t, _ in TABLES])
def test_every_transition_records_a_verb_of_its_apps_vocabulary(table, module):
    assert set(table.events) == set(table.flow.transitions)
    assert set(table.events.values()) <= _verbs(module)
    # one verb per transition: the history can tell every step apart
    assert len(set(table.events.values())) == len(table.events)


@pytest.mark.parametrize(("table", "module"), TABLES, ids=[t.flow.name for t, _ in TABLES])
def test_a_transition_that_tells_someone_has_a_notification_text(table, module):
    told = {table.verb(name) for name, rule in table.rules.items() if rule.notify}
    assert told <= set(MESSAGES)


def test_no_service_writes_a_verb_of_its_own():
    """Services name their verbs through the constants, so events.py is the whole list."""
    literal = re.compile(r"""verb=f?["']""")
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("factories", "buyers", "trials")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and literal.search(path.read_text())
    ]
    assert offenders == []


def test_the_vocabularies_do_not_overlap():
    apps = [_verbs(factory_events), _verbs(buyer_events), _verbs(trial_events)]
    assert sum(len(v) for v in apps) == len(set().union(*apps))


@pytest.mark.parametrize(("table", "module"), TABLES, ids=[t.flow.name for t, _ in TABLES])
def test_state_changes_are_past_tense_like_every_event(table, module):
    """What happened ("trial.accepted"), never what was asked ("trial.accept")."""
    for verb in table.events.values():
        words = verb.split(".", 1)[1].split("_")
        assert any(w.endswith("ed") or w == "paid" for w in words), verb
