"""Deleting on request: one recording with everything made from it, or a student's whole account.

Rows go from the database and objects from the store (app.storage), so nothing is left to find.
"""
from __future__ import annotations

from sqlalchemy import delete, select

from app.analytics.cache import invalidate_class_summary
from app.audit import Action, record
from app.extensions import db
from app.models import ApiToken, PracticeSession, User
from app.practice.recordings import delete_recording


class DeletionRefused(Exception):
    """The session is being analysed right now; it can be deleted once the analysis ends."""


def delete_session(session: PracticeSession) -> int:
    """Remove the session, its audio, parts, playback copy, transcript, report and comments;
    returns how many stored objects went. The class report is recomputed without it. Does not commit."""
    if session.is_being_analysed:
        raise DeletionRefused("This recording is still being analysed. Try again in a minute.")
    record(Action.SESSION_DELETED, session)
    return _remove(session)


def _remove(session: PracticeSession) -> int:
    removed = delete_recording(session)
    invalidate_class_summary(session.class_id)
    db.session.delete(session)  # its comments go with it (the relationship's cascade)
    return removed


def delete_account(student: User) -> int:
    """Remove a student and everything of theirs: every session and file, tokens, enrolments,
    comments on their sessions and the cached reports of their classes. Returns the objects removed.
    Does not commit."""
    # Recorded first, while the account's school can still be read from it and its classes.
    event = record(Action.ACCOUNT_DELETED, student)
    removed = 0
    for session in db.session.scalars(select(PracticeSession).where(PracticeSession.student_id == student.id)):
        removed += _remove(session)
    for enrolment in student.enrolments:
        invalidate_class_summary(enrolment.class_id)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == student.id))
    db.session.delete(student)  # its enrolments go with it (the relationship's cascade)
    event.detail = {"objects_removed": removed}
    return removed
