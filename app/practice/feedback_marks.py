"""The "new from your teacher" mark: set by a teacher's override or comment (app/teacher/services.py),
cleared when the student opens the session's report (a POST from the report page, since GETs never write)."""
from __future__ import annotations

from app.models import PracticeSession, utcnow


def mark_feedback_seen(session: PracticeSession) -> bool:
    """The student opened the session's teacher feedback; True when that changed anything. Does not commit."""
    if not session.has_new_feedback:
        return False
    session.feedback_seen_at = utcnow()
    return True
