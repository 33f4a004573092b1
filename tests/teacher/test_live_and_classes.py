"""The live panel's JSON and the class management actions on the dashboard and class page."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jobs.sweep import sweep
from app.models import Classroom, Enrolment, PracticeSession, User, utcnow
from app.practice.states import start_session
from tests.factories import make_classroom, make_session, make_student, make_teacher

from .conftest import signed_in


@pytest.fixture
def live_class(app):
    with app.app_context():
        teacher = make_teacher()
        names = ("Fresh Start", "Slow Poke", "Gone Away", "Not Practising", "Just Looking", "Long Wait", "Queued")
        fresh, slow, gone, idle, looking, waiting, queued = (make_student(name=n) for n in names)
        classroom = make_classroom(teacher, "7B", students=(fresh, slow, gone, idle, looking, waiting, queued))
        outsider = make_student(name="Outsider")
        start_session(fresh, "impromptu", title="Pets", prompt="Talk about pets", planned_seconds=90)
        now = utcnow()
        # 2 × 90 s planned = 180 s before a recording looks stuck; this one has sent audio for 5 minutes.
        make_session(slow, classroom=classroom, status="in_progress", score=None, planned_seconds=90, parts_received=3,
                     started_at=now - timedelta(minutes=5), last_seen_at=now - timedelta(seconds=10))
        # On the practice page for 10 minutes without recording: reading the prompt is not being stuck.
        make_session(looking, classroom=classroom, status="in_progress", score=None, planned_seconds=90,
                     started_at=now - timedelta(minutes=10), last_seen_at=now - timedelta(seconds=20))
        # Analyses: one waiting longer than LIVE_ANALYSIS_STUCK_MINUTES (10), one just sent.
        make_session(waiting, classroom=classroom, status="transcribing", score=None, parts_received=4,
                     started_at=now - timedelta(minutes=20), submitted_at=now - timedelta(minutes=15))
        make_session(queued, classroom=classroom, status="submitted", score=None, parts_received=2,
                     started_at=now - timedelta(minutes=3), submitted_at=now - timedelta(minutes=1))
        # Silent for an hour: the recorder was closed without a goodbye.
        make_session(gone, status="in_progress", score=None, started_at=now - timedelta(hours=2),
                     last_seen_at=now - timedelta(hours=1))
        make_session(idle, classroom=classroom, status="done")
        make_session(outsider, status="in_progress", score=None)
        db.session.commit()
        return teacher, classroom.id


def test_live_lists_only_this_classes_open_sessions_and_flags_the_stuck(app, live_class):
    teacher, class_id = live_class
    body = signed_in(app, teacher).get(f"/api/classes/{class_id}/live").get_json()
    by_name = {entry["student"]["name"]: entry for entry in body["sessions"]}
    assert set(by_name) == {"Fresh Start", "Slow Poke", "Just Looking", "Long Wait", "Queued"}
    assert body["stuck_factor"] == 2 and body["analysis_stuck_minutes"] == 10
    slow, fresh = by_name["Slow Poke"], by_name["Fresh Start"]
    assert slow["state"] == "recording" and slow["state_words"] == "recording now"
    assert slow["stuck"] is True and slow["stuck_after_seconds"] == 180 and slow["elapsed_seconds"] >= 300
    assert fresh["state"] == "on_page" and fresh["stuck"] is False and fresh["topic"] == "Pets"
    looking = by_name["Just Looking"]
    assert looking["state"] == "on_page" and looking["elapsed_seconds"] >= 600
    assert looking["stuck"] is False and looking["stuck_after_seconds"] is None  # never "may be stuck"
    # An analysis has its own timer, from when it was sent.
    waiting, queued = by_name["Long Wait"], by_name["Queued"]
    assert waiting["state"] == "analysing" and 900 <= waiting["elapsed_seconds"] < 1200 and waiting["stuck"] is True
    assert queued["state"] == "analysing" and queued["elapsed_seconds"] < 120 and queued["stuck"] is False
    assert fresh["progress_url"].endswith(f"/students/{fresh['student']['id']}")


def test_a_recorder_left_open_is_left_off_the_panel_and_closed_by_the_workers_sweep_not_by_the_page(app, live_class):
    teacher, class_id = live_class
    client = signed_in(app, teacher)
    client.get(f"/teacher/classes/{class_id}")
    client.get(f"/api/classes/{class_id}/live")
    with app.app_context():
        assert _status_of("Gone Away") == "in_progress"  # a page only reads
        assert sweep() == {"abandoned": 2}  # Gone Away and the outsider, both silent for an hour
        assert _status_of("Gone Away") == "abandoned"
        assert _status_of("Slow Poke") == "in_progress"


def _status_of(name: str) -> str:
    return db.session.scalar(
        select(PracticeSession.status).join(User, User.id == PracticeSession.student_id).where(User.name == name)
    )


def test_class_page_renders_live_panel_with_timer_data(app, live_class):
    teacher, class_id = live_class
    html = signed_in(app, teacher).get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert html.count('class="live-item') == 5 and html.count("is-stuck") == 2
    assert "recording now</span> for" in html and "on the practice page</span> for" in html
    assert "submitted, being analysed</span> for" in html
    assert f'data-live-url="/api/classes/{class_id}/live"' in html and "js/live.js" in html
    assert "Gone Away" in html  # in the roster, not the live panel
    assert html.index('id="live"') < html.index("Slow Poke") < html.index('id="roster"')


def test_rename_settings_archive_restore_and_regenerate_code(app):
    with app.app_context():
        teacher = make_teacher()
        class_id, old_code = (lambda c: (c.id, c.join_code))(make_classroom(teacher, "7B"))
    client = signed_in(app, teacher)
    saved = client.post_form(f"/teacher/classes/{class_id}/settings",
                             {"name": "  7B Drama ", "inactive_after_days": "3", "pronunciation_strictness": "strict"})
    assert saved.status_code == 302
    client.post_form(f"/teacher/classes/{class_id}/join-code", {})
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        settings = (classroom.name, classroom.inactive_after_days, classroom.pronunciation_strictness)
        assert settings == ("7B Drama", 3, "strict")
        assert classroom.join_code != old_code
    client.post_form(f"/teacher/classes/{class_id}/archive", {})
    dashboard = client.get("/teacher/").get_data(as_text=True)
    assert "Archived classes" in dashboard and "Restore" in dashboard
    client.post_form(f"/teacher/classes/{class_id}/unarchive", {})
    with app.app_context():
        assert db.session.get(Classroom, class_id).archived_at is None


@pytest.mark.parametrize(
    "form, field, message",
    [
        ({"name": "", "inactive_after_days": "7", "pronunciation_strictness": "gentle"}, "name",
         "Give the class a name."),
        ({"name": "x" * 500, "inactive_after_days": "7", "pronunciation_strictness": "gentle"}, "name", "under 120"),
        ({"name": "7B", "inactive_after_days": "0", "pronunciation_strictness": "gentle"}, "inactive_after_days",
         "between 1 and 90"),
        ({"name": "7B", "inactive_after_days": "7", "pronunciation_strictness": "brutal"}, "pronunciation_strictness",
         "Not a valid choice"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_half_saved(app, form, field, message):
    with app.app_context():
        teacher = make_teacher()
        class_id = make_classroom(teacher, "Original").id
    response = signed_in(app, teacher).post_form(f"/teacher/classes/{class_id}/settings", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        settings = (classroom.name, classroom.inactive_after_days, classroom.pronunciation_strictness)
        assert settings == ("Original", 7, "gentle")


def test_strictness_defaults_to_gentle_and_is_offered_on_the_settings_form(app):
    with app.app_context():
        teacher = make_teacher()
        class_id = make_classroom(teacher, "7B").id
    html = signed_in(app, teacher).get(f"/teacher/classes/{class_id}/settings").get_data(as_text=True)
    assert 'value="gentle"' in html and 'value="standard"' in html and 'value="strict"' in html
    assert re.findall(r'<input checked[^>]*value="(\w+)"', html) == ["gentle"]


def test_remove_student_keeps_their_history(app):
    with app.app_context():
        teacher, student = make_teacher(), make_student(name="Leaving Soon")
        classroom = make_classroom(teacher, "7B", students=(student,))
        make_session(student, classroom=classroom)
        class_id, student_id = classroom.id, student.id
    client = signed_in(app, teacher)
    assert client.post_form(f"/teacher/classes/{class_id}/students/{student_id}/remove", {}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Enrolment).where(Enrolment.student_id == student_id)) is None
        assert db.session.scalar(select(PracticeSession).where(PracticeSession.student_id == student_id)) is not None
    assert client.get(f"/teacher/classes/{class_id}/students/{student_id}").status_code == 404
    assert client.post_form(f"/teacher/classes/{class_id}/students/{student_id}/remove", {}).status_code == 404


def test_the_class_page_links_its_class_report(app):
    with app.app_context():
        teacher = make_teacher()
        class_id = make_classroom(teacher, "7B").id
    html = signed_in(app, teacher).get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert f'href="/teacher/classes/{class_id}/report">View Class Report</a>' in html


def test_html_in_class_name_and_override_reason_is_escaped(app):
    xss = '<img src=x onerror="alert(1)">'
    with app.app_context():
        teacher, student = make_teacher(), make_student(name=f"Eve {xss}")
        classroom = make_classroom(teacher, "7B", students=(student,))
        session_id = make_session(student, classroom=classroom).id
        class_id = classroom.id
    client = signed_in(app, teacher)
    client.post_form(f"/teacher/classes/{class_id}/settings",
                     {"name": xss, "inactive_after_days": "7", "pronunciation_strictness": "gentle"})
    client.post_form(f"/teacher/classes/{class_id}/sessions/{session_id}/override", {"score": "70", "reason": xss})
    pages = ["/teacher/", f"/teacher/classes/{class_id}", f"/teacher/classes/{class_id}/sessions/{session_id}",
             f"/teacher/classes/{class_id}/students/{student.id}"]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert xss not in html and "&lt;img src=x" in html, url
    live = client.get(f"/api/classes/{class_id}/roster").get_json()
    assert live["students"][0]["name"] == f"Eve {xss}"  # JSON carries the text as typed; pages escape it
