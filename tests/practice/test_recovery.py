"""Durability rules, run in-process: one live run per session, lost runs requeued, attempts capped."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.jobs.dispatch import enqueue_session_analysis
from app.jobs.sweep import recover_stuck_sessions
from app.models import PracticeSession, utcnow
from app.practice.recovery import claim_session
from app.practice.states import retry_session, start_session, submit_session
from tests.factories import GOOD_SPEECH, app_config, make_student, speech_wav, store_audio

LONG_AGO = timedelta(hours=3)


@pytest.fixture
def stuck(app_ctx):
    """``stuck(status, seen_ago, attempts=1)`` -> a session left in *status* by a run that went silent."""

    def make(status: str, seen_ago: timedelta, attempts: int = 1, audio=None) -> PracticeSession:
        session = start_session(make_student(), "impromptu", title="Pets", prompt="Talk about your pets.")
        submit_session(session, store_audio(session, audio or speech_wav(GOOD_SPEECH)), "audio/wav")
        session.status, session.attempts, session.task_id = status, attempts, "lost-task"
        session.submitted_at = session.last_seen_at = utcnow() - seen_ago
        db.session.commit()
        return session

    return make


def _run(task_id: str, session_id: int):
    """Run the analysis task of the current Flask app's Celery app, here and now."""
    from flask import current_app

    return current_app.extensions["celery"].tasks["podium.analyse_session"].apply((session_id,), task_id=task_id).get()


def _reload(session: PracticeSession) -> PracticeSession:
    db.session.expire_all()
    return db.session.get(PracticeSession, session.id)


def test_a_run_that_went_silent_is_requeued_and_finished(stuck):
    session = stuck("transcribing", timedelta(minutes=10))
    assert recover_stuck_sessions() == {"requeued": 1}
    session = _reload(session)
    assert session.status == "done" and session.attempts == 2 and session.task_id != "lost-task"
    assert "dog" in session.transcript.lower()


def test_a_session_whose_message_was_lost_in_the_queue_is_requeued(stuck):
    session = stuck("submitted", LONG_AGO, attempts=0)
    assert recover_stuck_sessions() == {"requeued": 1}
    assert _reload(session).status == "done"


@pytest.mark.parametrize("status, seen_ago", [
    ("transcribing", timedelta(seconds=5)), ("submitted", timedelta(minutes=2)),
])
def test_live_runs_and_waiting_sessions_are_left_alone(stuck, status, seen_ago):
    session = stuck(status, seen_ago)
    assert recover_stuck_sessions() == {}
    assert (_reload(session).status, _reload(session).task_id) == (status, "lost-task")


def test_a_session_that_keeps_killing_its_worker_fails_with_a_reason_and_can_be_retried(app, stuck):
    session = stuck("scoring", timedelta(minutes=10), attempts=3)
    assert recover_stuck_sessions() == {"failed": 1}
    session = _reload(session)
    assert session.status == "failed" and session.error_code == "too_many_attempts"
    assert "3 times" in session.error_message and session.finished_at

    retry_session(session)
    db.session.commit()
    enqueue_session_analysis(session)
    session = _reload(session)
    assert session.status == "done" and session.attempts == 1 and session.error_message is None


def test_a_superseded_or_duplicate_message_does_nothing(stuck):
    session = stuck("submitted", timedelta(seconds=1))
    assert _run("an-older-message", session.id) == "skipped"
    assert _reload(session).status == "submitted"
    assert claim_session(session.id, "lost-task", app_config()) is True
    # The owner is now running (fresh heartbeat): a redelivery of the same message must wait its turn.
    assert claim_session(session.id, "lost-task", app_config()) is False


def test_a_task_that_fails_for_good_marks_the_session_failed_with_the_reason(stuck, monkeypatch):
    session = stuck("submitted", timedelta(seconds=1))

    def broken_pipeline(*_args, **_kwargs):  # an error the pipeline does not turn into an AnalysisError
        raise OSError("the upload disk went away")

    monkeypatch.setattr("app.analysis.pipeline.analyse_impromptu", broken_pipeline)
    assert _run("lost-task", session.id) == "failed"
    session = _reload(session)
    assert session.status == "failed" and session.error_code == "analysis_error"
    assert "try again" in session.error_message
