"""The trials app's flow tables (trial, sample, custom request, payment, bulk order); the engine
that applies them is marketplace/core/transitions.py."""

from marketplace.core.transitions import PREVIOUS, SYSTEM, FlowTable, Rule, Timed, transition_apply

__all__ = ["PREVIOUS", "SYSTEM", "FlowTable", "Rule", "Timed", "transition_apply"]
