"""Deletion and export on request (issue 17 items 2 and 3): rows and stored objects really go, and the
zip holds the account, classes, sessions, reports, comments, overrides and each recording's audio."""
from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import func, select

from app.extensions import db
from app.models import ApiToken, ClassSummaryCache, Enrolment, PracticeSession, SessionComment, User
from app.storage import keys, storage

from ..conftest import bearer_for, login_as
from ..factories import make_admin, make_classroom, make_school, make_session, make_student, make_teacher

AUDIO = b"RIFF\x24\x00\x00\x00WAVEfmt the recording"
REPORT = {"overall_score": 70, "summary": "Clear and calm."}


def _objects(session_id: int) -> list[str]:
    store = storage()
    return [o.key for prefix in (keys.session_prefix(session_id), keys.parts_prefix(session_id))
            for o in store.list(prefix)]


def _with_everything(student, classroom, teacher):
    session = make_session(student, classroom=classroom, audio=AUDIO, audio_mime="audio/wav", report=REPORT,
                           override_score=75, override_reason="Good effort", override_by_id=teacher.id)
    storage().write(keys.session_file(session.id, "playback.webm"), b"webm copy")
    storage().write(keys.part_key(session.id, "take-1", 0), b"part")
    db.session.add(SessionComment(session_id=session.id, author_id=teacher.id, body="Well done, Amira!"))
    db.session.add(ClassSummaryCache(class_id=classroom.id, period_key="v1:week", payload="{}"))
    db.session.commit()
    return session


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_student_deletes_a_recording_and_everything_made_from_it_goes(app, client, app_ctx):
    student, teacher = make_student(), make_teacher()
    classroom = make_classroom(teacher, "7E", students=(student,))
    session = _with_everything(student, classroom, teacher)
    kept = make_session(student, classroom=classroom, audio=AUDIO)
    session_id, class_id = session.id, classroom.id
    assert len(_objects(session_id)) == 3
    headers = bearer_for(app, student)
    assert client.delete(f"/api/me/sessions/{session_id}", headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(PracticeSession, session_id) is None
    assert _count(SessionComment, SessionComment.session_id == session_id) == 0
    assert _count(ClassSummaryCache, ClassSummaryCache.class_id == class_id) == 0  # the class report recounts
    assert _objects(session_id) == []
    assert _objects(kept.id) != [] and db.session.get(PracticeSession, kept.id) is not None
    assert client.delete(f"/api/me/sessions/{session_id}", headers=headers).status_code == 404


def test_nobody_else_deletes_a_students_recording(app, client, app_ctx):
    student, other = make_student(), make_student()
    session = make_session(student, audio=AUDIO)
    assert client.delete(f"/api/me/sessions/{session.id}", headers=bearer_for(app, other)).status_code == 404
    assert _objects(session.id) != []


def test_a_recording_being_analysed_waits(app, client, app_ctx):
    student = make_student()
    session = make_session(student, status="submitted", audio=AUDIO)
    response = client.delete(f"/api/me/sessions/{session.id}", headers=bearer_for(app, student))
    assert response.status_code == 409 and response.get_json()["error"] == "busy"
    assert _objects(session.id) != []


def test_the_delete_button_on_the_report_page(app, browser):
    with app.app_context():
        student = make_student()
        session_id = make_session(student, audio=AUDIO, report=REPORT).id
    login_as(browser, student)
    page = browser.get(f"/student/sessions/{session_id}").get_data(as_text=True)
    assert f'action="/student/sessions/{session_id}/delete"' in page and "data-confirm" in page
    response = browser.post_form(f"/student/sessions/{session_id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/student/progress")
    with app.app_context():
        assert db.session.get(PracticeSession, session_id) is None and _objects(session_id) == []


def test_a_teacher_deletes_a_session_of_their_class_but_not_free_practice(app, client, app_ctx):
    student, teacher = make_student(), make_teacher()
    classroom = make_classroom(teacher, "7F", students=(student,))
    for_class = make_session(student, classroom=classroom, audio=AUDIO)
    free = make_session(student, audio=AUDIO)
    elsewhere = make_session(student, classroom=make_classroom(make_teacher(), "Other", students=(student,)))
    headers = bearer_for(app, teacher)
    for session in (free, elsewhere):
        assert client.delete(f"/api/classes/{classroom.id}/sessions/{session.id}", headers=headers).status_code == 404
    assert client.delete(f"/api/classes/{classroom.id}/sessions/{for_class.id}", headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(PracticeSession, for_class.id) is None and _objects(for_class.id) == []
    assert db.session.get(PracticeSession, free.id) is not None


def test_an_admin_deletes_a_students_whole_account(app, client, app_ctx):
    admin = make_admin()
    teacher = make_teacher(school=admin.school)
    student = make_student(name="Amira Kowalski")
    classroom = make_classroom(teacher, "7G", students=(student,))
    sessions = [_with_everything(student, classroom, teacher), make_session(student, audio=AUDIO)]
    bearer_for(app, student)  # a token to be revoked with the account
    student_id, ids = student.id, [s.id for s in sessions]
    other_admin_headers = bearer_for(app, make_admin(school=make_school("Elsewhere")))
    assert client.delete(f"/api/school/students/{student_id}", headers=other_admin_headers).status_code == 404
    assert client.delete(f"/api/school/students/{student_id}", headers=bearer_for(app, admin)).status_code == 204
    db.session.expire_all()
    assert db.session.get(User, student_id) is None
    assert _count(PracticeSession, PracticeSession.student_id == student_id) == 0
    assert _count(Enrolment, Enrolment.student_id == student_id) == 0
    assert _count(ApiToken, ApiToken.user_id == student_id) == 0
    assert _count(SessionComment, SessionComment.session_id.in_(ids)) == 0
    assert _count(ClassSummaryCache, ClassSummaryCache.class_id == classroom.id) == 0
    assert all(_objects(i) == [] for i in ids)


def test_a_student_exports_their_data_as_a_zip(app, client, app_ctx):
    student, teacher = make_student(name="Amira Kowalski"), make_teacher()
    classroom = make_classroom(teacher, "7H", students=(student,))
    session = _with_everything(student, classroom, teacher)
    no_audio = make_session(student, report=REPORT)
    make_session(make_student(), audio=b"someone else's voice")
    response = client.get("/api/me/export", headers=bearer_for(app, student))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("podium.json"))
    assert data["account"]["name"] == "Amira Kowalski"
    assert [c["name"] for c in data["classes"]] == ["7H"]
    entries = {s["id"]: s for s in data["sessions"]}
    assert set(entries) == {session.id, no_audio.id}
    mine = entries[session.id]
    assert mine["report"] == REPORT and mine["transcript"] == session.transcript
    assert mine["override"] == {"score": 75, "reason": "Good effort"}
    assert [c["text"] for c in mine["comments"]] == ["Well done, Amira!"]
    assert archive.read(mine["audio"]) == AUDIO
    assert entries[no_audio.id]["audio"] is None
    assert sorted(n for n in archive.namelist() if n.startswith("audio/")) == [mine["audio"]]


def test_the_teacher_and_the_admin_export_a_student_of_theirs_and_no_one_else(app, client, app_ctx):
    admin = make_admin()
    teacher = make_teacher(school=admin.school)
    student, stranger = make_student(), make_student()
    classroom = make_classroom(teacher, "7I", students=(student,))
    make_session(student, audio=AUDIO)
    teacher_headers, admin_headers = bearer_for(app, teacher), bearer_for(app, admin)
    assert client.get(f"/api/classes/{classroom.id}/students/{student.id}/export",
                      headers=teacher_headers).status_code == 200
    assert client.get(f"/api/classes/{classroom.id}/students/{stranger.id}/export",
                      headers=teacher_headers).status_code == 404
    assert client.get(f"/api/school/students/{student.id}/export", headers=admin_headers).status_code == 200
    assert client.get(f"/api/school/students/{stranger.id}/export", headers=admin_headers).status_code == 404
