"""Batch analysis jobs; the owner column is what makes them private."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .types import UTCDateTime, utcnow


def new_job_id() -> str:
    # Unguessable, so an id seen in a log cannot be walked to its neighbours; hex, so it always makes a storage key
    # (a URL-safe token may start with "-" or "_", which keys refuse).
    return secrets.token_hex(16)


class BatchJob(db.Model):
    __tablename__ = "batch_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_job_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    reference_text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner = relationship("User")


class ClassSummaryCache(db.Model):
    """The last computed class report for a period; dropped when a new session finishes."""

    __tablename__ = "class_summary_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    period_key: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
