"""Celery tasks: thin wrappers that take ids, call a service and commit."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="podium.analyse_session", bind=True, max_retries=2, default_retry_delay=5)
def analyse_session(self, session_id: int) -> None:
    from app.extensions import db
    from app.models import PracticeSession
    from app.practice.analysis_runner import mark_failed, run_session_analysis

    try:
        run_session_analysis(session_id)
    except Exception as exc:  # anything the pipeline did not turn into a clear AnalysisError
        db.session.rollback()
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc)
        session = db.session.get(PracticeSession, session_id)
        if session is not None:
            mark_failed(session, "Something went wrong while analysing this recording. You can try again.")
