"""Class membership operations; callers commit."""
from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.analytics.cache import invalidate_class_summary
from app.extensions import db
from app.models import Classroom, Enrolment, User, utcnow

# No 0/O or 1/I/L: codes are read off a whiteboard by children.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


class JoinError(Exception):
    """A join the student cannot make; the message is shown as it is.

    ``reason`` is one of "not_student", "unknown_code", "already_joined".
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalar(select(Classroom.id).where(Classroom.join_code == code)) is None:
            return code


def normalise_join_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def create_class(teacher: User, name: str) -> Classroom:
    """A new class owned by *teacher*, with a fresh join code."""
    classroom = Classroom(name=name.strip(), teacher=teacher, join_code=new_join_code())
    db.session.add(classroom)
    db.session.flush()
    return classroom


def join_class(student: User, code: str) -> Enrolment:
    """Enrol *student* in the class with this code; JoinError explains any refusal."""
    if not student.is_student:
        raise JoinError("Only students can join a class with a code.", "not_student")
    classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == normalise_join_code(code)))
    if classroom is None or classroom.is_archived:
        raise JoinError("No class has that code. Check it with your teacher.", "unknown_code")
    if any(e.class_id == classroom.id for e in student.enrolments):
        raise JoinError(f"You are already in {classroom.name}.", "already_joined")
    enrolment = Enrolment(student=student, classroom=classroom)
    db.session.add(enrolment)
    if student.school_id is None:
        student.school_id = classroom.teacher.school_id
    db.session.flush()
    invalidate_class_summary(classroom.id)  # a new student is a new row of the class report
    return enrolment


def classes_for(user: User, include_archived: bool = False) -> list[Classroom]:
    """Classes the user teaches, is enrolled in or (an admin) has in their school, newest first."""
    query = select(Classroom).options(selectinload(Classroom.teacher))
    if user.is_teacher:
        query = query.where(Classroom.teacher_id == user.id)
    elif user.is_admin:
        query = query.join(User, Classroom.teacher_id == User.id).where(User.school_id == user.school_id)
    else:
        query = query.join(Enrolment).where(Enrolment.student_id == user.id)
    if not include_archived:
        query = query.where(Classroom.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Classroom.created_at.desc(), Classroom.id.desc())))


def regenerate_join_code(classroom: Classroom) -> str:
    classroom.join_code = new_join_code()
    return classroom.join_code


def rename_class(classroom: Classroom, name: str) -> None:
    classroom.name = name.strip()


def archive_class(classroom: Classroom) -> None:
    classroom.archived_at = utcnow()


def unarchive_class(classroom: Classroom) -> None:
    """Restore the class. Its students' free practice is shared again from now on: what they did while
    the class was archived, or before, stays private (app/practice/visibility.py)."""
    classroom.archived_at = None
    db.session.execute(update(Enrolment).where(Enrolment.class_id == classroom.id).values(sharing_since=utcnow()))


def remove_student(classroom: Classroom, student_id: int) -> bool:
    """Take a student out of the class; their past sessions stay theirs, and the teacher no longer sees them."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.class_id == classroom.id, Enrolment.student_id == student_id)
    )
    if enrolment is None:
        return False
    db.session.delete(enrolment)
    # The class report counted them; the next one must not.
    invalidate_class_summary(classroom.id)
    return True


def leave_class(student: User, classroom: Classroom) -> bool:
    """The student leaves the class: from now its teacher sees none of their practice, old or new."""
    return remove_student(classroom, student.id)


def teacher_class_or_none(teacher: User, class_id: int) -> Classroom | None:
    return db.session.scalar(select(Classroom).where(Classroom.id == class_id, Classroom.teacher_id == teacher.id))
