"""What an admin reads about their school."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Classroom, Invite, User


def school_invites(school_id: int) -> list[Invite]:
    query = select(Invite).where(Invite.school_id == school_id).order_by(Invite.created_at.desc(), Invite.id.desc())
    return list(db.session.scalars(query))


def class_counts(school_id: int) -> dict[int, int]:
    """Teacher id -> number of classes (archived ones included) they teach."""
    query = (
        select(Classroom.teacher_id, func.count(Classroom.id))
        .join(User, Classroom.teacher_id == User.id)
        .where(User.school_id == school_id)
        .group_by(Classroom.teacher_id)
    )
    return dict(db.session.execute(query).all())


def teacher_json(teacher: User) -> dict[str, Any]:
    return {
        "id": teacher.id,
        "name": teacher.name,
        "email": teacher.email,
        "active": teacher.is_active,
        "deactivated_at": teacher.deactivated_at.isoformat() if teacher.deactivated_at else None,
        "classes": db.session.scalar(select(func.count(Classroom.id)).where(Classroom.teacher_id == teacher.id)),
    }
