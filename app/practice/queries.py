"""Read-only queries about a student's practice sessions: the dashboard's lists and the queue position."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import PracticeSession, SessionKind, SessionStatus, User

from .uploads import received_parts
from .visibility import own_sessions


def sessions_with_new_feedback(student: User, limit: int = 10) -> list[PracticeSession]:
    """The student's sessions with teacher feedback they have not opened yet, newest feedback first."""
    query = (
        own_sessions(student)
        .where(PracticeSession.teacher_feedback_at.is_not(None),
               or_(PracticeSession.feedback_seen_at.is_(None),
                   PracticeSession.feedback_seen_at < PracticeSession.teacher_feedback_at))
        .order_by(PracticeSession.teacher_feedback_at.desc(), PracticeSession.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def recent_sessions(student: User, kind: str = SessionKind.IMPROMPTU.value, limit: int = 5) -> list[PracticeSession]:
    """The student's latest sessions, leaving out abandoned ones and recorder pages opened
    without a second of audio reaching us (opening the page is not practice yet)."""
    query = (
        own_sessions(student)
        .where(PracticeSession.kind == kind,
               PracticeSession.status != SessionStatus.ABANDONED.value,
               or_(PracticeSession.status != SessionStatus.IN_PROGRESS.value, PracticeSession.parts_received > 0))
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def unsent_recordings(student: User) -> list[PracticeSession]:
    """Recordings left without submitting whose parts reached us: they can still be sent."""
    query = (
        own_sessions(student)
        .where(PracticeSession.submitted_at.is_(None),
               PracticeSession.status == SessionStatus.ABANDONED.value, PracticeSession.parts_received > 0)
        .order_by(PracticeSession.started_at.desc())
        .limit(5)
    )
    return [s for s in db.session.scalars(query) if received_parts(s)]


def queue_position(session: PracticeSession) -> int | None:
    """1 for the next session to be analysed; None once analysis has started or finished."""
    if session.status != SessionStatus.SUBMITTED.value or session.submitted_at is None:
        return None
    ahead = db.session.scalar(
        select(func.count()).select_from(PracticeSession).where(
            PracticeSession.status == SessionStatus.SUBMITTED.value,
            PracticeSession.submitted_at < session.submitted_at,
        )
    )
    return ahead + 1
