"""The worker's periodic sweep: requeue analyses whose run was lost, fail those out of attempts,
close recorders left open without a goodbye, and delete API tokens that expired or were revoked.

Every worker runs it when it starts and then every RECOVERY_INTERVAL_SECONDS
(app/jobs/__init__.py); the ``podium.recover_sessions`` task runs it on demand. Pages
only read: this is where the clean-up happens. Why analyses need a sweep at all is
explained in app/practice/recovery.py.
"""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from celery import uuid
from flask import current_app

from app.auth.tokens import purge_dead_tokens
from app.batch.services import refresh_job
from app.extensions import db
from app.models import PracticeSession
from app.practice.recovery import find_stuck_sessions, requeue_session
from app.practice.states import abandon_stale_sessions

from .dispatch import publish_analysis


def sweep() -> dict[str, int]:
    """One sweep; returns how many sessions were requeued, failed, skipped and abandoned, and tokens purged."""
    outcomes = recover_stuck_sessions()
    abandoned = abandon_stale_sessions(timedelta(minutes=current_app.config["RECORDER_IDLE_MINUTES"]))
    purged = purge_dead_tokens()
    db.session.commit()
    return outcomes | ({"abandoned": abandoned} if abandoned else {}) | ({"tokens_purged": purged} if purged else {})


def purge() -> dict[str, int]:
    """One retention purge (app/privacy/retention.py); returns how much of each kind went."""
    from app.privacy.retention import purge_expired

    report = purge_expired(current_app.config)
    db.session.commit()
    return {"recordings": len(report.recordings), "parts": len(report.parts), "reports": len(report.reports)}


def recover_stuck_sessions() -> dict[str, int]:
    """One recovery sweep: requeue sessions with no live run, fail those out of attempts."""
    outcomes: Counter[str] = Counter()
    for stuck in find_stuck_sessions(current_app.config):
        task_id = uuid()
        outcome = requeue_session(stuck, task_id, current_app.config)
        if outcome == "requeued":
            publish_analysis(stuck.id, task_id)
        elif outcome == "failed":
            _refresh_batch_of(stuck.id)
        outcomes[outcome] += 1
    return dict(outcomes)


def _refresh_batch_of(session_id: int) -> None:
    session = db.session.get(PracticeSession, session_id)
    if session is not None and session.batch_job_id:
        refresh_job(session.batch_job_id)
        db.session.commit()
