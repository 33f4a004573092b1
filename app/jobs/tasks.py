"""Celery tasks: thin wrappers that take ids, call a service and commit."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="podium.analyse_session", bind=True, max_retries=2)
def analyse_session(self, session_id: int) -> None:
    from app.analysis.services import run_session_analysis

    run_session_analysis(session_id)
