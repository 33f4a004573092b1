"""The student's sessions over JSON: list, detail, the recorder's calls, status and retry; refusals."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import PracticeSession, Topic, utcnow
from app.practice.analysis_runner import mark_failed, run_session_analysis

from ..conftest import bearer_for, login_as
from ..factories import make_classroom, make_student, make_teacher, stored_bytes
from .conftest import split, upload


def _start(client, headers, **payload):
    return client.post("/api/me/sessions", json=payload, headers=headers)


def _topic(classroom, title="Holidays"):
    topic = Topic(classroom=classroom, title=title, prompt="Talk about a holiday.", prep_seconds=5, speaking_seconds=20)
    db.session.add(topic)
    db.session.commit()
    return topic


def test_recorder_opens_a_session_in_progress_for_a_topic(app, client):
    with app.app_context():
        student = make_student()
        topic_id = _topic(make_classroom(students=(student,))).id
    response = _start(client, bearer_for(app, student), topic_id=topic_id)
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "in_progress" and body["upload_id"] and body["prompt"]["title"] == "Holidays"
    with app.app_context():
        session = db.session.get(PracticeSession, body["id"])
        assert session.started_at and session.last_seen_at and session.planned_seconds == 25


def test_recorder_opens_a_session_for_a_bank_prompt(app, client):
    with app.app_context():
        student = make_student()
    response = _start(client, bearer_for(app, student), prompt_key="superpower")
    assert response.status_code == 201 and response.json["prompt"]["title"] == "One superpower"
    assert response.json["class_id"] is None


@pytest.mark.parametrize("payload, status", [
    ({"topic_id": "1"}, 400), ({"topic_id": True}, 400), ({"topic_id": 10**12}, 400),
    ({"topic_id": 424242}, 404), ({"prompt_key": "no-such-prompt"}, 404),
])
def test_start_refuses_bad_or_foreign_topics(app, client, payload, status):
    with app.app_context():
        student = make_student()
    response = _start(client, bearer_for(app, student), **payload)
    assert response.status_code == status and response.json["message"]
    with app.app_context():
        assert db.session.scalar(select(PracticeSession)) is None


def test_heartbeat_abandon_and_coming_back(app, client):
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    session_id = _start(client, headers).json["id"]
    with app.app_context():
        session = db.session.get(PracticeSession, session_id)
        session.last_seen_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    assert client.post(f"/api/me/sessions/{session_id}/heartbeat", headers=headers).json["status"] == "in_progress"
    with app.app_context():
        assert db.session.get(PracticeSession, session_id).last_seen_at > utcnow() - timedelta(minutes=1)
    assert client.post(f"/api/me/sessions/{session_id}/abandon", headers=headers).json["status"] == "abandoned"
    # A page restored from the back/forward cache sends a heartbeat: the recording is live again.
    assert client.post(f"/api/me/sessions/{session_id}/heartbeat", headers=headers).json["status"] == "in_progress"


def test_abandon_by_beacon_carries_csrf_in_the_form(app, browser):
    with app.app_context():
        student = make_student()
    login_as(browser.client, student)
    browser.get("/student/")
    session_id = browser.send_json("POST", "/api/me/sessions", {}).json["id"]
    refused = browser.client.post(f"/api/me/sessions/{session_id}/abandon", data={})
    beacon = browser.client.post(f"/api/me/sessions/{session_id}/abandon", data={"csrf_token": browser.csrf_token})
    assert refused.status_code == 400 and beacon.status_code == 200 and beacon.json["status"] == "abandoned"


def test_record_again_discards_the_old_take(app, client, queued, speech_wav):
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    started = _start(client, headers).json
    old = started["upload_id"]
    upload(client, {"upload_id": old, "part": 0, "final": 0}, b"RIFF0000WAVEold take", "blob", headers)
    retake = client.post(f"/api/me/sessions/{started['id']}/retake", headers=headers)
    assert retake.status_code == 200 and retake.json["upload_id"] != old
    new = retake.json["upload_id"]
    for n, piece in enumerate(split(speech_wav, 2)):
        upload(client, {"upload_id": new, "part": n, "final": 0}, piece, "blob", headers)
    final = upload(client, {"upload_id": new, "final": 1}, headers=headers)
    assert final.status_code == 202 and final.json["session_id"] == started["id"]
    with app.app_context():
        assert stored_bytes(db.session.get(PracticeSession, started["id"])) == speech_wav
    assert client.post(f"/api/me/sessions/{started['id']}/retake", headers=headers).status_code == 409


def test_status_shows_the_queue_then_the_report(app, client, queued, speech_wav):
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    first = upload(client, {}, speech_wav, headers=headers).json["session_id"]
    second = upload(client, {}, speech_wav, headers=headers).json["session_id"]
    status = client.get(f"/api/me/sessions/{second}/status", headers=headers).json
    assert status["status"] == "submitted" and status["queue_position"] == 2 and "number 2" in status["stage"]
    with app.app_context():
        run_session_analysis(first)  # what the worker does
    status = client.get(f"/api/me/sessions/{first}/status", headers=headers).json
    assert status["status"] == "done" and status["finished"] and status["queue_position"] is None
    assert client.get(f"/api/me/sessions/{second}/status", headers=headers).json["queue_position"] == 1


def test_failed_analysis_can_be_retried_without_recording_again(app, client, queued, speech_wav):
    with app.app_context():
        student = make_student()
    headers = bearer_for(app, student)
    session_id = upload(client, {}, speech_wav, headers=headers).json["session_id"]
    with app.app_context():
        mark_failed(db.session.get(PracticeSession, session_id), "The speech service was busy. Please try again.")
    status = client.get(f"/api/me/sessions/{session_id}/status", headers=headers).json
    assert status["error"]["message"].startswith("The speech service was busy") and status["can_retry"]
    app.extensions["celery"].conf.task_always_eager = True
    retried = client.post(f"/api/me/sessions/{session_id}/retry", headers=headers)
    assert retried.status_code == 202 and retried.json["status"] == "done"
    detail = client.get(f"/api/me/sessions/{session_id}", headers=headers).json
    assert "beach" in detail["transcript"].lower() and detail["error"] is None
    assert client.post(f"/api/me/sessions/{session_id}/retry", headers=headers).status_code == 409


def test_list_and_detail_show_only_my_sessions(app, client, queued, speech_wav):
    with app.app_context():
        me, other = make_student(), make_student()
    mine = bearer_for(app, me)
    my_id = upload(client, {"prompt_key": "hero"}, speech_wav, headers=mine).json["session_id"]
    upload(client, {}, speech_wav, headers=bearer_for(app, other))
    listed = client.get("/api/me/sessions", headers=mine).json["sessions"]
    assert [s["id"] for s in listed] == [my_id]
    assert listed[0]["topic"]["title"] == "Someone I admire" and set(listed[0]["scores"]) >= {"overall", "fluency"}
    assert client.get("/api/me/sessions?kind=pronunciation", headers=mine).json["sessions"] == []
    assert client.get("/api/me/sessions?kind=poetry", headers=mine).status_code == 400
    detail = client.get(f"/api/me/sessions/{my_id}", headers=mine).json
    assert detail["status"] == "submitted" and detail["audio_url"] and detail["report"] is None


def test_topics_lists_open_topics_or_suggests_a_prompt(app, client):
    with app.app_context():
        student, loner = make_student(), make_student()
        classroom = make_classroom(students=(student,))
        _topic(classroom, "Older")
        _topic(classroom, "Newer")
    topics = client.get("/api/me/topics", headers=bearer_for(app, student)).json
    assert [t["title"] for t in topics["topics"]] == ["Newer", "Older"] and topics["suggested_prompt"] is None
    alone = client.get("/api/me/topics", headers=bearer_for(app, loner)).json
    assert alone["topics"] == [] and alone["suggested_prompt"]["title"]


OWNED = [
    ("GET", "/api/me/sessions/{id}"), ("GET", "/api/me/sessions/{id}/status"),
    ("POST", "/api/me/sessions/{id}/heartbeat"), ("POST", "/api/me/sessions/{id}/abandon"),
    ("POST", "/api/me/sessions/{id}/retake"), ("POST", "/api/me/sessions/{id}/retry"),
    ("GET", "/student/sessions/{id}"), ("GET", "/student/sessions/{id}/report-body"),
    ("GET", "/student/sessions/{id}/audio"), ("POST", "/student/sessions/{id}/retry"),
    ("POST", "/student/sessions/{id}/send"),
]


@pytest.mark.parametrize("method, url", OWNED)
def test_another_students_session_is_404(app, client, queued, speech_wav, method, url):
    with app.app_context():
        owner, intruder = make_student(), make_student()
    session_id = upload(client, {}, speech_wav, headers=bearer_for(app, owner)).json["session_id"]
    response = client.open(url.format(id=session_id), method=method, headers=bearer_for(app, intruder))
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(PracticeSession, session_id).status == "submitted"


@pytest.mark.parametrize("method, url", OWNED + [
    ("GET", "/api/me/sessions"), ("POST", "/api/me/sessions"), ("GET", "/api/me/topics"),
    ("GET", "/student/practice"), ("GET", "/student/"),
])
def test_teachers_get_403_on_student_endpoints(app, client, method, url):
    with app.app_context():
        teacher = make_teacher()
    response = client.open(url.format(id=1), method=method, headers=bearer_for(app, teacher))
    assert response.status_code == 403
