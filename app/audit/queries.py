"""What the admin reads: their own school's events, newest first, optionally of one action."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import Select, select

from app.extensions import db
from app.models import AuditEvent, Role, User

ROLE_NAMES = tuple(role.value for role in Role)


def school_events(school_id: int, action: str | None = None) -> Select:
    query = select(AuditEvent).where(AuditEvent.school_id == school_id)
    if action:
        query = query.where(AuditEvent.action == action)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def account_names(events: Sequence[AuditEvent]) -> dict[int, str]:
    """Event id -> the name of the account it was done to, for accounts that still exist; a deleted
    account's event keeps only its id."""
    on_accounts = [e for e in events if e.target_type in ROLE_NAMES and e.target_id is not None]
    if not on_accounts:
        return {}
    ids = {e.target_id for e in on_accounts}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    return {e.id: names[e.target_id] for e in on_accounts if e.target_id in names}
