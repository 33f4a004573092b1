"""A school's adults: creating schools, inviting teachers, deactivating them and resetting their passwords.

Operations take the acting admin explicitly, change the session and never commit.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import select

from app.analysis.wording import plural
from app.audit import Action, record
from app.auth.password_links import password_link
from app.auth.passwords import set_password
from app.auth.services import find_user_by_email, normalise_email
from app.extensions import db
from app.models import ADULT_ROLES, Classroom, Invite, Role, School, User, utcnow


class SchoolError(Exception):
    """An admin action that cannot be done; the message is shown as it is. ``code`` names it for the API."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def create_school(name: str, time_zone: str = "UTC") -> School:
    school = School(name=name.strip(), time_zone=time_zone, settings={})
    db.session.add(school)
    db.session.flush()
    return school


def add_admin(school: School, email: str, name: str) -> User:
    """A new admin with no password yet: they choose one through a set-password link."""
    if find_user_by_email(email) is not None:
        raise SchoolError("An account with this email already exists.", "email_taken")
    admin = User(name=name.strip(), email=normalise_email(email), role=Role.ADMIN.value, school=school)
    admin.set_unusable_password()
    db.session.add(admin)
    db.session.flush()
    return admin


def invite(admin: User, email: str, role: str) -> tuple[Invite, str]:
    """Invite *email* into the admin's school; returns the invite and its URL, which is shown once.

    A pending invite for the same address is replaced, so only the newest link works.
    """
    email = normalise_email(email)
    if role not in ADULT_ROLES:
        raise SchoolError("Invite a teacher or an admin; students join with a class code or a login card.")
    if find_user_by_email(email) is not None:
        raise SchoolError("That address already has a Podium account.", "email_taken")
    for old in db.session.scalars(select(Invite).where(Invite.school_id == admin.school_id, Invite.email == email)):
        if old.status == "pending":
            old.revoked_at = utcnow()
    token = secrets.token_urlsafe(32)
    row = Invite(school_id=admin.school_id, email=email, role=role, token_hash=Invite.hash(token), invited_by=admin,
                 expires_at=utcnow() + timedelta(days=current_app.config["INVITE_DAYS"]))
    db.session.add(row)
    db.session.flush()
    return row, url_for("school.accept_invite", token=token, _external=True)


def pending_invite(token: str) -> Invite | None:
    """The invite this link is for, if it is still unused, unrevoked and unexpired."""
    row = db.session.scalar(select(Invite).where(Invite.token_hash == Invite.hash(token)))
    return row if row is not None and row.status == "pending" else None


def accept_invite(row: Invite, name: str, password: str) -> User:
    """Make the invited account; the invite cannot be used again."""
    if find_user_by_email(row.email) is not None:
        raise SchoolError("That address already has a Podium account. Log in instead.", "email_taken")
    user = User(name=name.strip(), email=row.email, role=row.role, school_id=row.school_id)
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    row.accepted_at = utcnow()
    row.accepted_by_id = user.id
    return user


def revoke_invite(row: Invite) -> None:
    if row.status == "pending":
        row.revoked_at = utcnow()


def school_teachers(school_id: int, *, include_inactive: bool = True) -> list[User]:
    query = select(User).where(User.school_id == school_id, User.role == Role.TEACHER.value)
    if not include_inactive:
        query = query.where(User.deactivated_at.is_(None))
    return list(db.session.scalars(query.order_by(User.name, User.id)))


def deactivate_teacher(teacher: User, transfer_to: User | None) -> int:
    """Close a teacher's account and hand every class of theirs to *transfer_to*; returns how many moved.

    The teacher is logged out everywhere at once. Classes never leave the school: *transfer_to* must be
    another active teacher of it, and is required while the teacher has classes.
    """
    classes = list(db.session.scalars(select(Classroom).where(Classroom.teacher_id == teacher.id)))
    if transfer_to is not None and (transfer_to.id == teacher.id or transfer_to.school_id != teacher.school_id
                                    or not transfer_to.is_teacher or not transfer_to.is_active):
        raise SchoolError("Choose another active teacher of this school to take over the classes.")
    if classes and transfer_to is None:
        raise SchoolError(f"{teacher.name} teaches {plural(len(classes), 'class')}: choose a teacher to take "
                          "them over.", "classes_need_teacher")
    for classroom in classes:
        classroom.teacher = transfer_to
    teacher.deactivated_at = utcnow()
    teacher.end_sessions()
    record(Action.DEACTIVATED, teacher, {"classes_moved": len(classes),
                                         "transfer_to": transfer_to.id if transfer_to is not None else None})
    return len(classes)


def reactivate_teacher(teacher: User) -> None:
    if teacher.deactivated_at is not None:
        record(Action.REACTIVATED, teacher)
    teacher.deactivated_at = None


def issue_password_link(user: User) -> tuple[str, datetime]:
    """An admin's reset: the old password stops working, every session ends, and a one-time link to
    choose a new password is returned for the admin to hand over (or email)."""
    user.set_unusable_password()
    user.end_sessions()
    user.failed_logins, user.locked_until = 0, None
    record(Action.PASSWORD_RESET, user)
    return password_link(user, "issued")


def school_classes(school_id: int) -> list[Classroom]:
    query = (
        select(Classroom)
        .join(User, Classroom.teacher_id == User.id)
        .where(User.school_id == school_id)
        .order_by(Classroom.created_at.desc(), Classroom.id.desc())
    )
    return list(db.session.scalars(query))
