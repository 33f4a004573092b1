"""A batch file's student is only proposed from its name: the student sees it once the teacher confirms.

The student's routes are taken from the URL map (every student route with a session id), so a new one is
covered without touching this file; the lists are the dashboard, My Progress, the sessions API with its
figures, and the data export.
"""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, PracticeSession
from tests.conftest import BrowserClient, bearer_for, login_as
from tests.factories import make_classroom, make_student, make_teacher, speech_wav

from .helpers import GOOD_SPEECH, start, upload


@pytest.fixture
def world(app):
    with app.app_context():
        teacher = make_teacher(name="Ms Rivera")
        maya = make_student(name="Maya Lee", email="maya.lee@example.com")
        sam = make_student(name="Sam Okafor", email="sam.okafor@example.com")
        outsider = make_student(name="Zoe Outside")
        classroom = make_classroom(teacher, students=(maya, sam))
        return {"teacher": teacher, "maya": maya, "sam": sam, "outsider": outsider, "class_id": classroom.id}


@pytest.fixture
def batch(app, world):
    """A finished batch of the class: one file matched to Maya by its name, one matched to nobody."""
    teacher = BrowserClient(app.test_client())
    login_as(teacher.client, world["teacher"])
    speech = speech_wav(GOOD_SPEECH)
    response = start(teacher, {"kind": "impromptu", "class_id": str(world["class_id"]),
                               "files": [upload(speech, "maya_lee_week3.wav"), upload(speech, "new_pupil.wav")]})
    assert response.status_code == 202
    job_id = response.get_json()["job_id"]
    items = teacher.get(f"/api/analyze-batch/status/{job_id}").get_json()["items"]
    assert [(i["filename"], i["status"], (i["student"] or {}).get("id"), i["match_confirmed"]) for i in items] == [
        ("maya_lee_week3.wav", "done", world["maya"].id, False), ("new_pupil.wav", "done", None, False)]
    return teacher, job_id, items[0]["id"], items[1]["id"]


def _student_session_routes(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "session_id" in rule.arguments and getattr(view, "required_role", None) == "student":
            for method in sorted(rule.methods - {"HEAD", "OPTIONS", "DELETE"}):
                if "delete" not in rule.endpoint:
                    yield rule.endpoint, method


def what_the_student_sees(app, student, session_id) -> dict:
    """Where *session_id* shows for *student*: each session route's status, and whether each list holds it."""
    client, headers = app.test_client(), bearer_for(app, student)
    adapter = app.url_map.bind("localhost")
    routes = list(_student_session_routes(app))
    assert len(routes) >= 8, routes
    statuses = set()
    for endpoint, method in routes:
        url = adapter.build(endpoint, {"session_id": session_id}, method=method)
        with client.open(url, method=method, headers=headers, json={}) as response:
            assert response.status_code != 500, url
            statuses.add(response.status_code)
    mine = client.get("/api/me/sessions", headers=headers).get_json()
    export = zipfile.ZipFile(io.BytesIO(client.get("/api/me/export", headers=headers).data))
    exported = json.loads(export.read("podium.json"))
    login_as(client, student)
    link = adapter.build("student.report", {"session_id": session_id}).encode()
    return {
        "routes": statuses == {404},
        "api": session_id in [s["id"] for s in mine["sessions"]],
        "figures": mine["figures"]["sessions"] > 0,
        "export": session_id in [s["id"] for s in exported["sessions"]]
        and any(n.startswith(f"audio/session-{session_id}-") for n in export.namelist()),
        "dashboard": link in client.get(adapter.build("student.dashboard")).data,
        "progress": link in client.get(adapter.build("student.progress")).data,
    }


def confirmations(app) -> list[tuple]:
    """The audit trail's record of each confirmed match: who confirmed which file for whom."""
    with app.app_context():
        return [(e.actor_id, e.target_id, e.detail["student_id"]) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "match_confirmed").order_by(AuditEvent.id))]


HIDDEN = {"routes": True, "api": False, "figures": False, "export": False, "dashboard": False, "progress": False}
SHOWN = {"routes": False, "api": True, "figures": True, "export": True, "dashboard": True, "progress": True}


def in_the_class_figures(teacher, world, session_id) -> bool:
    """Whether the teacher's page of Maya in the class lists the recording (what the class's figures count)."""
    page = teacher.get(f"/teacher/classes/{world['class_id']}/students/{world['maya'].id}")
    assert page.status_code == 200
    return f"/teacher/classes/{world['class_id']}/sessions/{session_id}".encode() in page.data


