"""Owner-scoped fetches: anything that is not the current teacher's is a 404, never a 403,
so ids of other teachers' classes, students and sessions reveal nothing."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import or_, select

from app.classes.services import teacher_class_or_none
from app.extensions import db
from app.models import Classroom, Enrolment, PracticeSession, Topic, User


def own_class_or_404(class_id: int) -> Classroom:
    classroom = teacher_class_or_none(current_user, class_id)
    if classroom is None:
        abort(404)
    return classroom


def own_topic_or_404(classroom: Classroom, topic_id: int) -> Topic:
    return db.first_or_404(select(Topic).where(Topic.id == topic_id, Topic.class_id == classroom.id))


def class_student_or_404(classroom: Classroom, student_id: int) -> User:
    return db.first_or_404(
        select(User)
        .join(Enrolment, Enrolment.student_id == User.id)
        .where(User.id == student_id, Enrolment.class_id == classroom.id)
    )


def reviewable_sessions(classroom: Classroom):
    """A filter for sessions the class's teacher may open: by a current student of the class,
    and either unassigned practice or made in one of this teacher's classes."""
    teacher_classes = select(Classroom.id).where(Classroom.teacher_id == classroom.teacher_id)
    enrolled = select(Enrolment.student_id).where(Enrolment.class_id == classroom.id)
    return (
        PracticeSession.student_id.in_(enrolled),
        or_(PracticeSession.class_id.is_(None), PracticeSession.class_id.in_(teacher_classes)),
    )


def class_session_or_404(classroom: Classroom, session_id: int) -> PracticeSession:
    return db.first_or_404(select(PracticeSession).where(PracticeSession.id == session_id, *reviewable_sessions(classroom)))
