"""A teacher's private grammar notes ("students do not see this") never reach the student.

The report is made by the real builder from the class's curriculum, so the notes are in the stored
report exactly as an analysis leaves them; every way a student reads a session is then searched.
"""
import io
import json
import zipfile

from app.analysis.engines.base import Transcript, Word
from app.analysis.feedback.writers import get_writer
from app.analysis.report import build_report
from app.extensions import db
from app.models import TEACHER_ONLY_REPORT_FIELDS, PracticeSession
from app.practice.analysis_runner import speaking_task_for, store_report
from app.teacher.services import save_curriculum

from ..conftest import login_as
from ..factories import make_classroom, make_session, make_student, make_teacher

NOTES = "Private: Sam needs help with the past simple, talk to his parents."
SPOKEN = "Last weekend I went to the park and I played football with my friends."


def _reported_session(app, student, classroom) -> int:
    save_curriculum(classroom, grammar_focus=["past_simple"], grammar_notes=NOTES, vocabulary=["park"], rubric=[])
    words, t = [], 0.0
    for token in SPOKEN.split():
        words.append(Word(token.strip(".").lower(), round(t, 2), round(t + 0.3, 2), 0.96, token))
        t += 0.4
    session = PracticeSession(student=student, classroom=classroom, prompt_title="My weekend",
                              prompt_text="Talk about your weekend.", status="scoring", planned_seconds=30)
    db.session.add(session)
    db.session.flush()
    report = build_report(Transcript(SPOKEN, tuple(words), t + 0.5, "test"), speaking_task_for(session),
                          get_writer(app.config))
    store_report(session, report)
    db.session.commit()
    assert session.report["curriculum"]["grammar_notes"] == NOTES  # stored for the teacher
    return session.id


def test_private_grammar_notes_are_in_no_student_view(app, browser):
    with app.app_context():
        teacher, student = make_teacher(), make_student()
        classroom = make_classroom(teacher, students=(student,))
        session_id = _reported_session(app, student, classroom)
        reading = make_session(student, kind="pronunciation", classroom=classroom,
                               report={"RecognizedText": "a cat", "curriculum": {"grammar_notes": NOTES}}).id
    login_as(browser.client, student)
    seen = {
        "report page": browser.get(f"/student/sessions/{session_id}").get_data(as_text=True),
        "report body": browser.get(f"/student/sessions/{session_id}/report-body").get_data(as_text=True),
        "session API": json.dumps(browser.get(f"/api/me/sessions/{session_id}").get_json()),
        "sessions API": json.dumps(browser.get("/api/me/sessions").get_json()),
        "reading page": browser.get(f"/student/pronunciation/{reading}").get_data(as_text=True),
        "reading API": json.dumps(browser.get(f"/api/me/sessions/{reading}").get_json()),
        "data export": _exported_json(browser.get("/api/me/export")),
    }
    for where, text in seen.items():
        assert "Sam needs help" not in text, where
    # The rest of the lesson still reaches the student.
    assert "This week's lesson" in seen["report page"]
    assert '"grammar_focus"' in seen["session API"]


def _exported_json(response) -> str:
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return archive.read("podium.json").decode()


def test_the_student_copy_leaves_out_every_teacher_only_field(app):
    with app.app_context():
        report = {section: {name: NOTES, "kept": 1} for section, name in TEACHER_ONLY_REPORT_FIELDS}
        session = make_session(make_student(), report=report)
        shown = session.student_report
        assert all(name not in shown[section] and shown[section]["kept"] == 1
                   for section, name in TEACHER_ONLY_REPORT_FIELDS)
        assert session.report == report  # the stored report keeps them for the teacher
