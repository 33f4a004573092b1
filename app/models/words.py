"""A student's practice of one tricky word from their readings: each attempt and how it went."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow


class WordAttempt(db.Model):
    __tablename__ = "word_attempts"
    __table_args__ = (Index("ix_word_attempts_student_word", "student_id", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The word as the passage spells it, lower case.
    word: Mapped[str] = mapped_column(String(64))
    # The assessor's accuracy for the word (0-100), None when it did not hear the word at all.
    score: Mapped[float | None] = mapped_column(Float)
    is_good: Mapped[bool] = mapped_column(Boolean, default=False)
    # The student's recording, in the object store (app/storage).
    audio_key: Mapped[str | None] = mapped_column(String(300))
    audio_mime: Mapped[str | None] = mapped_column(String(100))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
