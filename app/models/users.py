"""Accounts and API tokens."""
from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db

from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .classes import Classroom, Enrolment
    from .schools import School

# Never produced by generate_password_hash, so no password matches it: the account has to set one first.
UNUSABLE_PASSWORD = "!"  # noqa: S105 (a marker, not a password)


class Role(str, enum.Enum):
    STUDENT = "student"
    TEACHER = "teacher"
    ADMIN = "admin"


ADULT_ROLES = (Role.TEACHER.value, Role.ADMIN.value)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # Children may have only a username; the adults a school answers for always have an email and a school.
        CheckConstraint("email IS NOT NULL OR username IS NOT NULL", name="has_login"),
        CheckConstraint(
            "role = 'student' OR (email IS NOT NULL AND school_id IS NOT NULL)", name="adult_has_email_and_school"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Email and username are stored lower-cased, so their unique indexes are case-insensitive on every backend.
    email: Mapped[str | None] = mapped_column(String(254), unique=True, index=True)
    # Unique across schools, so a child logs in with only a username and a password.
    username: Mapped[str | None] = mapped_column(String(40), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), index=True)
    # A student's school is the one that made the account, or of the first class joined.
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every session cookie, remember-me cookie and bearer token; raising it ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school: Mapped["School | None"] = relationship(back_populates="members")
    classes_taught: Mapped[list["Classroom"]] = relationship(back_populates="teacher")
    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="student", cascade="all, delete-orphan")

    def set_password(self, password: str, method: str) -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def set_unusable_password(self) -> None:
        self.password_hash = UNUSABLE_PASSWORD

    @property
    def has_usable_password(self) -> bool:
        return self.password_hash != UNUSABLE_PASSWORD

    def check_password(self, password: str) -> bool:
        return self.has_usable_password and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies: the id and the session version,
        so a cookie stops working once the version moves on."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Log this user out everywhere: every cookie and bearer token carries the old version."""
        self.session_version = (self.session_version or 1) + 1

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER.value

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT.value

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def is_adult(self) -> bool:
        return self.role in ADULT_ROLES

    @property
    def login_name(self) -> str:
        """What this user types to log in."""
        return self.username or self.email or ""

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "username": self.username,
            "role": self.role,
            "school_id": self.school_id,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The user's session version when the token was issued; a newer one ends the token.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
