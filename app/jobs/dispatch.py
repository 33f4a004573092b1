"""Putting work on the queue. Call only after the rows the task reads are committed.

The session's ``task_id`` is written *before* the message is published, so a
worker that picks the message up at once always finds the id it was given, and
a publish that fails (broker down) leaves a `submitted` session that the
recovery sweep requeues later instead of losing it.
"""
from __future__ import annotations

from celery import uuid
from flask import current_app

from app.extensions import db
from app.models import PracticeSession, SessionStatus
from app.practice.uploads import discard_parts


def enqueue_session_analysis(session: PracticeSession) -> None:
    """Queue a freshly submitted (or retried) session; the student's attempt budget starts again."""
    session.attempts = 0
    _publish(session)


def enqueue_upload(session: PracticeSession) -> None:
    """Queue a recording submitted from its uploaded parts, and drop the parts it was joined from."""
    discard_parts(session, all_takes=True)
    enqueue_session_analysis(session)


def enqueue_batch(session_ids: list[int]) -> None:
    """Queue every submitted item of a batch, in upload order."""
    for session_id in session_ids:
        session = db.session.get(PracticeSession, session_id)
        if session is not None and session.status == SessionStatus.SUBMITTED.value:
            _publish(session)


def enqueue_class_summary_refresh(class_id: int) -> None:
    _task("podium.refresh_class_summary").delay(class_id)


def publish_analysis(session_id: int, task_id: str) -> None:
    """Send the message that runs the analysis of a session already given *task_id* (and committed)."""
    _task("podium.analyse_session").apply_async((session_id,), task_id=task_id)


def _task(name: str):
    """The task bound to *this* Flask app's Celery app, not whichever Celery app was created last
    (several apps live in one process in tests and scripts)."""
    return current_app.extensions["celery"].tasks[name]


def _publish(session: PracticeSession) -> None:
    task_id = uuid()
    session.task_id = task_id
    db.session.commit()
    try:
        publish_analysis(session.id, task_id)
    except Exception:  # broker unreachable: the session stays submitted and the sweep retries it
        current_app.logger.exception("could not queue session %s; the recovery sweep will retry", session.id)
    # In eager mode (tests, CLI) the task already ran in this process; show the caller what it wrote.
    db.session.refresh(session)
