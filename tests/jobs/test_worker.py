"""A real Celery worker process: analyses arrive through the broker, and survive a killed worker."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.jobs.dispatch import enqueue_session_analysis
from app.models import PracticeSession
from tests.factories import make_student, speech_wav, submit_recording

pytestmark = pytest.mark.worker

SPEECH = (
    "My favourite place is the library in our town. It is quiet and full of books about animals, "
    "space and history. On Saturdays I read there with my brother, and then we walk home through the park."
)


def _submitted_session(harness, wav) -> int:
    """A student's session submitted with *wav* and put on the queue, as the student pages do."""
    with harness.app.app_context():
        session = submit_recording(make_student(), wav)
        enqueue_session_analysis(session)
        return session.id


def _status(session_id: int) -> PracticeSession:
    return db.session.get(PracticeSession, session_id)


def test_a_submitted_session_is_analysed_by_a_separate_worker(worker_harness):
    session_id = _submitted_session(worker_harness, speech_wav(SPEECH))
    with worker_harness.app.app_context():
        assert _status(session_id).status == "submitted"  # nothing ran in this process
    worker_harness.start_worker("w1")
    worker_harness.wait_for(lambda: _status(session_id).status == "done", 120, "the report")
    with worker_harness.app.app_context():
        session = _status(session_id)
        assert "library" in session.transcript.lower()
        assert session.report["transcript"] and session.attempts == 1


def test_a_session_survives_its_worker_being_killed_mid_task(worker_harness):
    session_id = _submitted_session(worker_harness, speech_wav(SPEECH))
    first = worker_harness.start_worker("doomed")
    # attempts is counted by the runner's first commit, so the kill lands inside the analysis itself.
    worker_harness.wait_for(lambda: _status(session_id).attempts == 1, 90, "analysis to start")
    worker_harness.kill(first)
    with worker_harness.app.app_context():
        assert _status(session_id).status in ("transcribing", "scoring")  # lost with the worker, for now
    worker_harness.start_worker("rescuer")
    worker_harness.start_beat()  # its recovery sweep hands the lost run to the rescuer
    worker_harness.wait_for(lambda: _status(session_id).status == "done", 120, "the session to be recovered")
    with worker_harness.app.app_context():
        session = _status(session_id)
        assert session.attempts == 2 and session.error_code is None
        assert "library" in session.transcript.lower()
