"""One schedule of periodic work for Celery beat, and periodic tasks that two beats cannot run twice."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import create_engine, text

from app.extensions import db
from app.jobs.schedule import PERIODIC_TASKS, beat_schedule
from app.models import PracticeSession, utcnow
from app.practice.states import start_session, submit_session
from tests.factories import make_student, store_audio


def test_the_celery_app_beats_every_periodic_task_at_its_configured_interval(app):
    celery_app = app.extensions["celery"]
    schedule = celery_app.conf.beat_schedule
    assert schedule["recover-sessions"]["task"] == "podium.recover_sessions"
    assert schedule["recover-sessions"]["schedule"] == app.config["RECOVERY_INTERVAL_SECONDS"]
    # Every scheduled task exists, so beat never sends a message no worker understands.
    assert {entry["task"] for entry in schedule.values()} <= set(celery_app.tasks)
    assert set(schedule) == set(PERIODIC_TASKS)
    # On a queue of their own that every worker consumes, so a sweep never waits behind a bell's backlog.
    assert {entry["options"]["queue"] for entry in schedule.values()} == {"periodic"}
    assert {queue.name for queue in celery_app.conf.task_queues} == {"celery", "periodic"}


def test_adding_a_periodic_task_is_one_line(monkeypatch):
    monkeypatch.setitem(PERIODIC_TASKS, "purge-things", ("podium.purge_things", "PURGE_SECONDS"))
    schedule = beat_schedule({"RECOVERY_INTERVAL_SECONDS": 60, "PURGE_INTERVAL_SECONDS": 3600, "PURGE_SECONDS": 3600})
    assert schedule["purge-things"] == {"task": "podium.purge_things", "schedule": 3600.0,
                                        "options": {"queue": "periodic", "expires": 3600.0}}


def _broker_messages(app) -> int:
    engine = create_engine(app.config["CELERY_BROKER_URL"].removeprefix("sqla+"))
    try:
        with engine.connect() as conn:
            tables = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
            return conn.execute(text("SELECT COUNT(*) FROM kombu_message")).scalar() if "kombu_message" in tables else 0
    finally:
        engine.dispose()


def test_two_beats_firing_at_once_requeue_each_lost_analysis_once(app, app_ctx):
    """Two recovery sweeps (as two beats would send) run side by side over the same lost runs."""
    celery_app = app.extensions["celery"]
    celery_app.set_default()
    celery_app.conf.task_always_eager = False  # the requeued analyses go to the broker, no worker runs them
    try:
        lost = []
        for _ in range(4):
            session = start_session(make_student(), "impromptu", title="Pets", prompt="Talk about your pets.")
            submit_session(session, store_audio(session, b"RIFF"), "audio/wav")
            session.status, session.attempts, session.task_id = "transcribing", 1, "lost-task"
            session.submitted_at = session.last_seen_at = utcnow() - timedelta(minutes=10)
            lost.append(session.id)
        db.session.commit()
        before = _broker_messages(app)
        start, outcomes = threading.Barrier(2), []

        def beat():
            with app.app_context():
                start.wait()
                outcomes.append(celery_app.tasks["podium.recover_sessions"].run())
                db.session.remove()

        threads = [threading.Thread(target=beat) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        requeued = sum(result.get("requeued", 0) for result in outcomes)
        assert len(outcomes) == 2 and requeued == len(lost)
        db.session.expire_all()
        sessions = [db.session.get(PracticeSession, session_id) for session_id in lost]
        assert all(s.task_id != "lost-task" and s.status == "submitted" for s in sessions)
        assert _broker_messages(app) - before == len(lost)  # one analysis message per lost run, not two
    finally:
        celery_app.conf.task_always_eager = True
