from .base import PREVIOUS, SYSTEM, FlowTable, Rule, Timed, transition_apply

__all__ = ["PREVIOUS", "SYSTEM", "FlowTable", "Rule", "Timed", "transition_apply"]
