"""The practice session's state machine: every status change of a PracticeSession happens here.

``TRANSITIONS`` lists, for each status, the statuses a session in it may move to, and
``STARTING_STATUSES`` those a new session may start in. Each function below is one
named event (a student submits, a worker claims the run, a sweep requeues it...) and
makes only moves the table allows; no other module writes the status column
(tests/practice/test_states.py checks both). The functions change the session and
never commit: the caller (a view, the analysis runner, a task) owns the transaction.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, update

from app.extensions import db
from app.models import PracticeSession, SessionKind, SessionStatus, Topic, User, utcnow

from .recordings import has_audio

IN_PROGRESS, ABANDONED = SessionStatus.IN_PROGRESS.value, SessionStatus.ABANDONED.value
SUBMITTED, TRANSCRIBING = SessionStatus.SUBMITTED.value, SessionStatus.TRANSCRIBING.value
SCORING, DONE, FAILED = SessionStatus.SCORING.value, SessionStatus.DONE.value, SessionStatus.FAILED.value
RUNNING_STATUSES = (TRANSCRIBING, SCORING)

TRANSITIONS: dict[str, frozenset[str]] = {
    # The recorder is open: it is submitted, or the student leaves it.
    IN_PROGRESS: frozenset({SUBMITTED, ABANDONED}),
    # Left without sending: the page comes back (a heartbeat), or what arrived is sent.
    ABANDONED: frozenset({IN_PROGRESS, SUBMITTED}),
    # In the queue: a run claims it, a sweep gives it a new message, or its attempts are spent.
    SUBMITTED: frozenset({TRANSCRIBING, SUBMITTED, FAILED}),
    # A run: its next stage, its report or its failure; back in the queue after an unexpected
    # error or a lost worker; taken over by a new run when its heartbeat stopped.
    TRANSCRIBING: frozenset({TRANSCRIBING, SCORING, DONE, FAILED, SUBMITTED}),
    SCORING: frozenset({TRANSCRIBING, DONE, FAILED, SUBMITTED}),
    DONE: frozenset(),
    # A failed session with its recording can be analysed again.
    FAILED: frozenset({SUBMITTED}),
}
# A student opens a recorder; a batch file is queued at once, or refused at once.
STARTING_STATUSES = frozenset({IN_PROGRESS, SUBMITTED, FAILED})
SUBMITTABLE = (IN_PROGRESS, ABANDONED)


class SessionStateError(Exception):
    """The session is not in a state that allows this action (e.g. submitting twice)."""


def sources_of(status: str) -> frozenset[str]:
    """The statuses a session may come from to reach *status*."""
    return frozenset(source for source, targets in TRANSITIONS.items() if status in targets)


def _move(session: PracticeSession, status: str) -> None:
    allowed = STARTING_STATUSES if session.status is None else TRANSITIONS[session.status]
    if status not in allowed:
        raise SessionStateError(f"A session cannot go from {session.status or 'new'} to {status}.")
    session.status = status


# --- opening ----------------------------------------------------------------------------------


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
        topic=topic,
        class_id=topic.class_id if topic else None,
        prompt_title=topic.title if topic else title,
        prompt_text=topic.prompt if topic else prompt,
        planned_seconds=(topic.prep_seconds + topic.speaking_seconds) if topic else planned_seconds,
        started_at=utcnow(),
        last_seen_at=utcnow(),
    )
    _move(session, IN_PROGRESS)
    db.session.add(session)
    db.session.flush()
    return session


def queue_batch_file(session: PracticeSession) -> PracticeSession:
    """A new session for one file of a batch, `submitted` at once (its recording is already saved)."""
    _move(session, SUBMITTED)
    session.started_at = session.submitted_at = session.last_seen_at = utcnow()
    return session


def refuse_batch_file(session: PracticeSession, message: str) -> PracticeSession:
    """A new session for a batch file that is not audio, `failed` at once with the reason."""
    _move(session, FAILED)
    session.started_at = session.finished_at = utcnow()
    session.error_code, session.error_message = "unsupported_format", message
    return session


# --- the student's recorder -----------------------------------------------------------------


def abandon_session(session: PracticeSession) -> None:
    """The student left an open recorder without submitting; nothing else is touched."""
    if session.status == IN_PROGRESS:
        _move(session, ABANDONED)
        session.finished_at = utcnow()


def reopen_session(session: PracticeSession) -> None:
    """A recorder page that was left comes back (its heartbeat arrives) before anything was sent."""
    if session.status == ABANDONED and session.submitted_at is None:
        _move(session, IN_PROGRESS)
        session.finished_at = None


def abandon_stale_sessions(idle: timedelta, now: datetime | None = None) -> int:
    """Open recorders silent for *idle* were closed without a goodbye: they stop counting as in progress."""
    now = now or utcnow()
    result = db.session.execute(
        update(PracticeSession)
        .where(PracticeSession.status == IN_PROGRESS, PracticeSession.last_seen_at < now - idle)
        .values(status=ABANDONED, finished_at=now)
    )
    return result.rowcount or 0


def claim_submit(session: PracticeSession) -> None:
    """Let exactly one request submit this recording (a double click, a retried request, another tab).

    A conditional UPDATE: the first request wins, every other one raises SessionStateError.
    The session object keeps its old status until ``submit_session`` moves it.
    """
    if session.submitted_at is not None or session.status not in SUBMITTABLE:
        raise SessionStateError("This recording was already submitted.")
    claimed = db.session.execute(
        update(PracticeSession)
        .where(PracticeSession.id == session.id, PracticeSession.submitted_at.is_(None),
               PracticeSession.status.in_(SUBMITTABLE))
        .values(status=SUBMITTED)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise SessionStateError("This recording was already submitted.")


def submit_session(session: PracticeSession, audio_key: str, mime: str | None = None) -> None:
    """Attach the stored recording (its storage key) and mark the session `submitted`; the caller
    commits, then enqueues."""
    if session.status not in (*SUBMITTABLE, FAILED):
        raise SessionStateError("This recording was already submitted.")
    _move(session, SUBMITTED)
    session.audio_key = audio_key
    session.audio_mime = mime
    session.submitted_at = utcnow()
    session.finished_at = None
    session.error_code = session.error_message = None
    session.audio_expires_at = utcnow() + timedelta(days=current_app.config["AUDIO_RETENTION_DAYS"])


def retry_session(session: PracticeSession) -> None:
    """Queue a failed session again with the audio it already has; no new recording needed."""
    if session.status != FAILED or not has_audio(session):
        raise SessionStateError("Only a failed session with its recording can be retried.")
    _move(session, SUBMITTED)
    session.submitted_at = utcnow()
    session.error_code = session.error_message = None


# --- a run of the analysis ------------------------------------------------------------------


def claim_run(session_id: int, task_id: str, stale_before: datetime) -> bool:
    """Take the session for the run of *task_id*, atomically; False when the run should do nothing.

    Only the message the session names (or any, before one is named) may take it, and only
    from the queue or from a run whose heartbeat stopped before *stale_before*.
    """
    result = db.session.execute(
        update(PracticeSession)
        .where(
            PracticeSession.id == session_id,
            or_(PracticeSession.task_id == task_id, PracticeSession.task_id.is_(None)),
            or_(
                PracticeSession.status == SUBMITTED,
                and_(
                    PracticeSession.status.in_(RUNNING_STATUSES),
                    or_(PracticeSession.last_seen_at.is_(None), PracticeSession.last_seen_at < stale_before),
                ),
            ),
        )
        .values(task_id=task_id, last_seen_at=utcnow(), status=TRANSCRIBING)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def enter_stage(session: PracticeSession, stage: str) -> None:
    """The run reached *stage* (transcribing or scoring); the student's page shows it."""
    if stage not in RUNNING_STATUSES:
        raise SessionStateError(f"{stage} is not a stage of an analysis.")
    _move(session, stage)