def test_a_proposed_match_is_hidden_from_the_student_until_the_teacher_confirms_it(app, world, batch):
    teacher, job_id, item, _ = batch
    assert what_the_student_sees(app, world["maya"], item) == HIDDEN
    assert not in_the_class_figures(teacher, world, item)  # nor counted for her until confirmed

    page = teacher.get(f"/batch?job={job_id}")
    assert b"Proposed: not confirmed" in page.data and b"Confirm all proposed matches" in page.data
    response = teacher.post_form(f"/batch/{job_id}/items/{item}/confirm",
                                 {f"item-{item}-student_id": str(world["maya"].id)})
    assert response.status_code == 302
    assert what_the_student_sees(app, world["maya"], item) == SHOWN
    assert in_the_class_figures(teacher, world, item)
    items = teacher.get(f"/api/analyze-batch/status/{job_id}").get_json()["items"]
    assert [i["match_confirmed"] for i in items] == [True, False]


def test_a_form_without_its_csrf_token_confirms_nothing(app, world, batch):
    teacher, job_id, item, _ = batch
    response = teacher.client.post(f"/batch/{job_id}/items/{item}/confirm",
                                   data={f"item-{item}-student_id": str(world["maya"].id)})
    assert response.status_code == 303  # the app's answer to a stale form: back to the page, nothing saved
    with app.app_context():
        assert db.session.get(PracticeSession, item).match_confirmed_at is None


def test_changing_the_student_moves_the_recording_to_them(app, world, batch):
    teacher, job_id, item, _ = batch
    response = teacher.send_json("POST", f"/api/analyze-batch/{job_id}/items/{item}/confirm",
                                 {"student_id": world["sam"].id})
    assert response.status_code == 200
    assert (response.get_json()["student"]["id"], response.get_json()["match_confirmed"]) == (world["sam"].id, True)
    assert what_the_student_sees(app, world["sam"], item) == SHOWN
    assert what_the_student_sees(app, world["maya"], item) == HIDDEN
    assert confirmations(app) == [(world["teacher"].id, item, world["sam"].id)]


def test_the_page_form_attaches_an_unmatched_file_and_confirm_all_confirms_the_rest(app, world, batch):
    teacher, job_id, item, unmatched = batch
    teacher.get(f"/batch?job={job_id}")
    response = teacher.post_form(f"/batch/{job_id}/items/{unmatched}/confirm",
                                 {f"item-{unmatched}-student_id": str(world["sam"].id)})
    assert response.status_code == 302
    assert what_the_student_sees(app, world["sam"], unmatched) == SHOWN
    assert what_the_student_sees(app, world["maya"], item) == HIDDEN
    assert teacher.post_form(f"/batch/{job_id}/confirm", {}).status_code == 302
    assert what_the_student_sees(app, world["maya"], item) == SHOWN


def test_confirm_all_over_json(app, world, batch):
    teacher, job_id, item, _ = batch
    response = teacher.send_json("POST", f"/api/analyze-batch/{job_id}/confirm")
    assert response.status_code == 200 and response.get_json()["confirmed"] == 1
    assert what_the_student_sees(app, world["maya"], item) == SHOWN
    assert confirmations(app) == [(world["teacher"].id, item, world["maya"].id)]


# One batch for all the cases of a test: each batch is two real analyses, and a refused case changes nothing.
WRONG_STUDENTS = [
    ({"student_id": "maya"}, "must be a student's id"),
    ({"student_id": True}, "must be a student's id"),
    ("outsider", "not in this batch's class"),
    ({}, "Choose the student"),
]


def test_a_wrong_student_is_refused_with_a_clear_error_and_nothing_changes(app, world, batch):
    teacher, job_id, item, unmatched = batch
    for payload, words in WRONG_STUDENTS:
        if payload == "outsider":
            payload = {"student_id": world["outsider"].id}
        target = unmatched if payload == {} else item
        response = teacher.send_json("POST", f"/api/analyze-batch/{job_id}/items/{target}/confirm", payload)
        assert response.status_code == 400 and words in response.get_json()["message"], payload
        with app.app_context():
            session = db.session.get(PracticeSession, target)
            assert session.match_confirmed_at is None
            assert session.student_id == (None if target == unmatched else world["maya"].id)


def test_only_the_batch_owner_confirms(app, world, batch):
    _, job_id, item, _ = batch
    for caller, expected in (("other teacher", 404), ("student", 403)):
        with app.app_context():
            user = make_teacher() if caller == "other teacher" else db.session.merge(world["maya"])
        client = app.test_client()
        headers = bearer_for(app, user)
        for url, body in [(f"/api/analyze-batch/{job_id}/items/{item}/confirm", {"student_id": world["maya"].id}),
                          (f"/api/analyze-batch/{job_id}/confirm", {})]:
            assert client.post(url, headers=headers, json=body).status_code == expected, (caller, url)
        other = BrowserClient(app.test_client())
        login_as(other.client, user)
        other.get("/", follow_redirects=True)
        for url in (f"/batch/{job_id}/items/{item}/confirm", f"/batch/{job_id}/confirm"):
            assert other.post_form(url, {f"item-{item}-student_id": str(world["maya"].id)}).status_code == expected
        with app.app_context():
            assert db.session.get(PracticeSession, item).match_confirmed_at is None
    assert what_the_student_sees(app, world["maya"], item) == HIDDEN
