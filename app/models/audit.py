"""The audit trail: who did what to which record, and when, for the school's admin to read."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .users import User


class AuditEvent(db.Model):
    """One recorded action. ``target_id`` is a plain number, not a foreign key, so the event outlives a
    deleted session or account; ``detail`` holds small facts (a score, a count), never what a child said."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_school_at", "school_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    # None when the action came from the command line.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped["User | None"] = relationship()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "actor": {"id": self.actor.id, "name": self.actor.name, "role": self.actor.role} if self.actor else None,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "detail": self.detail or {},
            "at": self.at.isoformat(),
        }
