"""Per-person quotas, each a setting: a refusal is a 429 with Retry-After and a message saying when, and nothing
is stored; a nearly full disk refuses uploads before a byte is read."""
from __future__ import annotations

import io
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import BatchJob, PracticeSession, SessionStatus, utcnow
from app.storage import keys, storage

from ..batch.helpers import start
from ..batch.helpers import upload as batch_file
from ..conftest import bearer_for, login_as
from ..factories import GOOD_SPEECH, make_session, make_student, make_teacher, speech_wav
from ..student.conftest import upload


@pytest.fixture
def recording() -> bytes:
    return speech_wav(GOOD_SPEECH).read_bytes()


@pytest.fixture
def queued(app):
    """Analyses wait in the (file) broker: the 202 path, with no worker."""
    celery_app = app.extensions["celery"]
    celery_app.set_default()
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


def _sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PracticeSession))


def _stored(app) -> list[str]:
    with app.app_context():
        return [item.key for item in storage().list("")]


def _assert_429(response, words: str) -> int:
    assert response.status_code == 429 and response.is_json, response.get_data(as_text=True)
    wait = int(response.headers["Retry-After"])
    assert wait >= 1 and response.json["retry_after"] == wait and words in response.json["message"]
    assert "Wait" in response.json["message"] or "wait" in response.json["message"]
    return wait


def test_quick_analyses_by_one_student_end_in_429_saying_when(app, client, queued, recording, monkeypatch):
    monkeypatch.setitem(app.config, "STUDENT_ANALYSES_PER_HOUR", 3)
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    answers = [upload(client, {}, recording, headers=headers) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [202] * 3
    stored_before = _stored(app)
    wait = _assert_429(answers[3], "3 recordings analysed in the last hour")
    assert 3500 <= wait <= 3600 and _sessions(app) == 3 and _stored(app) == stored_before


def test_the_hour_is_a_sliding_window(app, client, queued, recording, monkeypatch):
    monkeypatch.setitem(app.config, "STUDENT_ANALYSES_PER_HOUR", 1)
    with app.app_context():
        student = make_student()
        old = make_session(student, status=SessionStatus.DONE.value)
        old.submitted_at = utcnow() - timedelta(minutes=61)
        db.session.commit()
    assert upload(client, {}, recording, headers=bearer_for(app, student)).status_code == 202


def test_open_recordings_are_capped_and_the_wait_is_the_recorder_timeout(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "STUDENT_MAX_OPEN_SESSIONS", 2)
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    opened = [client.post("/api/me/sessions", json={}, headers=headers) for _ in range(3)]
    assert [o.status_code for o in opened[:2]] == [201, 201]
    wait = _assert_429(opened[2], "You have 2 recordings open already")
    assert wait <= app.config["RECORDER_IDLE_MINUTES"] * 60 and _sessions(app) == 2


def test_stored_audio_per_student_is_capped(app, client, queued, recording, monkeypatch):
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    assert upload(client, {}, recording, headers=headers).status_code == 202
    monkeypatch.setitem(app.config, "STUDENT_MAX_STORED_BYTES", len(recording) + 1000)
    stored_before = _stored(app)
    refused = upload(client, {}, recording, headers=headers)
    assert refused.json["error"] == "storage_full"
    _assert_429(refused, "Your recordings fill the")
    assert _sessions(app) == 1 and _stored(app) == stored_before
    other = bearer_for(app, make_student_in(app))
    assert upload(client, {}, recording, headers=other).status_code == 202  # one student's space, not everyone's


def make_student_in(app):
    with app.app_context():
        return make_student()


def test_a_teacher_running_batches_is_capped(app, browser, monkeypatch):
    monkeypatch.setitem(app.config, "TEACHER_MAX_RUNNING_BATCHES", 1)
    with app.app_context():
        teacher = make_teacher()
        db.session.add(BatchJob(owner_id=teacher.id, kind="impromptu", status="running"))
        db.session.commit()
    login_as(browser.client, teacher)
    refused = start(browser, {"kind": "impromptu", "files": [batch_file(speech_wav(GOOD_SPEECH))]})
    _assert_429(refused, "You have 1 batches being analysed")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BatchJob)) == 1


def test_a_teachers_stored_batch_files_are_capped_until_the_oldest_batch_expires(app, browser, queued,
                                                                                  monkeypatch):
    wav = speech_wav(GOOD_SPEECH)
    with app.app_context():
        teacher, other = make_teacher(), make_teacher()
        old = BatchJob(owner_id=teacher.id, kind="impromptu", status="done", created_at=utcnow() - timedelta(days=10))
        db.session.add(old)
        db.session.commit()
        storage().write(keys.batch_file(old.id, "0001.wav"), b"\0" * (wav.stat().st_size * 3 // 2))
    # Room for two recordings: the first teacher has used one and a half, the other none.
    monkeypatch.setitem(app.config, "TEACHER_MAX_BATCH_STORED_BYTES", wav.stat().st_size * 2)
    stored_before = _stored(app)
    login_as(browser.client, teacher)
    refused = start(browser, {"kind": "impromptu", "files": [batch_file(wav)]})
    assert refused.json["error"] == "batch_storage_full"
    wait = _assert_429(refused, "Your batches' files would fill the")
    left = (app.config["BATCH_RETENTION_DAYS"] - 10) * 86400
    assert left - 60 <= wait <= left  # when the oldest batch's files go
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BatchJob)) == 1
    assert _stored(app) == stored_before
    login_as(browser.client, other)  # one teacher's space, not everyone's
    assert start(browser, {"kind": "impromptu", "files": [batch_file(wav)]}).status_code == 202


@pytest.mark.parametrize("path", ["/api/analyze-chunked", "/api/pronunciation"])
def test_a_nearly_full_disk_refuses_uploads_before_anything_is_written(app, client, recording, monkeypatch, path):
    with app.app_context():
        student = make_student()
    stored_before = _stored(app)
    # More free space asked for than this disk has: the same as a disk this close to full.
    monkeypatch.setitem(app.config, "UPLOAD_MIN_FREE_BYTES", shutil.disk_usage(app.config["INSTANCE_DIR"]).total)
    response = client.post(path, data={"audio": (io.BytesIO(recording), "a.wav")},
                           headers=bearer_for(app, student), content_type="multipart/form-data")
    assert response.status_code == 507 and response.json["error"] == "disk_full"
    assert "nearly full" in response.json["message"] and int(response.headers["Retry-After"]) > 0
    assert _sessions(app) == 0 and _stored(app) == stored_before
