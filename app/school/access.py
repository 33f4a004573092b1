"""School-scoped fetches for admins: anything of another school is a 404, so its ids reveal nothing."""
from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Invite, Role, User


def own_invite_or_404(invite_id: int) -> Invite:
    return db.first_or_404(select(Invite).where(Invite.id == invite_id, Invite.school_id == current_user.school_id))


def school_teacher_or_404(teacher_id: int) -> User:
    return db.first_or_404(
        select(User).where(
            User.id == teacher_id, User.school_id == current_user.school_id, User.role == Role.TEACHER.value
        )
    )
