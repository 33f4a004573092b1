"""Reading assignments: the passages a teacher set, when they are due, and who has read them.

A student has read a passage once one of their readings of it has been scored (status done);
a reading still in the queue or one that failed does not count yet.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.dates import calendar_of
from app.extensions import db
from app.models import Enrolment, PracticeSession, SessionKind, SessionStatus, Topic, User

from .queries import open_topics_for_student


@dataclass(frozen=True)
class Assignment:
    """A passage set for the student, and when (if ever) they first read it."""

    topic: Topic
    read_at: datetime | None
    today: date

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_read and self.topic.due_on is not None and self.topic.due_on < self.today


def _first_reads(student_ids: list[int] | None, topic_ids: list[int]) -> dict[tuple[int, int], datetime]:
    """{(student_id, topic_id): when the first scored reading was sent} for these topics."""
    if not topic_ids:
        return {}
    query = (
        select(PracticeSession.student_id, PracticeSession.topic_id, func.min(PracticeSession.started_at))
        .where(
            PracticeSession.topic_id.in_(topic_ids),
            PracticeSession.kind == SessionKind.PRONUNCIATION.value,
            PracticeSession.status == SessionStatus.DONE.value,
        )
        .group_by(PracticeSession.student_id, PracticeSession.topic_id)
    )
    if student_ids is not None:
        query = query.where(PracticeSession.student_id.in_(student_ids))
    return {(s, t): when for s, t, when in db.session.execute(query)}


def assignments_for_student(student: User, now: datetime | None = None) -> list[Assignment]:
    """The open passages of the student's classes: unread ones first, soonest due first, then the read ones."""
    topics = open_topics_for_student(student, kind=SessionKind.PRONUNCIATION.value)
    reads = _first_reads([student.id], [t.id for t in topics])
    today = calendar_of(student).today(now)  # a due day ends at midnight where the school is
    rows = [Assignment(t, reads.get((student.id, t.id)), today) for t in topics]
    return sorted(rows, key=lambda a: (a.is_read, a.topic.due_on or date.max, -a.topic.id))


@dataclass(frozen=True)
class Completion:
    """Who in the class has and has not read one passage."""

    topic_id: int
    read: list[User]
    not_read: list[User]


def completion_for_class(class_id: int) -> dict[int, Completion]:
    """{topic_id: Completion} for every reading passage of the class, students in name order."""
    topic_ids = list(db.session.scalars(
        select(Topic.id).where(Topic.class_id == class_id, Topic.kind == SessionKind.PRONUNCIATION.value)))
    students = list(db.session.scalars(
        select(User).join(Enrolment, Enrolment.student_id == User.id)
        .where(Enrolment.class_id == class_id).order_by(User.name, User.id)))
    reads = _first_reads([s.id for s in students], topic_ids)
    return {
        topic_id: Completion(
            topic_id,
            read=[s for s in students if (s.id, topic_id) in reads],
            not_read=[s for s in students if (s.id, topic_id) not in reads],
        )
        for topic_id in topic_ids
    }
