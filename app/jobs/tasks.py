"""Celery tasks: thin wrappers that take ids, run a service inside the app context and commit.

Every analysis (a student's impromptu speech or reading, a batch file) is one
``analyse_session`` task; the session row, not the broker, is the record of its
state (see app/practice/recovery.py for why and how lost runs come back).
"""
from __future__ import annotations

from celery import shared_task
from flask import current_app

UNEXPECTED_FAILURE = "Something went wrong while analysing this recording. You can try again."


@shared_task(name="podium.analyse_session", bind=True, max_retries=2, default_retry_delay=5)
def analyse_session(self, session_id: int) -> str:
    """Analyse one session, unless another live run owns it or it is already finished."""
    from app.extensions import db
    from app.practice import recovery
    from app.practice.analysis_runner import run_session_analysis

    config = current_app.config
    task_id = self.request.id or f"local-{session_id}"
    if not recovery.claim_session(session_id, task_id, config):
        return "skipped"
    session = _session(session_id)
    if session is None:
        return "gone"
    if recovery.attempts_exhausted(session, config):
        recovery.give_up(session)
        db.session.commit()
        return _finished(session_id, "failed")
    interval = config["ANALYSIS_HEARTBEAT_SECONDS"]
    try:
        with recovery.Heartbeat(db.engine, session_id, task_id, interval):
            run_session_analysis(session_id)
    except Exception as exc:  # anything the pipeline did not turn into a clear AnalysisError
        db.session.rollback()
        current_app.logger.exception("analysis of session %s failed", session_id)
        return _after_unexpected_error(self, session_id, exc)
    return _finished(session_id, "ran")


def _after_unexpected_error(task, session_id: int, exc: Exception) -> str:
    from app.extensions import db
    from app.practice.analysis_runner import mark_failed
    from app.practice.states import release_for_retry

    session = _session(session_id)
    if session is None:  # deleted while it ran (the student's account was removed)
        return "gone"
    if task.request.retries < task.max_retries and not task.request.is_eager:
        release_for_retry(session)
        db.session.commit()
        raise task.retry(exc=exc)
    mark_failed(session, UNEXPECTED_FAILURE, "analysis_error")
    return _finished(session_id, "failed")


def _session(session_id: int):
    from app.extensions import db
    from app.models import PracticeSession

    # populate_existing: the claim was an UPDATE statement, so a cached copy would be stale.
    return db.session.get(PracticeSession, session_id, populate_existing=True)


def _finished(session_id: int, outcome: str) -> str:
    """Bring the batch the session belongs to (if any) up to date; its counters come from its sessions."""
    from app.batch.services import refresh_job
    from app.extensions import db
    from app.models import PracticeSession

    session = db.session.get(PracticeSession, session_id)
    if session is not None and session.batch_job_id:
        refresh_job(session.batch_job_id)
        db.session.commit()
    if session is not None and session.status == "done" and session.class_id and _class_is_idle(session.class_id):
        from app.jobs.dispatch import enqueue_class_summary_refresh

        enqueue_class_summary_refresh(session.class_id)
    return outcome


def _class_is_idle(class_id: int) -> bool:
    """No other session of the class is waiting or analysing: refresh once after a rush, not thirty times."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import ACTIVE_ANALYSIS_STATUSES, PracticeSession

    busy = db.session.scalar(select(PracticeSession.id).where(
        PracticeSession.class_id == class_id, PracticeSession.status.in_(ACTIVE_ANALYSIS_STATUSES)).limit(1))
    return busy is None


@shared_task(name="podium.refresh_class_summary")
def refresh_class_summary(class_id: int) -> str:
    """Recompute a class's cached report for the default period, so the teacher's next visit is instant."""
    from app.analytics.cache import class_report
    from app.analytics.periods import parse_period
    from app.dates import calendar_for
    from app.extensions import db
    from app.models import Classroom

    classroom = db.session.get(Classroom, class_id)
    if classroom is None:
        return "gone"
    calendar = calendar_for(classroom.teacher.school)
    class_report(classroom, parse_period({}, calendar.today(), calendar.zone_name), current_app.config)
    db.session.commit()
    return "refreshed"


@shared_task(name="podium.purge_expired")
def purge_expired() -> dict[str, int]:
    """One retention purge: recordings, unsent parts and reports past their retention (docs/privacy.md)."""
    from app.jobs.sweep import purge

    return purge()


@shared_task(name="podium.recover_sessions")
def recover_sessions() -> dict[str, int]:
    """One sweep: requeue lost analyses, fail those out of attempts, close recorders left open."""
    from app.jobs.sweep import sweep

    return sweep()
