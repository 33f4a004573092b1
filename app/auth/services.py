"""Account operations. They change the session and never commit: the caller does."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Role, School, User, utcnow

from .lockout import record_failure, record_success
from .passwords import check_dummy_password, needs_rehash, set_password


class EmailTaken(Exception):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_user_by_login(login: str) -> User | None:
    """The account whose email (anything with an @) or username this is, in any letter case."""
    login = (login or "").strip().lower()
    if not login:
        return None
    column = User.email if "@" in login else User.username
    return db.session.scalar(select(User).where(column == login))


def register_user(name: str, email: str, password: str, role: str, school: School | None = None) -> User:
    """Add a new account; raises EmailTaken if the address is in use in any letter case."""
    if role not in {r.value for r in Role}:
        raise ValueError(f"unknown role {role!r}")
    if find_user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(name=name.strip(), email=normalise_email(email), role=role, school=school)
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def register_student(name: str, email: str, password: str) -> User:
    """Public sign-up: always a student, who joins a school by entering a class code."""
    return register_user(name, email, password, Role.STUDENT.value)


def authenticate(login: str, password: str) -> User | None:
    """The user with these credentials, or None.

    An unknown account, a wrong password, a locked and a deactivated account all give None after the
    same work (one password hash), so neither the answer nor its timing tells them apart.
    """
    user = find_user_by_login(login)
    now = utcnow()
    if user is None or not user.is_active or user.is_locked(now) or not user.has_usable_password:
        check_dummy_password(password or "")
        return None
    if not user.check_password(password or ""):
        record_failure(user, now)
        return None
    record_success(user)
    if needs_rehash(user):
        set_password(user, password)
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every session, cookie and token the user had."""
    set_password(user, new_password)
    user.end_sessions()
    record_success(user)
