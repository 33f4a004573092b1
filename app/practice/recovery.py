"""Keeping analysis durable: one live run per session, heartbeats, and a sweep that requeues lost work.

The embedded broker (kombu's SQLAlchemy transport) hides a message as soon as a
worker fetches it and never shows it again if that worker is killed, so late
acknowledgement alone cannot bring the work back. Instead the session row says
who is working on it: a run *claims* the session (``task_id``) and keeps
``last_seen_at`` fresh while it runs. A session whose heartbeat stopped, or that
waited in ``submitted`` far longer than any queue should take, is requeued by
``find_stuck_sessions`` + ``requeue_session``; after ``max_attempts`` runs it is
marked failed with the reason instead of looping on a recording that kills
workers.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Mapping

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine

from app.extensions import db
from app.models import ACTIVE_ANALYSIS_STATUSES, PracticeSession, SessionStatus, utcnow

from . import states
from .states import RUNNING_STATUSES

GAVE_UP_MESSAGE = (
    "We tried to analyse this recording {n} times but the analysis kept stopping. "
    "Your recording is saved: you can try again later."
)


def claim_session(session_id: int, task_id: str, config: Mapping) -> bool:
    """Take the session for this run, atomically; False when the run should do nothing.

    The session's ``task_id`` names the one message allowed to run it (dispatch writes it
    before publishing; a requeue writes a new one), so a duplicate or superseded message
    is skipped. Even the named message waits while a run with a fresh heartbeat is going
    (Redis may redeliver a long task to a second worker).
    """
    stale_before = utcnow() - timedelta(seconds=config["ANALYSIS_STALE_SECONDS"])
    claimed = states.claim_run(session_id, task_id, stale_before)
    db.session.commit()
    return claimed


def attempts_exhausted(session: PracticeSession, config: Mapping) -> bool:
    return session.attempts >= config["ANALYSIS_MAX_ATTEMPTS"]


def give_up(session: PracticeSession) -> None:
    """Mark the session failed with the reason; the caller commits."""
    states.fail(session, "too_many_attempts", GAVE_UP_MESSAGE.format(n=session.attempts))


@dataclass(frozen=True)
class StuckSession:
    id: int
    task_id: str | None


def find_stuck_sessions(config: Mapping) -> list[StuckSession]:
    """Sessions that are analysing with no live run behind them, oldest first."""
    now = utcnow()
    stale_before = now - timedelta(seconds=config["ANALYSIS_STALE_SECONDS"])
    queue_stale_before = now - timedelta(seconds=config["ANALYSIS_QUEUE_STALE_SECONDS"])
    silent_run = and_(
        PracticeSession.status.in_(RUNNING_STATUSES),
        or_(PracticeSession.last_seen_at.is_(None), PracticeSession.last_seen_at < stale_before),
    )
    # last_seen_at is the recorder's last ping or our last requeue; the later of it and
    # submitted_at is when the session last entered the queue.
    forgotten = and_(
        PracticeSession.status == SessionStatus.SUBMITTED.value,
        PracticeSession.submitted_at < queue_stale_before,
        or_(PracticeSession.last_seen_at.is_(None), PracticeSession.last_seen_at < queue_stale_before),
    )
    rows = db.session.execute(
        select(PracticeSession.id, PracticeSession.task_id)
        .where(PracticeSession.audio_key.is_not(None), or_(silent_run, forgotten))
        .order_by(PracticeSession.submitted_at, PracticeSession.id)
    )
    return [StuckSession(row.id, row.task_id) for row in rows]


def requeue_session(stuck: StuckSession, new_task_id: str, config: Mapping) -> str:
    """Hand a stuck session to a new task id, or fail it when its attempts are spent.

    Returns "requeued", "failed" or "skipped" (another sweep or a live run got there first).
    The conditional update on the old task id keeps two sweeps from requeuing it twice.
    """
    session = db.session.get(PracticeSession, stuck.id)
    if session is None or session.status not in ACTIVE_ANALYSIS_STATUSES or session.task_id != stuck.task_id:
        return "skipped"
    if attempts_exhausted(session, config):
        give_up(session)
        db.session.commit()
        return "failed"
    requeued = states.requeue(stuck.id, stuck.task_id, new_task_id)
    db.session.commit()
    return "requeued" if requeued else "skipped"


class Heartbeat:
    """Refreshes the session's ``last_seen_at`` from a side thread while a run is in progress.

    It uses its own connection (the run's ORM session belongs to the run's thread)
    and stops touching the row once the run no longer owns it.
    """

    def __init__(self, engine: Engine, session_id: int, task_id: str, interval: float) -> None:
        self._engine, self._session_id, self._task_id, self._interval = engine, session_id, task_id, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{session_id}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                if not self._beat():
                    return
            except Exception:  # noqa: S112 - a busy database must not kill the analysis; the next beat tries again
                continue

    def _beat(self) -> bool:
        with self._engine.begin() as conn:
            result = conn.execute(
                update(PracticeSession)
                .where(
                    PracticeSession.id == self._session_id,
                    PracticeSession.task_id == self._task_id,
                    PracticeSession.status.in_(RUNNING_STATUSES),
                )
                .values(last_seen_at=utcnow())
            )
        return bool(result.rowcount)
