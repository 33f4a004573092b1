"""Accounts and API tokens."""
from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db

from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .classes import Classroom, Enrolment


class Role(str, enum.Enum):
    STUDENT = "student"
    TEACHER = "teacher"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Stored lower-cased, so the unique index is case-insensitive on every backend.
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    classes_taught: Mapped[list["Classroom"]] = relationship(back_populates="teacher")
    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="student", cascade="all, delete-orphan")

    def set_password(self, password: str, method: str | None = None) -> None:
        self.password_hash = generate_password_hash(password, method=method or "scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER.value

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT.value

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "role": self.role,
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

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
