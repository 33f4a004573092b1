"""Account operations. They change the session and never commit: the caller does."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Role, User


class EmailTaken(Exception):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register_user(name: str, email: str, password: str, role: str) -> User:
    """Add a new account; raises EmailTaken if the address is in use in any letter case."""
    if role not in {r.value for r in Role}:
        raise ValueError(f"unknown role {role!r}")
    if find_user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(name=name.strip(), email=normalise_email(email), role=role)
    user.set_password(password, method=current_app.config["PASSWORD_HASH_METHOD"])
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None; the same answer for a wrong email or password."""
    user = find_user_by_email(email or "")
    if user is None or not user.check_password(password or ""):
        return None
    return user
