"""Every action the audit trail records, named once: the model, the filter and the page read this list."""
from __future__ import annotations

import enum


class Action(str, enum.Enum):
    SCORE_OVERRIDE = "score_override"
    OVERRIDE_CLEARED = "override_cleared"
    COMMENT = "comment"
    SESSION_DELETED = "session_deleted"
    ACCOUNT_DELETED = "account_deleted"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (an action's name, not a password)
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    DATA_EXPORTED = "data_exported"
    MATCH_CONFIRMED = "match_confirmed"
    WORD_REVIEWED = "word_reviewed"


ACTIONS = tuple(action.value for action in Action)

# What the admin's page calls each action.
LABELS = {
    Action.SCORE_OVERRIDE.value: "Score overridden",
    Action.OVERRIDE_CLEARED.value: "Override cleared",
    Action.COMMENT.value: "Comment added",
    Action.SESSION_DELETED.value: "Recording deleted",
    Action.ACCOUNT_DELETED.value: "Account deleted",
    Action.PASSWORD_RESET.value: "Password reset",
    Action.DEACTIVATED.value: "Account deactivated",
    Action.REACTIVATED.value: "Account reactivated",
    Action.DATA_EXPORTED.value: "Data exported",
    Action.MATCH_CONFIRMED.value: "Batch recording matched",
    Action.WORD_REVIEWED.value: "Reading word reviewed",
}
