"""The audit trail (issue 17 item 7): each action leaves one event naming who did it to what, in the school
that answers for it; only that school's admin reads them, on the page and over the API."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import Action
from app.extensions import db
from app.models import AuditEvent, Classroom, User
from tests.conftest import BrowserClient, bearer_for, login_as
from tests.factories import make_admin, make_classroom, make_school, make_session, make_student, make_teacher


def signed_in(app, user) -> BrowserClient:
    client = BrowserClient(app.test_client())
    login_as(client.client, user)
    client.get({"teacher": "/teacher/", "admin": "/school/"}[user.role])
    assert client.csrf_token
    return client


@pytest.fixture
def school(app):
    """School A with an admin, two teachers, a class (whose student has no school of their own) and a
    finished session; and school B with its own admin."""
    with app.app_context():
        school_a = make_school("School A")
        admin, teacher = make_admin(school=school_a), make_teacher(school=school_a)
        other_teacher = make_teacher(school=school_a)
        student = make_student(username="ada")
        classroom = make_classroom(teacher, "7B", students=(student,))
        made = make_student(username="bo", school=school_a)
        make_classroom(teacher, "7C", students=(made,))
        session = make_session(student, classroom=classroom, score=62)
        admin_b = make_admin(school=make_school("School B"))
        return {"school": school_a.id, "admin": admin, "teacher": teacher, "other_teacher": other_teacher,
                "student": student, "made": made, "class": classroom.id, "session": session.id, "admin_b": admin_b}


def _events(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.school_id, e.actor_id, e.action, e.target_type, e.target_id, e.detail) for e in rows]


def test_override_comment_and_clearing_are_recorded_with_the_teacher(app, school):
    teacher, base = school["teacher"], f"/teacher/classes/{school['class']}/sessions/{school['session']}"
    client = signed_in(app, teacher)
    assert client.post_form(f"{base}/override", {"score": "80", "reason": "Great ideas"}).status_code == 302
    assert client.post_form(f"{base}/override/clear", {}).status_code == 302
    assert client.post_form(f"{base}/comments", {"body": "Lovely pace, Ada"}).status_code == 302
    events = _events(app)
    sid, tid = school["school"], teacher.id
    assert events[:2] == [(sid, tid, "score_override", "session", school["session"], {"score": 80.0}),
                          (sid, tid, "override_cleared", "session", school["session"], {"score": 80.0})]
    assert len(events) == 3 and events[2][:4] == (sid, tid, "comment", "comment")
    assert events[2][5] == {"session_id": school["session"]}
    assert "Lovely" not in repr(events) and "Great ideas" not in repr(events)


def test_deleting_a_session_is_recorded_by_the_teacher_and_by_the_student(app, school):
    with app.app_context():
        own_id = make_session(school["student"], classroom=db.session.get(Classroom, school["class"])).id
    teacher_client = signed_in(app, school["teacher"])
    url = f"/teacher/classes/{school['class']}/sessions/{school['session']}/delete"
    assert teacher_client.post_form(url, {}).status_code == 302
    response = app.test_client().delete(f"/api/me/sessions/{own_id}", headers=bearer_for(app, school["student"]))
    assert response.status_code == 204
    assert [e[:5] for e in _events(app)] == [
        (school["school"], school["teacher"].id, "session_deleted", "session", school["session"]),
        (school["school"], school["student"].id, "session_deleted", "session", own_id),
    ]


def test_deleting_an_account_keeps_one_event_that_outlives_the_account(app, school):
    admin, student = school["admin"], school["student"]
    response = app.test_client().delete(f"/api/school/students/{student.id}", headers=bearer_for(app, admin))
    assert response.status_code == 204
    [event] = _events(app)
    assert event[:5] == (school["school"], admin.id, "account_deleted", "student", student.id)
    assert event[5] == {"objects_removed": 0}
    html = signed_in(app, admin).get("/school/audit").get_data(as_text=True)
    assert f"student #{student.id}" in html and student.name not in html


def test_every_export_of_a_students_data_is_recorded_with_who_took_it(app, school):
    student, teacher, admin = school["student"], school["teacher"], school["admin"]
    client = app.test_client()
    for who, url in ((student, "/api/me/export"),
                     (teacher, f"/api/classes/{school['class']}/students/{student.id}/export")):
        response = client.get(url, headers=bearer_for(app, who))
        assert response.status_code == 200 and response.mimetype == "application/zip"
    made = school["made"]
    assert client.get(f"/api/school/students/{made.id}/export", headers=bearer_for(app, admin)).status_code == 200
    assert [e[:5] for e in _events(app)] == [
        (school["school"], student.id, "data_exported", "student", student.id),
        (school["school"], teacher.id, "data_exported", "student", student.id),
        (school["school"], admin.id, "data_exported", "student", made.id),
    ]


def test_password_resets_by_teacher_and_admin_are_recorded(app, school):
    teacher, made, other = school["teacher"], school["made"], school["other_teacher"]
    with app.app_context():
        made_class = [c.id for c in db.session.get(User, teacher.id).classes_taught if c.name == "7C"][0]
    assert signed_in(app, teacher).post_form(
        f"/teacher/classes/{made_class}/students/{made.id}/password", {}).status_code == 200
    assert signed_in(app, school["admin"]).post_form(f"/school/teachers/{other.id}/password", {}).status_code == 200
    assert [e[:5] for e in _events(app)] == [
        (school["school"], teacher.id, "password_reset", "student", made.id),
        (school["school"], school["admin"].id, "password_reset", "teacher", other.id),
    ]


def test_deactivating_and_reactivating_are_recorded(app, school):
    admin, teacher, other = school["admin"], school["teacher"], school["other_teacher"]
    headers = bearer_for(app, admin)
    client = app.test_client()
    response = client.post(f"/api/school/teachers/{teacher.id}/deactivate", json={"transfer_to": other.id},
                           headers=headers)
    assert response.status_code == 200
    assert client.post(f"/api/school/teachers/{teacher.id}/reactivate", headers=headers).status_code == 200
    assert client.post(f"/api/school/teachers/{teacher.id}/reactivate", headers=headers).status_code == 200
    assert _events(app) == [
        (school["school"], admin.id, "deactivated", "teacher", teacher.id,
         {"classes_moved": 2, "transfer_to": other.id}),
        (school["school"], admin.id, "reactivated", "teacher", teacher.id, {}),
    ]


def test_the_command_line_is_recorded_with_no_actor(app, school):
    from app.school.services import issue_password_link

    with app.test_request_context():
        issue_password_link(db.session.get(User, school["teacher"].id))
        db.session.commit()
    assert [e[1:3] for e in _events(app)] == [(None, "password_reset")]


def _reset_other_teacher(app, school) -> None:
    assert signed_in(app, school["admin"]).post_form(
        f"/school/teachers/{school['other_teacher'].id}/password", {}).status_code == 200


def test_admin_reads_the_trail_newest_first_and_filtered(app, school):
    base = f"/teacher/classes/{school['class']}/sessions/{school['session']}"
    signed_in(app, school["teacher"]).post_form(f"{base}/override", {"score": "80", "reason": "Great"})
    _reset_other_teacher(app, school)
    client = app.test_client()
    body = client.get("/api/school/audit", headers=bearer_for(app, school["admin"])).get_json()
    assert [e["action"] for e in body["events"]] == ["password_reset", "score_override"]
    assert body["total"] == 2 and body["page"] == 1 and body["pages"] == 1
    assert body["events"][1]["actor"] == {"id": school["teacher"].id, "name": school["teacher"].name,
                                          "role": "teacher"}
    filtered = client.get("/api/school/audit?action=score_override&per_page=1",
                          headers=bearer_for(app, school["admin"])).get_json()
    assert [e["action"] for e in filtered["events"]] == ["score_override"] and filtered["total"] == 1
    assert client.get("/api/school/audit?action=nonsense", headers=bearer_for(app, school["admin"])).status_code == 400
    page = signed_in(app, school["admin"])
    html = page.get("/school/audit").get_data(as_text=True)
    assert html.index('data-action="password_reset"') < html.index('data-action="score_override"')
    assert school["teacher"].name in html
    assert f"{school['other_teacher'].name} <span class=\"muted\">(teacher)</span>" in html
    only = page.get("/school/audit?action=password_reset").get_data(as_text=True)
    assert 'data-action="password_reset"' in only and 'data-action="score_override"' not in only
    assert 'href="/school/audit"' in page.get("/school/").get_data(as_text=True)


def test_another_schools_admin_sees_none_of_it(app, school):
    _reset_other_teacher(app, school)
    assert len(_events(app)) == 1
    admin_b = school["admin_b"]
    body = app.test_client().get("/api/school/audit", headers=bearer_for(app, admin_b)).get_json()
    assert body["events"] == [] and body["total"] == 0
    html = signed_in(app, admin_b).get("/school/audit").get_data(as_text=True)
    assert "data-event-id" not in html and school["other_teacher"].name not in html


@pytest.mark.parametrize("who", ["teacher", "student"])
def test_teachers_and_students_are_refused(app, school, who):
    _reset_other_teacher(app, school)
    user = school[who]
    assert app.test_client().get("/api/school/audit", headers=bearer_for(app, user)).status_code == 403
    client = app.test_client()
    login_as(client, user)
    assert client.get("/school/audit").status_code == 403


def test_every_action_has_a_label():
    from app.audit.actions import LABELS

    assert set(LABELS) == {a.value for a in Action}
