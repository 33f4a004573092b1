"""Read-only queries about classes and their topics."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Classroom, Enrolment, Topic, User, utcnow

TOPIC_NOT_FOUND = "We couldn't find that topic in your classes."
TOPIC_CLOSED = "That topic isn't open for recordings: your teacher has closed it or its class was archived."


def open_topics_for_student(student: User, kind: str = "impromptu") -> list[Topic]:
    """Active, open topics of every class the student is in, newest first."""
    now = utcnow()
    query = (
        select(Topic)
        .join(Classroom, Topic.class_id == Classroom.id)
        .join(Enrolment, Enrolment.class_id == Classroom.id)
        .options(selectinload(Topic.classroom))
        .where(
            Enrolment.student_id == student.id,
            Classroom.archived_at.is_(None),
            Topic.kind == kind,
            Topic.is_active.is_(True),
            or_(Topic.opens_at.is_(None), Topic.opens_at <= now),
            or_(Topic.closes_at.is_(None), Topic.closes_at >= now),
        )
        .order_by(Topic.created_at.desc(), Topic.id.desc())
    )
    return list(db.session.scalars(query))


def topic_for_student_or_none(student: User, topic_id: int) -> Topic | None:
    """The topic if it belongs to one of the student's classes; None hides others' topics."""
    query = (
        select(Topic)
        .join(Enrolment, Enrolment.class_id == Topic.class_id)
        .where(Topic.id == topic_id, Enrolment.student_id == student.id)
    )
    return db.session.scalar(query)


def topic_takes_recordings(topic: Topic) -> bool:
    """Open now, switched on by the teacher, and in a class that is not archived: the rule every upload follows."""
    return topic.is_open(utcnow()) and not topic.classroom.is_archived
