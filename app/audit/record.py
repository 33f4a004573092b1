"""Adding an event to the session beside the change it describes, so both commit (or roll back) together."""
from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, PracticeSession, SessionComment, User

from .actions import Action

Target = User | PracticeSession | SessionComment


def record(action: Action, target: Target, detail: dict[str, Any] | None = None,
           actor: User | None = None) -> AuditEvent:
    """Record *action* on *target* by *actor* (the logged-in user when not given; nobody on the command
    line). Never commits: the caller's commit keeps the event with the change."""
    actor = actor if actor is not None else _logged_in_user()
    event = AuditEvent(
        school_id=_school_id(target) or (actor.school_id if actor is not None else None),
        actor_id=actor.id if actor is not None else None,
        action=Action(action).value,
        target_type=_target_type(target),
        target_id=target.id,
        detail=dict(detail or {}),
    )
    db.session.add(event)
    return event


def _logged_in_user() -> User | None:
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _target_type(target: Target) -> str:
    if isinstance(target, User):
        return target.role
    if isinstance(target, SessionComment):
        return "comment"
    return "session"


def _school_id(target: Target) -> int | None:
    """The school whose admin reads the event: a class's school for a session, an account's own school
    (or the school of the first class a student is in)."""
    if isinstance(target, SessionComment):
        target = target.session
    if isinstance(target, PracticeSession):
        if target.classroom is not None and target.classroom.teacher is not None:
            return target.classroom.teacher.school_id
        target = target.student
        if target is None:
            return None
    if target.school_id is not None:
        return target.school_id
    for enrolment in target.enrolments:
        teacher = enrolment.classroom.teacher if enrolment.classroom is not None else None
        if teacher is not None and teacher.school_id is not None:
            return teacher.school_id
    return None
