"""POST /api/analyze-chunked: whole files, parts of one recording, and every kind of bad input."""
import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import PracticeSession, Topic
from app.practice.recordings import has_audio
from app.storage import keys, storage

from ..conftest import bearer_for, login_as
from ..factories import make_classroom, make_student, make_teacher, stored_bytes
from .conftest import silent_wav, split, upload


def _count_sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(PracticeSession.id)))


def _topic(classroom, **kwargs) -> Topic:
    topic = Topic(classroom=classroom, title=kwargs.get("title", "My favourite place"),
                  prompt=kwargs.get("prompt", "Describe a place you love."), prep_seconds=10, speaking_seconds=30)
    db.session.add(topic)
    db.session.commit()
    return topic


def test_whole_file_finishes_with_report_and_topic(app, client, eager, speech_wav):
    with app.app_context():
        student = make_student()
        topic_id = _topic(make_classroom(students=(student,))).id
    response = upload(client, {"topic_id": topic_id}, speech_wav, headers=bearer_for(app, student))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "done" and body["topic"] == {"id": topic_id, "title": "My favourite place"}
    assert "beach" in body["report"]["transcript"].lower() and "family" in body["transcript"].lower()
    assert body["report"]["scores"]["overall"]["score"] >= 0 and body["missing_parts"] == []
    with app.app_context():
        session = db.session.get(PracticeSession, body["id"])
        assert session.student_id == student.id and session.class_id is not None
        assert stored_bytes(session) == speech_wav  # the original is kept for playback
        assert session.audio_expires_at is not None


def test_parts_out_of_order_and_repeated_are_joined_in_order(app, browser, queued, speech_wav):
    with app.app_context():
        student = make_student()
    login_as(browser.client, student)
    browser.get("/student/")
    headers = {"X-CSRFToken": browser.csrf_token}  # a page's fetch sends the cookie and this header
    pieces = split(speech_wav, 4)
    answers = [upload(browser.client, {"upload_id": "take-0001", "part": n, "final": 0}, pieces[n], "blob", headers)
               for n in (2, 0, 1, 1, 3)]
    assert [a.status_code for a in answers] == [202] * 5
    assert answers[3].json["duplicate"] is True and answers[4].json["parts_received"] == 4
    assert len({a.json["session_id"] for a in answers}) == 1
    final = upload(browser.client, {"upload_id": "take-0001", "final": 1}, headers=headers)
    assert final.status_code == 202 and final.json["status"] == "submitted"
    assert final.json["queue_position"] == 1 and final.json["missing_parts"] == []
    with app.app_context():
        session = db.session.get(PracticeSession, final.json["session_id"])
        assert stored_bytes(session) == speech_wav
        assert session.parts_received == 4 and session.status == "submitted" and session.task_id
        assert list(storage().list(keys.parts_prefix(session.id))) == []  # the parts went once joined


def test_a_lost_part_does_not_lose_the_rest(app, client, queued, speech_wav):
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    pieces = split(speech_wav, 4)
    for n in (0, 1, 3):
        part = upload(client, {"upload_id": "take-0002", "part": n, "final": 0}, pieces[n], "blob", headers)
        assert part.status_code == 202
    final = upload(client, {"upload_id": "take-0002", "final": 1}, headers=headers)
    assert final.status_code == 202 and final.json["missing_parts"] == [2]
    with app.app_context():
        joined = stored_bytes(db.session.get(PracticeSession, final.json["session_id"]))
    assert joined == pieces[0] + pieces[1] + pieces[3]


def test_double_submit_is_409_with_the_same_session(app, client, queued, speech_wav):
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    first = upload(client, {"upload_id": "take-0003", "part": 0, "final": 1}, speech_wav, "blob", headers)
    again = upload(client, {"upload_id": "take-0003", "final": 1}, headers=headers)
    late_part = upload(client, {"upload_id": "take-0003", "part": 1, "final": 0}, b"more", "blob", headers)
    assert first.status_code == 202
    assert again.status_code == 409 and again.json["session_id"] == first.json["session_id"]
    assert "already submitted" in again.json["message"]
    assert late_part.status_code == 409 and _count_sessions(app) == 1


def test_same_upload_id_from_two_students_stays_apart(app, client, queued, speech_wav):
    with app.app_context():
        alice, bob = make_student(), make_student()
    a = upload(client, {"upload_id": "same-take-id", "part": 0, "final": 0}, speech_wav, "blob", bearer_for(app, alice))
    b = upload(client, {"upload_id": "same-take-id", "part": 0, "final": 0}, speech_wav, "blob", bearer_for(app, bob))
    assert a.status_code == b.status_code == 202 and a.json["session_id"] != b.json["session_id"]
    assert b.json["duplicate"] is False


