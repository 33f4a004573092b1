"""Opening, submitting, abandoning and retrying practice sessions."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import ACTIVE_ANALYSIS_STATUSES, PracticeSession, SessionKind, SessionStatus, Topic, User, utcnow


class SessionStateError(Exception):
    """The session is not in a state that allows this action (e.g. submitting twice)."""


def start_session(
    student: User,
    kind: str,
    *,
    topic: Topic | None = None,
    title: str = "",
    prompt: str = "",
    planned_seconds: int = 60,
) -> PracticeSession:
    """Open a session `in_progress` for *student*; the prompt is copied so later topic edits don't rewrite it."""
    session = PracticeSession(
        student=student,
        kind=SessionKind(kind).value,
        status=SessionStatus.IN_PROGRESS.value,
        topic=topic,
        class_id=topic.class_id if topic else None,
        prompt_title=topic.title if topic else title,
        prompt_text=topic.prompt if topic else prompt,
        planned_seconds=(topic.prep_seconds + topic.speaking_seconds) if topic else planned_seconds,
        started_at=utcnow(),
        last_seen_at=utcnow(),
    )
    db.session.add(session)
    db.session.flush()
    return session


def session_audio_dir(session: PracticeSession) -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "sessions" / str(session.id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def submit_session(session: PracticeSession, audio_path: Path, mime: str | None = None) -> None:
    """Attach the recording and mark the session `submitted`; the caller commits, then enqueues."""
    if session.status not in (SessionStatus.IN_PROGRESS.value, SessionStatus.FAILED.value):
        raise SessionStateError("This recording was already submitted.")
    session.audio_path = str(audio_path)
    session.audio_mime = mime
    session.status = SessionStatus.SUBMITTED.value
    session.submitted_at = utcnow()
    session.error_code = session.error_message = None
    session.audio_expires_at = utcnow() + timedelta(days=current_app.config["AUDIO_RETENTION_DAYS"])


def retry_session(session: PracticeSession) -> None:
    """Queue a failed session again with the audio it already has; no new recording needed."""
    if session.status != SessionStatus.FAILED.value or not session.audio_path or not Path(session.audio_path).exists():
        raise SessionStateError("Only a failed session with its recording can be retried.")
    session.status = SessionStatus.SUBMITTED.value
    session.submitted_at = utcnow()
    session.error_code = session.error_message = None


def abandon_session(session: PracticeSession) -> None:
    if session.status == SessionStatus.IN_PROGRESS.value:
        session.status = SessionStatus.ABANDONED.value
        session.finished_at = utcnow()


def touch_session(session: PracticeSession) -> None:
    """Record that the recorder page is still open (drives the teacher's live panel)."""
    session.last_seen_at = utcnow()


def abandon_stale_sessions(idle_minutes: int = 30) -> int:
    """Sessions whose recorder has been silent for *idle_minutes* stop counting as in progress."""
    cutoff = utcnow() - timedelta(minutes=idle_minutes)
    result = db.session.execute(
        update(PracticeSession)
        .where(PracticeSession.status == SessionStatus.IN_PROGRESS.value, PracticeSession.last_seen_at < cutoff)
        .values(status=SessionStatus.ABANDONED.value, finished_at=utcnow())
    )
    return result.rowcount or 0


def queue_position(session: PracticeSession) -> int | None:
    """1 for the next session to be analysed; None once analysis has started or finished."""
    if session.status != SessionStatus.SUBMITTED.value or session.submitted_at is None:
        return None
    ahead = db.session.scalars(
        select(PracticeSession.id).where(
            PracticeSession.status == SessionStatus.SUBMITTED.value,
            PracticeSession.submitted_at < session.submitted_at,
        )
    ).all()
    return len(ahead) + 1


def is_analysing(session: PracticeSession) -> bool:
    return session.status in ACTIVE_ANALYSIS_STATUSES
