"""Every transition of every flow table, at the table level: exactly the listed actors from
exactly the listed states; everything else is refused with the 403 or 409 message."""

import pytest

from marketplace.accounts.models import Role
from marketplace.core.errors import NotAllowed, TransitionNotAllowed
from trials.flows import SYSTEM
from trials.flows import bulk as bulk_flow
from trials.flows import custom as custom_flow
from trials.flows import payment as payment_flow
from trials.flows import sample as sample_flow
from trials.flows import trial as trial_flow

TABLES = [trial_flow.TABLE, sample_flow.TABLE, custom_flow.TABLE, payment_flow.TABLE, bulk_flow.TABLE]
ROLES = [Role.BUYER, Role.FACTORY, Role.STAFF, SYSTEM]
CASES = [(table, name) for table in TABLES for name in table.flow.transitions]


@pytest.mark.parametrize(("table", "name"), CASES, ids=[f"{t.flow.name}.{n}" for t, n in CASES])
def test_transition_allows_exactly_its_actors_and_states(table, name):
    flow = table.flow
    t = flow.transitions[name]
    for role in ROLES:
        for status in flow.labels:
            if role not in t.actors:
                with pytest.raises(NotAllowed) as refused:
                    flow.check(name=name, status=status, actor_role=role)
                assert refused.value.message == f"You are not allowed to {t.verb} this."
            elif status not in t.sources:
                with pytest.raises(TransitionNotAllowed) as conflict:
                    flow.check(name=name, status=status, actor_role=role)
                assert conflict.value.message == f"Cannot {t.verb}: it is {flow.labels[status]}."
            else:
                assert flow.check(name=name, status=status, actor_role=role).target == t.target


@pytest.mark.parametrize("table", TABLES, ids=[t.flow.name for t in TABLES])
def test_timed_transitions_are_fired_by_the_system_from_their_state(table):
    for timed in table.timed:
        t = table.flow.transitions[timed.transition]
        assert SYSTEM in t.actors
        assert timed.status in t.sources


def test_trial_statuses_match_the_api_contract():
    # docs/api.md: requested → accepted | declined | cancelled | expired, accepted → paid | cancelled,
    # paid → shipped, shipped → in_trial, in_trial → feedback_submitted, feedback_submitted → converted | ended
    edges = {(s, t.target) for t in trial_flow.FLOW.transitions.values() for s in t.sources}
    assert edges == {
        ("requested", "accepted"),
        ("requested", "declined"),
        ("requested", "cancelled"),
        ("requested", "expired"),
        ("accepted", "paid"),
        ("accepted", "cancelled"),
        ("paid", "shipped"),
        ("paid", "cancelled"),  # staff: a paid trial never shipped, cancelled and refunded
        ("shipped", "in_trial"),
        ("in_trial", "feedback_submitted"),
        ("feedback_submitted", "converted"),
        ("feedback_submitted", "ended"),
        ("in_trial", "ended"),  # the timed close of a trial that never reported
    }


def test_actions_for_a_role_include_the_routes_to_what_only_the_system_fires():
    # the trial: only the provider marks it paid; the buyer's way there is `pay`
    assert trial_flow.FLOW.actions_for("accepted", Role.BUYER) == ["cancel", "pay"]
    assert trial_flow.FLOW.actions_for("accepted", Role.FACTORY) == []
    assert trial_flow.FLOW.actions_for("accepted", SYSTEM) == ["mark_paid"]
    # the bulk order: the deposit once confirmed, the balance once received
    assert bulk_flow.FLOW.actions_for("confirmed", Role.BUYER) == ["pay", "cancel"]
    assert bulk_flow.FLOW.actions_for("received", Role.BUYER) == ["pay", "dispute"]
    assert bulk_flow.FLOW.actions_for("received", Role.STAFF) == []


def test_what_staff_fire_in_the_admin_only_is_not_offered_elsewhere():
    # the stuck-list actions: the table lets staff fire them, the API and the pages do not offer them
    assert trial_flow.FLOW.actions_for("paid", Role.STAFF) == []
    assert trial_flow.FLOW.actions_for("paid", Role.STAFF, in_admin=True) == ["cancel_with_refund"]
    assert trial_flow.FLOW.actions_for("feedback_submitted", Role.STAFF, in_admin=True) == ["end"]
    assert trial_flow.FLOW.actions_for("feedback_submitted", Role.BUYER) == ["convert", "end"]
    trial_flow.FLOW.check(name="cancel_with_refund", status="paid", actor_role=Role.STAFF)  # allowed
    # a staff action that has its API operation is offered in both
    assert bulk_flow.FLOW.actions_for("disputed", Role.STAFF) == ["resume", "cancel_with_refund"]
    assert bulk_flow.FLOW.actions_for("disputed", Role.STAFF, in_admin=True) == [
        "resume",
        "cancel_with_refund",
    ]