@pytest.mark.parametrize("case", ["other_class", "missing"])
def test_topic_outside_the_students_classes_is_404(app, client, queued, speech_wav, case):
    with app.app_context():
        student = make_student()
        topic_id = _topic(make_classroom(make_teacher())).id if case == "other_class" else 999999
    response = upload(client, {"topic_id": topic_id}, speech_wav, headers=bearer_for(app, student))
    assert response.status_code == 404 and "topic" in response.json["message"]
    assert _count_sessions(app) == 0


@pytest.mark.parametrize("filename, data", [
    ("notes.txt", b"RIFF....WAVEfmt  pretending"),
    ("homework.pdf", b"%PDF-1.4 not a recording"),
    ("speech.wav", b"this is plain text, not sound"),
    ("blob", b"<html>not audio</html>"),
])
def test_wrong_file_type_is_415_and_saves_nothing(app, client, queued, filename, data):
    with app.app_context():
        student = make_student()
    response = upload(client, {}, data, filename, headers=bearer_for(app, student))
    assert response.status_code == 415 and response.json["error"] == "unsupported_format"
    assert "upload a WAV" in response.json["message"] and _count_sessions(app) == 0


def test_upload_over_analysis_limit_is_413_json(app, client, queued, speech_wav, monkeypatch):
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    monkeypatch.setitem(app.config, "ANALYSIS_MAX_BYTES", len(speech_wav) // 2)
    whole = upload(client, {}, speech_wav, headers=headers)
    assert whole.status_code == 413 and "too big" in whole.json["message"]
    pieces = split(speech_wav, 3)
    first = upload(client, {"upload_id": "take-0004", "part": 0, "final": 0}, pieces[0], "blob", headers)
    second = upload(client, {"upload_id": "take-0004", "part": 1, "final": 0}, pieces[1], "blob", headers)
    assert first.status_code == 202 and second.status_code == 413 and second.json["error"] == "too_large"
    assert first.json["session_id"] and _count_sessions(app) == 1  # the part that fit is kept


def test_a_body_over_the_routes_limit_is_413_json_and_saves_nothing(app, client, queued, speech_wav, monkeypatch):
    with app.app_context():
        student = make_student()
    # The route allows its recording limit plus room for the form: a recording that alone is over it.
    monkeypatch.setitem(app.config, "ANALYSIS_MAX_BYTES", 1024)
    # Encoded here: the test client would spool a body this big to a file left open when it is refused unread.
    boundary, body = encode_multipart({"audio": FileStorage(io.BytesIO(speech_wav + b"\0" * (1024 * 1024)), "a.wav")})
    response = client.post("/api/analyze-chunked", data=body, headers=bearer_for(app, student),
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413 and response.json["error"] == "too_large" and response.json["message"]
    assert _count_sessions(app) == 0


@pytest.mark.parametrize("fields, has_audio, message", [
    ({"upload_id": "bad id!"}, True, "upload_id"),
    ({"upload_id": "take-0005", "part": "two"}, True, "whole number"),
    ({"upload_id": "take-0005", "part": "99999999999"}, True, "whole number"),
    ({"upload_id": "take-0005", "final": "maybe"}, True, "final"),
    ({"upload_id": "take-0005", "final": 0}, False, "audio"),
    ({}, False, "audio"),
    ({"topic_id": "x"}, True, "whole number"),
])
def test_malformed_fields_are_400(app, client, queued, speech_wav, fields, has_audio, message):
    with app.app_context():
        student = make_student()
    response = upload(client, fields, speech_wav if has_audio else None, "blob", bearer_for(app, student))
    assert response.status_code == 400 and message in response.json["message"]
    assert _count_sessions(app) == 0


def test_final_before_any_part_is_409(app, client, queued):
    with app.app_context():
        student = make_student()
    response = upload(client, {"upload_id": "take-0006", "final": 1}, headers=bearer_for(app, student))
    assert response.status_code == 409 and "No recording" in response.json["message"]
    assert _count_sessions(app) == 0


@pytest.mark.parametrize("case", ["silent", "short", "corrupt"])
def test_unusable_recordings_fail_with_a_child_friendly_reason(app, client, eager, short_wav, case):
    audio = {"silent": silent_wav(4.0), "short": short_wav,
             "corrupt": b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 40}[case]
    with app.app_context():
        student = make_student()
    response = upload(client, {}, audio, "take.webm" if case == "corrupt" else "take.wav",
                      headers=bearer_for(app, student))
    assert response.status_code == 422, response.json
    assert response.json["status"] == "failed" and response.json["message"]
    assert "Traceback" not in response.json["message"]
    with app.app_context():
        session = db.session.get(PracticeSession, response.json["session_id"])
        assert session.status == "failed" and session.error_message == response.json["message"]
        assert has_audio(session)  # kept: the student can hear what went wrong


def test_teacher_gets_403_and_anonymous_401(app, client, speech_wav):
    with app.app_context():
        teacher = make_teacher()
    assert upload(client, {}, speech_wav, headers=bearer_for(app, teacher)).status_code == 403
    assert upload(client, {}, speech_wav, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert _count_sessions(app) == 0
