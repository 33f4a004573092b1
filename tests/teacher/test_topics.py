"""Topics and passages: the form and the JSON API share one set of rules, bad input is refused
with field errors and saves nothing, and students see the class's open topic."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.classes.queries import open_topics_for_student
from app.extensions import db
from app.models import Topic, User, utcnow
from tests.factories import make_classroom, make_student, make_teacher

from .conftest import signed_in

VALID = {"kind": "impromptu", "title": "My hero", "prompt": "Talk about someone you admire.", "prep_seconds": "30",
         "speaking_seconds": "60"}
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def setup(app):
    with app.app_context():
        teacher, student = make_teacher(), make_student()
        classroom = make_classroom(teacher, "7B", students=(student,))
        return teacher, student, classroom.id


def _topic_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Topic.id)))


def test_teacher_creates_topic_and_students_of_that_class_see_it(app, setup):
    teacher, student, class_id = setup
    client = signed_in(app, teacher)
    response = client.post_form(f"/teacher/classes/{class_id}/topics/new", VALID)
    assert response.status_code == 302
    with app.app_context():
        topics = open_topics_for_student(db.session.get(User, student.id))
        assert [t.title for t in topics] == ["My hero"]
        assert (topics[0].prep_seconds, topics[0].speaking_seconds, topics[0].class_id) == (30, 60, class_id)
        outsider = make_student()
        assert open_topics_for_student(outsider) == []
    assert "My hero" in client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)


def test_edit_deactivate_and_reactivate(app, setup):
    teacher, student, class_id = setup
    client = signed_in(app, teacher)
    client.post_form(f"/teacher/classes/{class_id}/topics/new", VALID)
    with app.app_context():
        topic_id = db.session.scalar(select(Topic.id))
    edited = client.post_form(f"/teacher/classes/{class_id}/topics/{topic_id}/edit",
                              VALID | {"title": "My best friend"})
    assert edited.status_code == 302
    client.post_form(f"/teacher/classes/{class_id}/topics/{topic_id}/active", {"active": "0"})
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        assert (topic.title, topic.is_active) == ("My best friend", False)
        assert open_topics_for_student(db.session.get(User, student.id)) == []
    client.post_form(f"/teacher/classes/{class_id}/topics/{topic_id}/active", {"active": "1"})
    with app.app_context():
        assert [t.id for t in open_topics_for_student(db.session.get(User, student.id))] == [topic_id]


def test_assign_topic_to_another_of_my_classes(app, setup):
    teacher, _student, class_id = setup
    with app.app_context():
        second = make_classroom(db.session.get(User, teacher.id), "7C").id
        foreign = make_classroom(make_teacher(), "Not mine").id
    client = signed_in(app, teacher)
    client.post_form(f"/teacher/classes/{class_id}/topics/new", VALID)
    with app.app_context():
        topic_id = db.session.scalar(select(Topic.id))
    copy = f"/teacher/classes/{class_id}/topics/{topic_id}/copy"
    assert client.post_form(copy, {"target_class_id": str(foreign)}).status_code == 404
    assert client.post_form(copy, {"target_class_id": str(second)}).status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(select(Topic.class_id))) == sorted([class_id, second])


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"title": ""}, "title", "Give the topic a title."),
        ({"title": "   "}, "title", "Give the topic a title."),
        ({"title": "x" * 10_000}, "title", "Keep the title under 200 characters."),
        ({"prompt": ""}, "prompt", "Write the prompt students will see."),
        ({"prompt": "y" * 10_000}, "prompt", "Keep the prompt under 2,000 characters."),
        ({"prep_seconds": "-5"}, "prep_seconds", "Between 0 and 600 seconds."),
        ({"speaking_seconds": "lots"}, "speaking_seconds", "Not a valid integer value."),
        ({"opens_at": "2026-05-10T10:00", "closes_at": "2026-05-01T10:00"}, "closes_at",
         "The closing time must be after the opening time."),
        ({"opens_at": "next tuesday"}, "opens_at", "Not a valid datetime value."),
        ({"kind": "karaoke"}, "kind", "Not a valid choice."),
    ],
)
def test_bad_topic_input_gives_field_errors_and_saves_nothing(app, setup, change, field, message):
    teacher, _student, class_id = setup
    client = signed_in(app, teacher)
    page = client.post_form(f"/teacher/classes/{class_id}/topics/new", VALID | change)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'id="{field}-errors"' in html and message in html
    api = client.send_json("POST", f"/api/classes/{class_id}/topics", VALID | change)
    assert api.status_code == 400
    body = api.get_json()
    assert body["error"] == "invalid" and any(message in m for m in body["errors"][field])
    assert _topic_count(app) == 0


def test_html_in_topic_is_escaped_everywhere(app, setup):
    teacher, student, class_id = setup
    client = signed_in(app, teacher)
    client.post_form(f"/teacher/classes/{class_id}/topics/new", VALID | {"title": XSS, "prompt": XSS})
    html = client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    with app.app_context():
        topic_id = db.session.scalar(select(Topic.id))
    edit = client.get(f"/teacher/classes/{class_id}/topics/{topic_id}/edit").get_data(as_text=True)
    assert "<script>alert" not in edit and "&lt;script&gt;" in edit


def test_api_creates_and_lists_topics_with_utc_dates(app, setup):
    teacher, _student, class_id = setup
    client = signed_in(app, teacher)
    opens = (utcnow() - timedelta(days=1)).replace(microsecond=0)
    created = client.send_json(
        "POST",
        f"/api/classes/{class_id}/topics",
        {"kind": "pronunciation", "title": "The fox", "prompt": "The quick brown fox jumps over the lazy dog.",
         "prep_seconds": 10, "speaking_seconds": 45, "opens_at": opens.astimezone().isoformat(), "closes_at": None},
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["kind"] == "pronunciation" and body["class_id"] == class_id
    assert body["opens_at"].startswith(opens.strftime("%Y-%m-%dT%H:%M:%S")) and body["opens_at"].endswith("+00:00")
    listed = client.get(f"/api/classes/{class_id}/topics").get_json()
    assert [t["title"] for t in listed["topics"]] == ["The fox"]
    assert client.send_json("POST", f"/api/classes/{class_id}/topics", ["not", "an", "object"]).status_code == 400
    assert client.send_json("POST", f"/api/classes/{class_id}/topics", VALID | {"title": {"x": 1}}).status_code == 400


def test_library_passage_can_be_picked_for_a_pronunciation_topic(app, setup):
    from app.analysis.passages import PASSAGES

    teacher, student, class_id = setup
    passage = PASSAGES[0]
    client = signed_in(app, teacher)
    page = client.get(f"/teacher/classes/{class_id}/topics/new?kind=pronunciation").get_data(as_text=True)
    assert f'value="{passage.id}"' in page and passage.title in page
    picked = client.post_form(f"/teacher/classes/{class_id}/topics/new",
                              {"kind": "impromptu", "passage": passage.id, "title": "", "prompt": "",
                               "prep_seconds": "0", "speaking_seconds": "90"})
    assert picked.status_code == 302
    with app.app_context():
        topic = db.session.scalar(select(Topic))
        assert (topic.kind, topic.title, topic.prompt) == ("pronunciation", passage.title, passage.text)
        readings = open_topics_for_student(db.session.get(User, student.id), kind="pronunciation")
        assert [t.id for t in readings] == [topic.id]
    api = client.send_json("POST", f"/api/classes/{class_id}/topics",
                           {"passage": passage.id, "prep_seconds": 0, "speaking_seconds": 90})
    assert api.status_code == 201 and api.get_json()["prompt"] == passage.text
