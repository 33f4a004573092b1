"""Nothing of school B reaches anyone of school A: every route that takes an id, called with B's real ids
by A's teacher, admin and student, answers 404. Generated from the URL map, so a new route is covered."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import BatchJob, Invite, PracticeSession, Topic, utcnow

from ..conftest import bearer_for
from ..factories import make_admin, make_classroom, make_school, make_student, make_teacher

ROLE_OF_CALLER = {"teacher": ("teacher", "any"), "admin": ("admin", "any"), "student": ("student", "any")}


@pytest.fixture
def school_b(app_ctx):
    school = make_school("School B")
    teacher = make_teacher(school=school)
    make_teacher(school=school)
    student = make_student(username="bstudent", school=school)
    classroom = make_classroom(teacher, "B class", students=(student,))
    topic = Topic(classroom=classroom, title="B topic", prompt="Talk.")
    job = BatchJob(owner_id=teacher.id, kind="impromptu", class_id=classroom.id)
    db.session.add_all([topic, job])
    db.session.flush()
    session = PracticeSession(student_id=student.id, class_id=classroom.id, topic_id=topic.id, status="done",
                              batch_job_id=job.id, overall_score=70.0, transcript="Hello.")
    invite = Invite(school_id=school.id, email="new@b.example", role="teacher", token_hash="b" * 64,
                    expires_at=utcnow() + timedelta(days=7))
    db.session.add_all([session, invite])
    db.session.commit()
    return {"class_id": classroom.id, "topic_id": topic.id, "student_id": student.id, "session_id": session.id,
            "teacher_id": teacher.id, "invite_id": invite.id, "job_id": job.id}


def _urls_with_ids(app, roles, ids):
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if getattr(app.view_functions[rule.endpoint], "required_role", None) not in roles or not rule.arguments:
            continue
        if not set(rule.arguments) <= set(ids):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, adapter.build(rule.endpoint, {name: ids[name] for name in rule.arguments}, method=method)


@pytest.mark.parametrize("caller", ["teacher", "admin", "student"])
def test_school_a_gets_404_for_every_object_of_school_b(app, client, school_b, caller):
    school_a = make_school("School A")
    user = {"teacher": make_teacher, "admin": make_admin, "student": make_student}[caller](school=school_a)
    if caller == "teacher":
        make_classroom(user, "A class")
    headers = bearer_for(app, user)
    urls = list(_urls_with_ids(app, ROLE_OF_CALLER[caller], school_b))
    assert len(urls) >= {"teacher": 20, "admin": 5, "student": 3}[caller], urls
    for method, url in urls:
        response = client.open(url, method=method, headers=headers, json={})
        assert response.status_code == 404, (caller, method, url, response.status_code)


def test_admin_sees_only_their_own_schools_teachers_and_invites(app, client, school_b):
    admin = make_admin(school=make_school("School A"))
    mine = make_teacher(school=admin.school)
    headers = bearer_for(app, admin)
    school = client.get("/api/school", headers=headers).get_json()
    assert [t["id"] for t in school["teachers"]] == [mine.id]
    assert client.get("/api/school/invites", headers=headers).get_json()["invites"] == []
    classes = client.get("/api/classes", headers=headers).get_json()["classes"]
    assert classes == []
