"""A topic takes recordings only while it is open, switched on and in a class that is not archived: every
kind of upload (a whole file, a recorder session, a reading) is refused otherwise, and nothing is saved."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import PracticeSession, SessionKind, utcnow

from ..conftest import bearer_for, login_as
from ..factories import make_classroom, make_student, make_topic
from .conftest import upload

CLOSED_STATES = {
    "inactive": lambda topic: setattr(topic, "is_active", False),
    "closed": lambda topic: setattr(topic, "closes_at", utcnow() - timedelta(days=1)),
    "not yet open": lambda topic: setattr(topic, "opens_at", utcnow() + timedelta(days=1)),
    "archived class": lambda topic: setattr(topic.classroom, "archived_at", utcnow()),
}


def _topic(app, state: str | None, kind: str = SessionKind.IMPROMPTU.value):
    with app.app_context():
        student = make_student()
        topic = make_topic(make_classroom(students=(student,)), kind=kind, prompt="We call it bear.")
        if state is not None:
            CLOSED_STATES[state](topic)
            db.session.commit()
        return student, topic.id


def _sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PracticeSession))


@pytest.mark.parametrize("state", sorted(CLOSED_STATES))
def test_a_whole_recording_for_a_topic_that_is_not_open_is_refused(app, client, queued, speech_wav, state):
    student, topic_id = _topic(app, state)
    response = upload(client, {"topic_id": topic_id}, speech_wav, headers=bearer_for(app, student))
    assert response.status_code == 409 and response.json["error"] == "topic_closed"
    assert "isn't open" in response.json["message"] and _sessions(app) == 0


@pytest.mark.parametrize("state", sorted(CLOSED_STATES))
def test_a_recorder_session_for_a_topic_that_is_not_open_is_refused(app, client, state):
    student, topic_id = _topic(app, state)
    response = client.post("/api/me/sessions", json={"topic_id": topic_id}, headers=bearer_for(app, student))
    assert response.status_code == 409 and response.json["error"] == "topic_closed" and _sessions(app) == 0


@pytest.mark.parametrize("state", sorted(CLOSED_STATES))
def test_a_reading_for_a_passage_that_is_not_open_is_refused(app, client, queued, speech_wav, state):
    student, topic_id = _topic(app, state, kind=SessionKind.PRONUNCIATION.value)
    response = upload(client, {"topic_id": topic_id}, speech_wav, headers=bearer_for(app, student))
    assert response.status_code == 400 and "isn't open" in response.json["message"] and _sessions(app) == 0


@pytest.mark.parametrize("state", sorted(CLOSED_STATES))
def test_the_practice_page_of_a_topic_that_is_not_open_says_so(app, client, state):
    student, topic_id = _topic(app, state)
    login_as(client, student)
    response = client.get(f"/student/practice?topic={topic_id}")
    assert response.status_code == 409 and b"isn&#39;t open" in response.data


def test_an_open_topic_still_takes_a_recording(app, client, queued, speech_wav):
    student, topic_id = _topic(app, None)
    response = upload(client, {"topic_id": topic_id}, speech_wav, headers=bearer_for(app, student))
    assert response.status_code in (201, 202) and _sessions(app) == 1
