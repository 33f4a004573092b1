"""The class page's reading fluency table, and grade-level norms that a class turns on."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Classroom, SessionKind, SessionStatus, utcnow
from app.practice.analysis_runner import store_report
from app.teacher.reading_fluency import norms_for, reading_rows
from tests.factories import make_classroom, make_session, make_student, make_teacher

from .conftest import signed_in

READING = SessionKind.PRONUNCIATION.value
NORMS_LABEL = "norms for first-language readers"


@pytest.fixture
def reading_class(app):
    with app.app_context():
        teacher = make_teacher()
        maya, leo = make_student(name="Maya Patel"), make_student(name="Leo Novak")
        classroom = make_classroom(teacher, "7B", students=(maya, leo))
        now = utcnow()
        for days, wcpm, rate in ((9, 80.0, 90.0), (5, 90.0, 92.0), (1, 104.0, 96.5)):
            make_session(maya, kind=READING, classroom=classroom, started_at=now - timedelta(days=days),
                         words_correct_per_minute=wcpm, accuracy_rate=rate)
        # Neither a failed reading nor a speech nor another teacher's class counts.
        make_session(maya, kind=READING, classroom=classroom, status=SessionStatus.FAILED.value, score=None,
                     words_correct_per_minute=10.0)
        make_session(maya, classroom=classroom, words_per_minute=150.0)
        elsewhere = make_classroom(make_teacher(), "Elsewhere", students=(maya,))
        make_session(maya, kind=READING, classroom=elsewhere, words_correct_per_minute=5.0, accuracy_rate=5.0)
        return teacher, maya, leo, classroom.id


def test_each_student_has_their_latest_wcpm_accuracy_and_trend(app, reading_class):
    _teacher, maya, leo, class_id = reading_class
    with app.app_context():
        rows = {r.student.id: r for r in reading_rows(db.session.get(Classroom, class_id))}
        mine = rows[maya.id]
        assert (mine.readings, mine.latest_wcpm, mine.latest_accuracy) == (3, 104.0, 96.5)
        assert (mine.previous_average_wcpm, mine.trend, mine.trend_change) == (85.0, "up", 19.0)
        assert (rows[leo.id].readings, rows[leo.id].latest_wcpm, rows[leo.id].trend) == (0, None, "none")


def test_the_class_page_shows_the_table_and_no_norms_until_the_teacher_turns_them_on(app, reading_class):
    teacher, _maya, _leo, class_id = reading_class
    client = signed_in(app, teacher)
    html = client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    table = html.split('id="reading-fluency"', 1)[1].split("</section>", 1)[0]
    assert "Maya Patel" in table and ">104<" in table and "97 %" in table and "Improving" in table  # 96.5 %, half up
    assert "(+19)" in table  # 104 against the mean of 80 and 90, signed
    assert NORMS_LABEL not in html
    settings = {"name": "7B", "inactive_after_days": "7", "pronunciation_strictness": "gentle",
                "reading_norms_grade": "3"}
    assert client.post_form(f"/teacher/classes/{class_id}/settings", settings).status_code == 302
    html = client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert f"Grade 3 {NORMS_LABEL}" in html and "fall 83 WCPM · winter 97 WCPM · spring 112 WCPM" in html
    assert "Hasbrouck, J., &amp; Tindal, G. (2017)" in html
    assert client.post_form(f"/teacher/classes/{class_id}/settings",
                            settings | {"reading_norms_grade": ""}).status_code == 302
    assert NORMS_LABEL not in client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)


@pytest.mark.parametrize("grade", ["12", "0", "three"])
def test_a_grade_the_published_table_does_not_cover_is_refused(app, reading_class, grade):
    teacher, _maya, _leo, class_id = reading_class
    page = signed_in(app, teacher).post_form(
        f"/teacher/classes/{class_id}/settings",
        {"name": "7B", "inactive_after_days": "7", "pronunciation_strictness": "gentle", "reading_norms_grade": grade})
    assert page.status_code == 200 and 'id="reading_norms_grade-errors"' in page.get_data(as_text=True)
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        assert classroom.reading_norms_grade is None and norms_for(classroom) is None


def test_a_new_class_has_its_norms_off(app):
    with app.app_context():
        assert make_classroom(make_teacher()).reading_norms_grade is None


def test_a_scored_reading_copies_its_wcpm_and_accuracy_rate_into_columns(app):
    with app.app_context():
        student = make_student()
        session = make_session(student, kind=READING, status=SessionStatus.SCORING.value, score=None)
        store_report(session, {"PronScore": 81.0, "AccuracyScore": 85.0, "WordsCorrectPerMinute": 97.5,
                               "AccuracyRate": 93.8, "Words": []})
        db.session.commit()
        saved = db.session.get(type(session), session.id)
        assert (saved.words_correct_per_minute, saved.accuracy_rate) == (97.5, 93.8)
