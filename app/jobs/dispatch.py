"""Putting work on the queue. Call only after the rows the task reads are committed."""
from __future__ import annotations

from app.extensions import db
from app.models import PracticeSession


def enqueue_session_analysis(session: PracticeSession) -> None:
    from .tasks import analyse_session

    result = analyse_session.delay(session.id)
    # In eager mode (tests, CLI) the task already ran in this process; reload what it wrote.
    db.session.refresh(session)
    if session.task_id != result.id and not session.is_finished:
        session.task_id = result.id
        db.session.commit()
