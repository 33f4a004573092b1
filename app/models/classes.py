"""Classes, who is in them, what they practise and what the teacher is teaching."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .users import User


class Classroom(db.Model):
    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Children's speech is graded gently unless the teacher asks for more.
    pronunciation_strictness: Mapped[str] = mapped_column(String(16), default="gentle")
    inactive_after_days: Mapped[int] = mapped_column(Integer, default=7)
    # The grade whose published reading fluency norms (first-language readers) are shown beside
    # the class's WCPM; None, the default, shows none, since many Podium classes learn English.
    reading_norms_grade: Mapped[int | None] = mapped_column(Integer)

    teacher: Mapped["User"] = relationship(back_populates="classes_taught")
    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="classroom", cascade="all, delete-orphan")
    topics: Mapped[list["Topic"]] = relationship(back_populates="classroom", cascade="all, delete-orphan")
    curriculum: Mapped["CurriculumGoal | None"] = relationship(
        back_populates="classroom", cascade="all, delete-orphan", uselist=False
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def school_id(self) -> int | None:
        """A class belongs to its teacher's school; classes move only between teachers of one school."""
        return self.teacher.school_id

    def to_json(self, *, with_join_code: bool = False) -> dict[str, Any]:
        """The join code only for the adults who run the class: a student who has it could pass it on
        after the teacher replaced it."""
        data = {
            "id": self.id,
            "name": self.name,
            "teacher": self.teacher.name,
            "archived": self.is_archived,
            "created_at": self.created_at.isoformat(),
        }
        if with_join_code:
            data["join_code"] = self.join_code
        return data


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("student_id", "class_id", name="uq_enrolments_student_class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Free practice (no class) made since then is visible to the class's teacher: set on joining,
    # and again when an archived class is restored, so practice done meanwhile stays private.
    sharing_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    student: Mapped["User"] = relationship(back_populates="enrolments")
    classroom: Mapped[Classroom] = relationship(back_populates="enrolments")


class Topic(db.Model):
    """A speaking topic, or (kind='pronunciation') a passage to read aloud."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="impromptu")
    title: Mapped[str] = mapped_column(String(200))
    prompt: Mapped[str] = mapped_column(Text)
    prep_seconds: Mapped[int] = mapped_column(Integer, default=30)
    speaking_seconds: Mapped[int] = mapped_column(Integer, default=60)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A reading assignment's due day, as the teacher wrote it (a calendar day, no time or zone).
    due_on: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="topics")

    def is_open(self, now: datetime) -> bool:
        if not self.is_active:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now > self.closes_at)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "class_id": self.class_id,
            "kind": self.kind,
            "title": self.title,
            "prompt": self.prompt,
            "prep_seconds": self.prep_seconds,
            "speaking_seconds": self.speaking_seconds,
            "opens_at": self.opens_at.isoformat() if self.opens_at else None,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "active": self.is_active,
            "created_at": self.created_at.isoformat(),
        }


class CurriculumGoal(db.Model):
    """This week's lesson for a class; fed into every new analysis of its students."""

    __tablename__ = "curriculum_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), unique=True)
    grammar_focus: Mapped[list[str]] = mapped_column(JSON, default=list)
    grammar_notes: Mapped[str] = mapped_column(Text, default="")
    vocabulary: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"name", "description", "weight"}], weights add up to 100.
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="curriculum")

    def to_json(self) -> dict[str, Any]:
        return {
            "class_id": self.class_id,
            "grammar_focus": list(self.grammar_focus or []),
            "grammar_notes": self.grammar_notes or "",
            "vocabulary": list(self.vocabulary or []),
            "rubric": list(self.rubric or []),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }
