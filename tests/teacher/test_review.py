"""Reviewing a student: the read-only progress page, comments and score overrides,
and what the student then sees next to the automatic score."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import PracticeSession, SessionComment
from tests.conftest import login_as
from tests.factories import make_classroom, make_session, make_student, make_teacher

from .conftest import signed_in

XSS = '<script>alert("x")</script>'


@pytest.fixture
def review(app):
    with app.app_context():
        teacher, student = make_teacher(), make_student(name="Ada Lovelace")
        classroom = make_classroom(teacher, "7B", students=(student,))
        done = make_session(student, classroom=classroom, score=62, prompt_title="My weekend")
        running = make_session(student, classroom=classroom, status="in_progress", score=None)
        base = f"/teacher/classes/{classroom.id}/sessions"
        return teacher, student, classroom.id, done.id, running.id, base


def _session(app, session_id) -> PracticeSession:
    with app.app_context():
        session = db.session.get(PracticeSession, session_id)
        db.session.expunge(session)
        return session


def test_progress_page_is_read_only_and_links_to_teacher_reports(app, review):
    teacher, student, class_id, done_id, _running, _base = review
    html = signed_in(app, teacher).get(f"/teacher/classes/{class_id}/students/{student.id}").get_data(as_text=True)
    assert "Ada Lovelace" in html and 'data-readonly="true"' in html
    assert f"/teacher/classes/{class_id}/sessions/{done_id}" in html
    assert f"/student/sessions/{done_id}" not in html
    assert "progress-charts.js" in html and 'id="progress-series"' in html


def test_comment_is_saved_escaped_and_shown_to_the_student(app, review):
    teacher, student, _class_id, done_id, _running, base = review
    client = signed_in(app, teacher)
    response = client.post_form(f"{base}/{done_id}/comments", {"body": f"Lovely pace! {XSS}"})
    assert response.status_code == 302
    teacher_page = client.get(f"{base}/{done_id}").get_data(as_text=True)
    assert "Lovely pace!" in teacher_page and XSS not in teacher_page and "&lt;script&gt;" in teacher_page
    student_client = signed_in(app, None)
    login_as(student_client.client, student)
    student_page = student_client.get(f"/student/sessions/{done_id}").get_data(as_text=True)
    assert "Lovely pace!" in student_page and XSS not in student_page


@pytest.mark.parametrize(
    "body, message",
    [("", "Write a comment first."), ("   ", "Write a comment first."),
     ("x" * 10_000, "Keep the comment under 2,000 characters.")],
)
def test_bad_comment_is_refused_and_nothing_saved(app, review, body, message):
    teacher, _student, _class_id, done_id, _running, base = review
    response = signed_in(app, teacher).post_form(f"{base}/{done_id}/comments", {"body": body})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(SessionComment).count() == 0


def test_override_keeps_the_automatic_score_and_the_student_sees_both(app, review):
    teacher, student, _class_id, done_id, _running, base = review
    client = signed_in(app, teacher)
    response = client.post_form(f"{base}/{done_id}/override",
                                {"score": "85", "reason": "Strong ideas; the mic was noisy."})
    assert response.status_code == 302
    session = _session(app, done_id)
    assert (session.override_score, session.overall_score, session.headline_score) == (85, 62, 85)
    assert session.override_by_id == teacher.id and session.override_at is not None
    student_client = signed_in(app, None)
    login_as(student_client.client, student)
    page = student_client.get(f"/student/sessions/{done_id}").get_data(as_text=True)
    assert "85" in page and "62" in page and "Strong ideas; the mic was noisy." in page
    client.post_form(f"{base}/{done_id}/override/clear", {})
    session = _session(app, done_id)
    assert (session.override_score, session.override_reason, session.headline_score) == (None, None, 62)


@pytest.mark.parametrize(
    "form, field, message",
    [
        ({"score": "101", "reason": "r"}, "score", "The score must be between 0 and 100."),
        ({"score": "-1", "reason": "r"}, "score", "The score must be between 0 and 100."),
        ({"score": "nan", "reason": "r"}, "score", "The score must be between 0 and 100."),
        ({"score": "eighty", "reason": "r"}, "score", "Not a valid float value."),
        ({"score": "", "reason": "r"}, "score", "Give a score from 0 to 100."),
        ({"score": "80", "reason": ""}, "reason", "Say why you changed the score."),
        ({"score": "80", "reason": "x" * 5000}, "reason", "Keep the reason under 2,000 characters."),
    ],
)
def test_bad_override_is_refused_with_a_field_error(app, review, form, field, message):
    teacher, _student, _class_id, done_id, _running, base = review
    response = signed_in(app, teacher).post_form(f"{base}/{done_id}/override", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and f'id="{field}-errors"' in html and message in html
    assert _session(app, done_id).override_score is None


def test_unfinished_session_cannot_be_overridden(app, review):
    teacher, _student, _class_id, _done, running_id, base = review
    client = signed_in(app, teacher)
    assert "once the analysis has finished" in client.get(f"{base}/{running_id}").get_data(as_text=True)
    response = client.post_form(f"{base}/{running_id}/override", {"score": "50", "reason": "r"})
    assert response.status_code == 400 and "Only an analysed session" in response.get_data(as_text=True)
    assert _session(app, running_id).override_score is None
