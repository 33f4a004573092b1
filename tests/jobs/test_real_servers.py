"""Upload → analysis → playback → delete with every server real: Celery's broker on Redis, the
recordings in moto's S3-compatible server (over HTTP, the real boto3 client), and a worker process."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import PracticeSession
from app.practice.recordings import delete_recording
from app.storage import read_bytes, storage
from tests.conftest import bearer_for, login_as
from tests.factories import make_student, speech_wav
from tests.servers import redis_server, s3_server
from tests.student.conftest import split, upload

from .conftest import WorkerHarness

pytestmark = pytest.mark.worker
SPEECH = "On Saturday I went to the library with my sister and we read books about the ocean."


@pytest.fixture
def district(tmp_path, monkeypatch):
    """A harness whose broker is a real Redis and whose store is a bucket on a real S3-compatible server."""
    from celery import _state

    previous = _state.default_app
    with redis_server() as redis_url, s3_server() as s3:
        for name, value in s3.env.items():
            monkeypatch.setenv(name, value)  # boto3's standard variables, for this process and the worker
        bucket = s3.create_bucket("podium-recordings")
        harness = WorkerHarness(tmp_path, CELERY_BROKER_URL=redis_url, STORAGE_URL=f"s3://{bucket}/district",
                                STORAGE_S3_ADDRESSING_STYLE="path")
        harness.s3, harness.bucket = s3, bucket
        try:
            yield harness
        finally:
            harness.stop_all()
            with harness.app.app_context():
                db.engine.dispose()
            if previous is not None:
                previous.set_default()


def _bucket_keys(harness) -> list[str]:
    listing = harness.s3.client().list_objects_v2(Bucket=harness.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_a_recording_goes_through_redis_and_s3_and_is_played_back_and_deleted(district, tmp_path):
    audio = speech_wav(SPEECH).read_bytes()
    with district.app.app_context():
        student = make_student()
    client = district.app.test_client()
    headers = bearer_for(district.app, student)
    pieces = split(audio, 3)
    for number, piece in enumerate(pieces):
        sent = upload(client, {"upload_id": "take-0001", "part": number, "final": 0}, piece, "blob", headers)
        assert sent.status_code == 202
    final = upload(client, {"upload_id": "take-0001", "final": 1}, headers=headers)
    assert final.status_code == 202 and final.json["status"] == "submitted"
    session_id = final.json["session_id"]
    # In the bucket, under its key, and nowhere on this machine's upload folder.
    assert _bucket_keys(district) == [f"district/sessions/{session_id}/recording.wav"]
    assert not (tmp_path / "uploads").exists() or not any(p.is_file() for p in (tmp_path / "uploads").rglob("*"))

    district.start_worker("w1")
    district.wait_for(lambda: db.session.get(PracticeSession, session_id).status == "done", 180, "the report")
    with district.app.app_context():
        session = db.session.get(PracticeSession, session_id)
        assert "library" in session.transcript.lower() and session.report["transcript"]
        assert read_bytes(storage(), session.audio_key) == audio

    login_as(client, student)
    ranged = client.get(f"/student/sessions/{session_id}/audio", headers={"Range": "bytes=100-199"})
    assert ranged.status_code == 206 and ranged.data == audio[100:200]
    assert ranged.headers["Content-Range"] == f"bytes 100-199/{len(audio)}"

    with district.app.app_context():
        session = db.session.get(PracticeSession, session_id)
        assert delete_recording(session) == 1
        db.session.commit()
    assert _bucket_keys(district) == []
    assert client.get(f"/student/sessions/{session_id}/audio").status_code == 404
