"""The audit trail (issue 17, item 7): services record what they did; the school's admin reads it."""
from .actions import ACTIONS, Action
from .queries import school_events
from .record import record

__all__ = ["ACTIONS", "Action", "record", "school_events"]
