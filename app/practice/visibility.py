"""Which practice sessions a class's teacher may see: one rule, used by every teacher page, API and export.

A session is visible through a class when its student is enrolled in the class now, and

* it was made for that class (one of its topics, or a batch the teacher attached to the student), or
* it is free practice (no class) started since the student began sharing with the class:
  joining it, or the class being restored from the archive;

and, while the class is archived, it was started before the class was archived; and a batch
recording counts for its student only once the teacher confirmed the match (`match_is_confirmed`),
so a file matched to the wrong child by its name never enters that child's figures.

So leaving a class (or being removed from it) ends its teacher's view of everything the
student made; practice made for another teacher's class is never shown through this one.

What a student sees of themselves (`own_sessions`, `owned_by`): their own practice, and a batch
recording attached to them only after the teacher confirmed the match.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select

from app.models import Classroom, Enrolment, PracticeSession, User


def match_is_confirmed() -> ColumnElement[bool]:
    """Not a batch file, or one whose student the teacher has confirmed (app/batch/matches.py)."""
    return or_(PracticeSession.batch_job_id.is_(None), PracticeSession.match_confirmed_at.is_not(None))


def visible_through(enrolment=Enrolment, classroom=Classroom) -> ColumnElement[bool]:
    """The rule as a condition on a session, an enrolment and that enrolment's class.

    For queries over several classes at once (the dashboard's cards, the roster): join
    Enrolment and Classroom and put this in the join's ON clause.
    """
    return and_(
        PracticeSession.student_id == enrolment.student_id,
        match_is_confirmed(),
        or_(
            PracticeSession.class_id == enrolment.class_id,
            and_(PracticeSession.class_id.is_(None), PracticeSession.started_at >= enrolment.sharing_since),
        ),
        or_(classroom.archived_at.is_(None), PracticeSession.started_at < classroom.archived_at),
    )


def visible_to_class(class_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the session is visible to the teacher of class *class_id* through that class."""
    return exists().where(
        Enrolment.class_id == class_id, Classroom.id == class_id, visible_through(Enrolment, Classroom)
    )


def class_sessions(classroom: Classroom | int, student: User | None = None) -> Select:
    """The sessions *classroom*'s teacher may see (of one student of it, when given), as a Select to build on:
    what every figure of the class counts (app/practice/figures.py)."""
    class_id = classroom if isinstance(classroom, int) else classroom.id
    query = select(PracticeSession).where(visible_to_class(class_id))
    return query if student is None else query.where(PracticeSession.student_id == student.id)


def owned_by(student_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the session is the student's and theirs to see.

    A batch file matched to them by its name counts only once the teacher has confirmed the match,
    so a wrong match never shows one child's recording to another.
    """
    return and_(
        PracticeSession.student_id == student_id,
        match_is_confirmed(),
    )


def own_sessions(student: User) -> Select:
    """Everything a student made (and every batch recording confirmed as theirs): what they see of themselves."""
    return select(PracticeSession).where(owned_by(student.id))
