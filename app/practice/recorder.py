"""The recorder's workflow: open a session for an upload, receive its parts, re-record, keep alive, submit.

Plain services over app.practice.states and uploads; they change the session and
never commit. The caller commits, then queues the analysis (``jobs.dispatch.enqueue_upload``).
"""
from __future__ import annotations

import re
import secrets

from sqlalchemy import select

from app.extensions import db
from app.limits.quotas import check_open_sessions
from app.models import PracticeSession, SessionKind, SessionStatus, Topic, User, utcnow

from .prompt_bank import BankPrompt
from .pronunciation_attempts import Reference, open_attempt
from .states import (
    SUBMITTABLE,
    SessionStateError,
    abandon_session,
    claim_submit,
    reopen_session,
    start_session,
    submit_session,
)
from .uploads import JoinedAudio, discard_parts, join_parts

UPLOAD_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,48}$")
FREE_PRACTICE_TITLE = "Free practice"


def _stored_upload_id(student: User, client_id: str) -> str:
    # Namespaced by student, so two students choosing the same id never meet.
    return f"{student.id}:{client_id}"


def client_upload_id(session: PracticeSession) -> str | None:
    return session.upload_id.split(":", 1)[1] if session.upload_id else None


def session_for_upload(student: User, client_id: str) -> PracticeSession | None:
    return db.session.scalar(
        select(PracticeSession).where(PracticeSession.upload_id == _stored_upload_id(student, client_id))
    )


def start_practice(
    student: User, *, topic: Topic | None = None, prompt: BankPrompt | None = None,
    reference: Reference | None = None, client_id: str | None = None,
) -> PracticeSession:
    """Open a session `in_progress` for a reading, a class topic, a bank prompt, or free practice."""
    check_open_sessions(student)
    if reference is not None:
        session = open_attempt(student, reference)
    elif topic is not None:
        session = start_session(student, topic.kind, topic=topic)
    elif prompt is not None:
        session = start_session(student, SessionKind.IMPROMPTU.value, title=prompt.title, prompt=prompt.prompt,
                                planned_seconds=prompt.prep_seconds + prompt.speaking_seconds)
    else:
        session = start_session(student, SessionKind.IMPROMPTU.value, title=FREE_PRACTICE_TITLE, planned_seconds=60)
    session.upload_id = _stored_upload_id(student, client_id or secrets.token_urlsafe(18))
    db.session.flush()
    return session


def accept_parts(session: PracticeSession) -> None:
    """Parts may still arrive: refuse them once the session was submitted (a late retry)."""
    if session.submitted_at is not None or session.status not in SUBMITTABLE:
        raise SessionStateError("This recording was already submitted.")
    keep_alive(session)


def new_take(session: PracticeSession) -> str:
    """Throw away the parts of the take being replaced ("record again") and name a fresh one."""
    accept_parts(session)
    discard_parts(session)
    session.upload_id = _stored_upload_id(session.student, secrets.token_urlsafe(18))
    session.parts_received = 0
    touch_session(session)
    return client_upload_id(session)


def keep_alive(session: PracticeSession) -> None:
    """Heartbeat from an open recorder. A page restored after it was left comes back to life."""
    reopen_session(session)
    if session.status == SessionStatus.IN_PROGRESS.value:
        touch_session(session)


def leave(session: PracticeSession) -> None:
    """The student left the recorder without submitting; the parts stay so nothing is lost."""
    abandon_session(session)


def finish_upload(session: PracticeSession) -> JoinedAudio:
    """Join the parts that arrived and mark the session submitted, exactly once.

    A second submit (double click, a retried request, another tab) raises
    SessionStateError: the first one already won the conditional UPDATE below.
    """
    claim_submit(session)
    joined = join_parts(session)
    submit_session(session, joined.key, joined.mime)
    return joined


def touch_session(session: PracticeSession) -> None:
    """Record that the recorder page is still open (drives the teacher's live panel)."""
    session.last_seen_at = utcnow()

