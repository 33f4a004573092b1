"""Reading assignments: a passage's due day, "From your teacher" on the student's home page, who has
and has not read it, and forms that show only their own kind's fields."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app.classes.assignments import assignments_for_student, completion_for_class
from app.dates import calendar_of
from app.extensions import db
from app.models import SessionKind, SessionStatus, Topic, User
from tests.factories import make_classroom, make_school, make_session, make_student, make_teacher, make_topic
from tests.teacher.conftest import signed_in

READING = SessionKind.PRONUNCIATION.value
PASSAGE = "The sun rose over the quiet hills and the birds began to sing."


@pytest.fixture
def reading_class(app):
    with app.app_context():
        teacher = make_teacher()
        maya, leo = make_student(name="Maya Patel"), make_student(name="Leo Novak")
        classroom = make_classroom(teacher, "7B", students=(maya, leo))
        topic = make_topic(classroom, kind=READING, title="Morning", prompt=PASSAGE, due_on=date(2026, 12, 5))
        return teacher, maya, leo, classroom.id, topic.id


def test_teacher_sets_a_due_day_and_the_reading_form_has_no_speaking_times(app, reading_class):
    teacher, _maya, _leo, class_id, _topic_id = reading_class
    client = signed_in(app, teacher)
    page = client.get(f"/teacher/classes/{class_id}/topics/new?kind=pronunciation").get_data(as_text=True)
    assert 'name="due_on"' in page and 'name="passage"' in page
    assert 'name="speaking_seconds"' not in page and 'name="prep_seconds"' not in page
    saved = client.post_form(f"/teacher/classes/{class_id}/topics/new?kind=pronunciation",
                             {"kind": READING, "title": "Rain", "prompt": "It rained all day.", "due_on": "2026-12-10"})
    assert saved.status_code == 302
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.title == "Rain"))
        assert (topic.kind, topic.due_on) == (READING, date(2026, 12, 10))
    edit = client.get(f"/teacher/classes/{class_id}/topics/{topic.id}/edit").get_data(as_text=True)
    assert 'value="2026-12-10"' in edit and 'name="speaking_seconds"' not in edit


def test_a_speaking_topic_form_has_no_passage_picker_and_no_due_day(app, reading_class):
    teacher, _maya, _leo, class_id, _topic_id = reading_class
    page = signed_in(app, teacher).get(f"/teacher/classes/{class_id}/topics/new").get_data(as_text=True)
    assert 'name="speaking_seconds"' in page and 'name="prep_seconds"' in page
    assert 'name="passage"' not in page and 'name="due_on"' not in page


def test_a_bad_due_day_is_a_field_error_and_saves_nothing(app, reading_class):
    teacher, _maya, _leo, class_id, _topic_id = reading_class
    client = signed_in(app, teacher)
    page = client.post_form(f"/teacher/classes/{class_id}/topics/new?kind=pronunciation",
                            {"kind": READING, "title": "Rain", "prompt": "It rained.", "due_on": "soon"})
    assert page.status_code == 200 and 'id="due_on-errors"' in page.get_data(as_text=True)
    api = client.send_json("POST", f"/api/classes/{class_id}/topics",
                           {"kind": READING, "title": "Rain", "prompt": "It rained.", "due_on": "soon"})
    assert api.status_code == 400 and "due_on" in api.get_json()["errors"]
    ok = client.send_json("POST", f"/api/classes/{class_id}/topics",
                          {"kind": READING, "title": "Rain", "prompt": "It rained.", "due_on": "2026-12-11"})
    assert ok.status_code == 201 and ok.get_json()["due_on"] == "2026-12-11"
    with app.app_context():
        assert db.session.scalar(select(Topic.id).where(Topic.title == "Rain")) == ok.get_json()["id"]


def test_the_class_page_says_who_has_and_has_not_read_the_passage(app, reading_class):
    teacher, maya, leo, class_id, topic_id = reading_class
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        make_session(db.session.get(User, maya.id), kind=READING, classroom=topic.classroom, topic=topic)
        # A reading still being scored, or one that failed, is not read yet.
        make_session(db.session.get(User, leo.id), kind=READING, classroom=topic.classroom, topic=topic,
                     status=SessionStatus.FAILED.value, score=None)
        completion = completion_for_class(class_id)[topic_id]
        assert [s.name for s in completion.read] == ["Maya Patel"]
        assert [s.name for s in completion.not_read] == ["Leo Novak"]
    html = signed_in(app, teacher).get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert "Read by 1 of 2" in html and "Not read yet: Leo Novak" in html
    assert "due 5 Dec 2026" in html and "s to speak" not in html.split("Morning", 1)[1].split("</li>", 1)[0]


def test_the_student_home_page_shows_the_reading_with_its_due_day_then_as_read(app, reading_class):
    _teacher, maya, _leo, _class_id, topic_id = reading_class
    client = signed_in(app, maya)
    home = client.get("/student/").get_data(as_text=True)
    section = home.split('id="from-teacher"', 1)[1].split("</section>", 1)[0]
    assert "From your teacher" in home and "Morning" in section and "5 Dec 2026" in section
    assert f"/student/pronunciation?topic={topic_id}" in section and "Read ✓" not in section
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        make_session(db.session.get(User, maya.id), kind=READING, classroom=topic.classroom, topic=topic)
    section = client.get("/student/").get_data(as_text=True).split('id="from-teacher"', 1)[1]
    assert "Read ✓" in section.split("</section>", 1)[0]


def test_unread_readings_come_first_soonest_due_first_and_overdue_is_the_schools_day(app, reading_class):
    _teacher, maya, _leo, class_id, topic_id = reading_class
    with app.app_context():
        student = db.session.get(User, maya.id)
        classroom = db.session.get(Topic, topic_id).classroom
        later = make_topic(classroom, kind=READING, title="Later", prompt=PASSAGE, due_on=date(2026, 12, 20))
        undated = make_topic(classroom, kind=READING, title="Whenever", prompt=PASSAGE)
        done = make_topic(classroom, kind=READING, title="Done", prompt=PASSAGE, due_on=date(2026, 12, 1))
        make_session(student, kind=READING, classroom=classroom, topic=done)
        rows = assignments_for_student(student, now=datetime(2026, 12, 6, 9, tzinfo=timezone.utc))
        assert [a.topic.title for a in rows] == ["Morning", "Later", "Whenever", "Done"]
        assert [a.is_overdue for a in rows] == [True, False, False, False]
        assert [a.topic.id for a in rows][:3] == [topic_id, later.id, undated.id]
        # Overdue is the school's day: 23:30 UTC on the 4th is the 5th in Auckland (due today, not late),
        # 11:30 UTC on the 5th is already the 6th there (late).
        student.school_id = make_school(time_zone="Pacific/Auckland").id
        late_on_the_4th = datetime(2026, 12, 4, 23, 30, tzinfo=timezone.utc)
        assert calendar_of(student).today(late_on_the_4th) == date(2026, 12, 5)
        assert not assignments_for_student(student, now=late_on_the_4th)[0].is_overdue
        assert assignments_for_student(student, now=datetime(2026, 12, 5, 11, 30, tzinfo=timezone.utc))[0].is_overdue


def test_another_class_reading_is_not_offered_or_counted(app, reading_class):
    _teacher, maya, _leo, class_id, topic_id = reading_class
    with app.app_context():
        other = make_classroom(make_teacher(), "Elsewhere")
        make_topic(other, kind=READING, title="Not yours", prompt=PASSAGE)
        assert [a.topic.id for a in assignments_for_student(db.session.get(User, maya.id))] == [topic_id]
        assert set(completion_for_class(class_id)) == {topic_id}