def finish(session: PracticeSession) -> None:
    """The report is saved: the session is `done`."""
    _move(session, DONE)
    session.finished_at = utcnow()
    session.error_code = session.error_message = None


def fail(session: PracticeSession, code: str, message: str) -> None:
    """The session is `failed`, with a reason written for the student."""
    _move(session, FAILED)
    session.error_code, session.error_message = code, message
    session.finished_at = utcnow()


def release_for_retry(session: PracticeSession) -> None:
    """Put a session whose run hit an unexpected error back in the queue (visible to queue_position);
    its task id stays, so only the retry of the same task may take it."""
    _move(session, SUBMITTED)
    session.last_seen_at = utcnow()


def requeue(session_id: int, old_task_id: str | None, new_task_id: str) -> bool:
    """Hand a session with no live run to *new_task_id*; False when another sweep or a run got there first.

    The condition on the old task id keeps two sweeps from requeuing it twice.
    """
    same_task = PracticeSession.task_id.is_(None) if old_task_id is None else PracticeSession.task_id == old_task_id
    result = db.session.execute(
        update(PracticeSession)
        .where(PracticeSession.id == session_id, same_task,
               PracticeSession.status.in_((SUBMITTED, *RUNNING_STATUSES)))
        .values(task_id=new_task_id, status=SUBMITTED, last_seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)
