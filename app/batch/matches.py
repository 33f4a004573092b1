"""Confirming a batch's matches: a file's student, found from its name, is only a proposal.

The student sees a batch recording once the teacher who ran the batch confirms who is speaking
(app/practice/visibility.py `owned_by`). The teacher confirms the proposed student, or picks
another one of the batch's class (of any of their classes when the batch has none).
"""
from __future__ import annotations

from sqlalchemy import select

from app.audit import Action, record
from app.extensions import db
from app.models import BatchJob, Classroom, Enrolment, PracticeSession, User, utcnow


class MatchError(Exception):
    """A confirmation that cannot be made: answered as 400 with this message."""


def candidates(job: BatchJob) -> list[User]:
    """The students a file of *job* may be attached to, by name."""
    classes = (select(Classroom.id).where(Classroom.id == job.class_id) if job.class_id is not None
               else select(Classroom.id).where(Classroom.teacher_id == job.owner_id))
    return list(db.session.scalars(
        select(User).join(Enrolment, Enrolment.student_id == User.id).where(Enrolment.class_id.in_(classes))
        .distinct().order_by(User.name, User.id)
    ))


def is_proposed(session: PracticeSession) -> bool:
    """Attached to a student by the batch, and not confirmed yet."""
    return session.student_id is not None and session.match_confirmed_at is None


def confirm_match(job: BatchJob, session: PracticeSession, student_id: int | None = None) -> PracticeSession:
    """Confirm *session*'s student, or attach it to *student_id* and confirm that; the caller commits.

    Raises MatchError when the file has no student to confirm or *student_id* is not one of candidates(job).
    """
    if student_id is not None and student_id != session.student_id:
        student = next((s for s in candidates(job) if s.id == student_id), None)
        if student is None:
            raise MatchError("That student is not in this batch's class.")
        session.student_id = student.id
    if session.student_id is None:
        raise MatchError("Choose the student speaking in this recording.")
    session.match_confirmed_at = utcnow()
    _record_confirmed(job, session)
    return session


def confirm_all(job: BatchJob) -> int:
    """Confirm every proposed match of *job*; how many were confirmed. The caller commits."""
    proposed = db.session.scalars(select(PracticeSession).where(
        PracticeSession.batch_job_id == job.id, PracticeSession.student_id.is_not(None),
        PracticeSession.match_confirmed_at.is_(None),
    )).all()
    now = utcnow()
    for session in proposed:
        session.match_confirmed_at = now
        _record_confirmed(job, session)
    return len(proposed)


def _record_confirmed(job: BatchJob, session: PracticeSession) -> None:
    """Who said whose voice a file is, and when: the moment a child's report became theirs to see. Not the
    file's name: it is often the child's name, and an event outlives a deleted account."""
    record(Action.MATCH_CONFIRMED, session, {"batch": job.id, "student_id": session.student_id})

