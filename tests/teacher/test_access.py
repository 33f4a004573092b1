"""Who may call each teacher page and endpoint: anonymous → login, student → 403,
another teacher → 404 (nothing about the class leaks), the class's teacher → success."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import Topic, User
from tests.factories import make_classroom, make_session, make_student, make_teacher

from .conftest import signed_in

GOOD_TOPIC = {"title": "My hero", "prompt": "Talk about someone you admire.", "prep_seconds": "30",
              "speaking_seconds": "60", "kind": "impromptu"}
GOOD_CURRICULUM = {"grammar_focus": ["past_simple"], "vocabulary": ["brave"], "rubric": []}

# (method, url template, form or JSON body, owner's expected status)
ENDPOINTS = [
    ("GET", "/teacher/classes/{c}", None, 200),
    ("GET", "/teacher/classes/{c}?sort=-latest", None, 200),
    ("GET", "/teacher/classes/{c}/settings", None, 200),
    ("POST", "/teacher/classes/{c}/settings",
     {"name": "Renamed", "inactive_after_days": "5", "pronunciation_strictness": "standard"}, 302),
    ("POST", "/teacher/classes/{c}/join-code", {}, 302),
    ("POST", "/teacher/classes/{c}/archive", {}, 302),
    ("POST", "/teacher/classes/{c}/unarchive", {}, 302),
    ("POST", "/teacher/classes/{c}/students/{s}/remove", {}, 302),
    ("GET", "/teacher/classes/{c}/topics/new", None, 200),
    ("POST", "/teacher/classes/{c}/topics/new", GOOD_TOPIC, 302),
    ("GET", "/teacher/classes/{c}/topics/{t}/edit", None, 200),
    ("POST", "/teacher/classes/{c}/topics/{t}/edit", GOOD_TOPIC, 302),
    ("POST", "/teacher/classes/{c}/topics/{t}/active", {"active": "0"}, 302),
    ("POST", "/teacher/classes/{c}/topics/{t}/copy", {"target_class_id": "{c2}"}, 302),
    ("GET", "/teacher/classes/{c}/curriculum", None, 200),
    ("POST", "/teacher/classes/{c}/curriculum", {"grammar_focus": "past_simple", "vocabulary": "brave"}, 302),
    ("GET", "/teacher/classes/{c}/students/{s}", None, 200),
    ("GET", "/teacher/classes/{c}/sessions/{x}", None, 200),
    ("POST", "/teacher/classes/{c}/sessions/{x}/comments", {"body": "Well done"}, 302),
    ("POST", "/teacher/classes/{c}/sessions/{x}/override", {"score": "80", "reason": "Great ideas"}, 302),
    ("POST", "/teacher/classes/{c}/sessions/{x}/override/clear", {}, 302),
    ("GET", "/api/classes/{c}/topics", None, 200),
    ("POST", "/api/classes/{c}/topics", GOOD_TOPIC | {"prep_seconds": 30, "speaking_seconds": 60}, 201),
    ("GET", "/api/classes/{c}/curriculum", None, 200),
    ("PUT", "/api/classes/{c}/curriculum", GOOD_CURRICULUM, 200),
    ("GET", "/api/classes/{c}/live", None, 200),
    ("GET", "/api/classes/{c}/roster", None, 200),
]


@pytest.fixture
def world(app):
    with app.app_context():
        owner, other, student = make_teacher(), make_teacher(), make_student()
        classroom = make_classroom(owner, "7B", students=(student,))
        second = make_classroom(owner, "7C")
        # The other teacher has a class of their own, so their 404s are about ownership, not emptiness.
        make_classroom(other, "Other class", students=(make_student(),))
        topic = Topic(classroom=classroom, title="Pets", prompt="Talk about a pet.")
        db.session.add(topic)
        db.session.commit()
        session = make_session(student, classroom=classroom)
        return SimpleNamespace(
            owner=owner, other=other, student=student,
            ids={"c": classroom.id, "c2": second.id, "s": student.id, "t": topic.id, "x": session.id},
        )


def _call(client, method, template, body, ids):
    url = template.format(**ids)
    if url.startswith("/api/"):
        return client.send_json(method, url, body) if method != "GET" else client.get(url)
    if method == "GET":
        return client.get(url)
    return client.post_form(url, {k: v.format(**ids) for k, v in (body or {}).items()})


@pytest.mark.parametrize("method, template, body, owner_status", ENDPOINTS,
                         ids=[f"{m} {u}" for m, u, _, _ in ENDPOINTS])
@pytest.mark.parametrize("caller", ["anonymous", "student", "other_teacher", "owner"])
def test_each_caller_gets_the_right_answer(app, world, caller, method, template, body, owner_status):
    user = {"anonymous": None, "student": world.student, "other_teacher": world.other, "owner": world.owner}[caller]
    client = signed_in(app, user)
    response = _call(client, method, template, body, world.ids)
    if caller == "anonymous":
        expected = 401 if template.startswith("/api/") else 302
        assert response.status_code == expected
        if expected == 302:
            assert "/login" in response.headers["Location"]
    elif caller == "student":
        assert response.status_code == 403
    elif caller == "other_teacher":
        assert response.status_code == 404
    else:
        assert response.status_code == owner_status, response.data[:500]


@pytest.mark.parametrize(
    "template",
    [
        "/teacher/classes/{c}/students/{foreign_student}",
        "/teacher/classes/{c}/sessions/{foreign_session}",
        "/teacher/classes/{c}/topics/{foreign_topic}/edit",
    ],
)
def test_owner_cannot_reach_another_teachers_student_session_or_topic_through_own_class(app, world, template):
    with app.app_context():
        foreign_teacher, foreign_student = make_teacher(), make_student()
        foreign_class = make_classroom(foreign_teacher, "Elsewhere", students=(foreign_student,))
        topic = Topic(classroom=foreign_class, title="Theirs", prompt="Not yours.")
        db.session.add(topic)
        db.session.commit()
        ids = world.ids | {
            "foreign_student": foreign_student.id,
            "foreign_session": make_session(foreign_student, classroom=foreign_class).id,
            "foreign_topic": topic.id,
        }
    client = signed_in(app, world.owner)
    assert client.get(template.format(**ids)).status_code == 404


def test_session_made_for_another_teachers_class_stays_private(app, world):
    """A student in two teachers' classes: each teacher reviews only their own class's work."""
    with app.app_context():
        student = db.session.get(User, world.ids["s"])
        elsewhere = make_classroom(db.session.get(User, world.other.id), "Their class", students=(student,))
        theirs = make_session(student, classroom=elsewhere).id
    owner = signed_in(app, world.owner)
    assert owner.get(f"/teacher/classes/{world.ids['c']}/sessions/{theirs}").status_code == 404
    assert owner.get(f"/teacher/classes/{world.ids['c']}/sessions/{world.ids['x']}").status_code == 200
    other = signed_in(app, world.other)
    assert other.get(f"/teacher/classes/{elsewhere.id}/sessions/{theirs}").status_code == 200
    assert other.get(f"/teacher/classes/{elsewhere.id}/sessions/{world.ids['x']}").status_code == 404
