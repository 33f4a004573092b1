"""What the admin reads: their own school's events, newest first, optionally of one action."""
from __future__ import annotations

from sqlalchemy import Select, select

from app.models import AuditEvent


def school_events(school_id: int, action: str | None = None) -> Select:
    query = select(AuditEvent).where(AuditEvent.school_id == school_id)
    if action:
        query = query.where(AuditEvent.action == action)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
