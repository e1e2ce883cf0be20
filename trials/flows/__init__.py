from .base import SYSTEM, FlowTable, Rule, Timed, transition_apply

__all__ = ["SYSTEM", "FlowTable", "Rule", "Timed", "transition_apply"]
