"""Web and workers on separate hosts: gunicorn and two Celery workers (and one beat) as separate processes
with their own instance folders and no disk in common, sharing only PostgreSQL, Redis and an S3 server.

Twenty students submit at once through the real upload API; one worker is SIGKILLed in the middle of
an analysis; every recording still ends with exactly one report. Speech is espeak-ng, about 3 s a clip,
and the workers use WHISPER_MODEL=tiny.en (the smaller shipped model) so this stays within a few
minutes on two cores.
"""
from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import ACTIVE_ANALYSIS_STATUSES, PracticeSession
from tests.conftest import bearer_for
from tests.factories import app_config, make_student, speech_wav
from tests.topology import district, fresh_database, post_recording, scrape, wait_until

pytestmark = pytest.mark.worker
STUDENTS = 20
METRICS_TOKEN = "two-hosts-metrics"  # noqa: S105 - the test's own token
ANIMALS = ["cat", "dog", "horse", "rabbit", "tiger", "lion", "zebra", "monkey", "parrot", "turtle",
           "whale", "dolphin", "eagle", "spider", "penguin", "camel", "kangaroo", "giraffe", "panda", "shark"]


@pytest.fixture
def hosts(tmp_path, postgres_url):
    with fresh_database(postgres_url) as database_url, \
            district(tmp_path / "hosts", database_url,
                     settings={"WHISPER_MODEL": "tiny.en", "METRICS_TOKEN": METRICS_TOKEN}) as topology:
        # This process only makes the students and their API tokens, through the same database.
        topology.app = create_app(app_config(SQLALCHEMY_DATABASE_URI=database_url,
                                             INSTANCE_DIR=str(tmp_path / "seeder"),
                                             UPLOAD_DIR=str(tmp_path / "seeder" / "uploads")))
        try:
            yield topology
        finally:
            with topology.app.app_context():
                db.engine.dispose()


def _statuses(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(PracticeSession.status, func.count()).group_by(PracticeSession.status))
        counts = dict(rows.all())
        db.session.remove()
    return counts


def test_twenty_students_at_once_and_a_worker_killed_mid_analysis_lose_nothing(hosts):
    clips = [speech_wav(f"My favourite animal is the {animal}. I saw one at the zoo.").read_bytes()
             for animal in ANIMALS]
    with hosts.app.app_context():
        tokens = [bearer_for(hosts.app, make_student())["Authorization"].removeprefix("Bearer ")
                  for _ in range(STUDENTS)]
    hosts.start_worker("worker-a")
    hosts.start_worker("worker-b")

    answers: list[tuple[int, dict]] = [None] * STUDENTS  # type: ignore[list-item]
    bell = threading.Barrier(STUDENTS)

    def submit(n: int) -> None:
        bell.wait()
        answers[n] = post_recording(hosts.web_url, tokens[n], clips[n])

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(STUDENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert [status for status, _ in answers] == [202] * STUDENTS, answers
    ids = [body["session_id"] for _, body in answers]
    # Every recording is in the bucket under its key; no host keeps one on its own disk.
    assert {f"recordings/sessions/{i}/recording.wav" for i in ids} <= set(hosts.bucket_keys())
    assert [p for p in hosts.root.rglob("*.wav")] == []

    # Both workers busy: worker-a is in the middle of an analysis when it is killed.
    wait_until(lambda: sum(_statuses(hosts.app).get(s, 0) for s in ("transcribing", "scoring")) == 2
               and _statuses(hosts.app).get("done", 0) >= 1, 240, "both workers to be analysing")
    hosts.kill("worker-a")

    wait_until(lambda: _statuses(hosts.app).get("done", 0) == STUDENTS, 420, "every report",
               interval=1)
    with hosts.app.app_context():
        sessions = [db.session.get(PracticeSession, i) for i in ids]
        assert all(s.status == "done" and s.report and s.transcript for s in sessions)
        assert not any(s.status in ACTIVE_ANALYSIS_STATUSES or s.error_code for s in sessions)
        # The run the kill interrupted was given to worker-b: one session took a second attempt.
        assert sorted(s.attempts for s in sessions)[-1] == 2 and sum(s.attempts for s in sessions) == STUDENTS + 1
        heard = sum(animal in s.transcript.lower() for s, animal in zip(sessions, ANIMALS, strict=True))
        assert heard >= STUDENTS // 2  # each report is of its own recording (tiny.en mishears a few animals)
    # Exactly one finished run per recording, across both workers: none lost, none twice.
    finished_runs = sum(len(re.findall(r"podium\.analyse_session\[[^\]]+\] succeeded in [^:]+: 'ran'",
                                       hosts.log(host))) for host in ("worker-a", "worker-b"))
    assert finished_runs == STUDENTS

    # /metrics on the web host: the uploads counted across both gunicorn processes, the analyses
    # (run on the worker hosts) read from the database.
    figures = scrape(hosts.web_url, METRICS_TOKEN)
    uploads = re.findall(r'^podium_http_request_duration_seconds_count\{endpoint="student.api_analyze_chunked",'
                         r'method="POST",status="202"\} (\S+)$', figures, re.M)
    assert sum(float(n) for n in uploads) == STUDENTS
    assert re.search(r'^podium_analyses_total\{outcome="done"\} 20\.0$', figures, re.M)
    assert re.search(r'^podium_analysis_queue\{status="submitted"\} 0\.0$', figures, re.M)
