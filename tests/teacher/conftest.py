"""Helpers for the teacher-portal tests: a logged-in browser-like client and practice sessions."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import PracticeSession, User, utcnow
from tests.conftest import BrowserClient, login_as


def signed_in(app, user: User | None) -> BrowserClient:
    """A client logged in as *user* (anonymous for None) that already holds a CSRF token."""
    client = BrowserClient(app.test_client())
    if user is not None:
        login_as(client.client, user)
    client.get("/teacher/" if user is not None else "/login")
    assert client.csrf_token, "the page should carry a CSRF token"
    return client


def make_session(
    student: User,
    *,
    classroom=None,
    status: str = "done",
    score: float | None = 70.0,
    kind: str = "impromptu",
    started_at: datetime | None = None,
    planned_seconds: int = 90,
    **fields,
) -> PracticeSession:
    started = started_at or utcnow() - timedelta(hours=1)
    session = PracticeSession(
        student_id=student.id,
        class_id=classroom.id if classroom is not None else None,
        kind=kind,
        status=status,
        prompt_title=fields.pop("prompt_title", "My weekend"),
        prompt_text=fields.pop("prompt_text", "Talk about your weekend."),
        planned_seconds=planned_seconds,
        started_at=started,
        last_seen_at=fields.pop("last_seen_at", started),
        finished_at=started + timedelta(minutes=2) if status == "done" else None,
        **fields,
    )
    if status == "done":
        if kind == "pronunciation":
            session.pron_score = score
        else:
            session.overall_score = score
        session.transcript = fields.get("transcript", "I went to the park.")
    db.session.add(session)
    db.session.commit()
    return session


@pytest.fixture
def signin(app):
    return lambda user=None: signed_in(app, user)
