"""Every page and API gives each student the same latest score, trend and count (issue 14 item 2).

One class with speeches, readings, a failed session, unassigned practice and a teacher's override
made through the teacher's own form. Each view's figures are read back as a person or a client
would (JSON, the pages' data block, the CSV) and compared with each other: no expected number is
written here, only the override the teacher typed.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

from app.dates import calendar_for
from app.extensions import db
from app.models import SESSION_KINDS, PracticeSession, User, utcnow
from tests.conftest import BrowserClient, login_as
from tests.factories import make_classroom, make_session, make_student, make_teacher

CSV_COLUMNS = {
    "impromptu": ("Latest speech score", "Speech trend (points against the speeches before it)"),
    "pronunciation": ("Latest reading score", "Reading trend (points against the readings before it)"),
}


def _class(now):
    teacher = make_teacher()
    ada, ben, cy = (make_student(name=n) for n in ("Ada", "Ben", "Cy"))
    classroom = make_classroom(teacher, "7C", students=(ada, ben, cy))
    at = lambda hours: now - timedelta(hours=hours)  # noqa: E731
    for score, hours in ((60, 240), (72, 30), (81, 3)):
        make_session(ada, classroom=classroom, score=score, started_at=at(hours))
    make_session(ada, classroom=classroom, kind="pronunciation", score=93, started_at=at(2))  # never mixed in
    make_session(ada, classroom=classroom, status="failed", score=None, started_at=at(1))
    make_session(ada, classroom=classroom, status="in_progress", score=None, started_at=at(0.5))
    for score, hours in ((50, 200), (64, 20), (58, 4)):
        make_session(ben, classroom=classroom, kind="pronunciation", score=score, started_at=at(hours))
    make_session(ben, score=66, started_at=at(5))  # unassigned practice counts for his class
    make_session(ben, classroom=classroom, status="failed", score=None, started_at=at(6))
    latest = db.session.query(PracticeSession).filter_by(student_id=ada.id, overall_score=81).one()
    return teacher, (ada, ben, cy), classroom, latest


def _signed_in(app, user) -> BrowserClient:
    client = BrowserClient(app.test_client())
    login_as(client.client, user)
    return client


def _page_figures(html: str) -> dict:
    blocks = re.findall(r'<script type="application/json" class="practice-figures">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _picked(figures: dict) -> dict:
    """What must agree: per kind the latest score, trend and its change and the count; the total count."""
    return {
        "sessions": figures["sessions"],
        **{kind: {key: figures[kind][key] for key in ("latest_score", "trend", "trend_change", "sessions")}
           for kind in SESSION_KINDS},
    }


def _from_csv(row: dict) -> dict:
    number = lambda cell: float(cell) if cell else None  # noqa: E731
    return {
        "sessions": int(row["Finished sessions"]),
        **{kind: {"latest_score": number(row[latest]), "trend_change": number(row[trend])}
           for kind, (latest, trend) in CSV_COLUMNS.items()},
    }


def test_every_view_gives_the_same_latest_trend_and_count(app):
    with app.app_context():
        now = utcnow()
        teacher, students, classroom, latest = _class(now)
        week = calendar_for(teacher.school).week(now)
        ids = {s.name: s.id for s in students}
        class_id, latest_id = classroom.id, latest.id
    adult = _signed_in(app, teacher)
    adult.get(f"/teacher/classes/{class_id}/sessions/{latest_id}")  # the review page and its CSRF token
    response = adult.post_form(f"/teacher/classes/{class_id}/sessions/{latest_id}/override",
                               {"score": "45", "reason": "Mostly off topic"})
    assert response.status_code == 302

    first, last = week.start.date(), (week.end - timedelta(days=1)).date()
    period = f"from={first.isoformat()}&to={last.isoformat()}"
    roster = {s["id"]: s["figures"] for s in adult.get(f"/api/classes/{class_id}/roster").get_json()["students"]}
    summary = adult.get(f"/api/classes/{class_id}/summary?{period}").get_json()
    summary_rows = {s["id"]: s for s in summary["students"]}
    csv_rows = {row["Student"]: row for row in csv.DictReader(io.StringIO(
        adult.get(f"/teacher/classes/{class_id}/report.csv?{period}").get_data(as_text=True)))}

    assert roster[ids["Ada"]]["impromptu"]["latest_score"] == 45  # the override, at once
    assert roster[ids["Ada"]]["impromptu"]["trend"] != "none" and roster[ids["Ben"]]["pronunciation"]["trend"] != "none"
    assert roster[ids["Ada"]]["pronunciation"]["latest_score"] is not None  # the reading is there, apart

    with app.app_context():
        names = {user.id: user for user in db.session.query(User).filter(User.id.in_(ids.values()))}
    for name, student_id in ids.items():
        expected = _picked(roster[student_id])
        views = {
            "summary API": _picked(summary_rows[student_id]["figures"]),
            "teacher's view of the student": _picked(_page_figures(
                adult.get(f"/teacher/classes/{class_id}/students/{student_id}").get_data(as_text=True))),
        }
        student = _signed_in(app, names[student_id])
        views["My Progress"] = _picked(_page_figures(student.get("/student/progress").get_data(as_text=True)))
        views["/api/me/sessions"] = _picked(student.get("/api/me/sessions").get_json()["figures"])
        for where, figures in views.items():
            assert figures == expected, (name, where)
        # The class report counts the same sessions per student, and its CSV says the same.
        assert summary_rows[student_id]["sessions"] == expected["sessions"], name
        from_csv = _from_csv(csv_rows[name])
        assert from_csv == {"sessions": expected["sessions"],
                            **{kind: {"latest_score": expected[kind]["latest_score"],
                                      "trend_change": expected[kind]["trend_change"]} for kind in SESSION_KINDS}}, name


def test_the_teachers_view_of_a_student_counts_what_the_roster_counts(app):
    """A student in two classes: each teacher's view of them counts their own class's sessions, as the roster."""
    with app.app_context():
        teacher = make_teacher()
        ada = make_student(name="Ada")
        classroom = make_classroom(teacher, "7C", students=(ada,))
        elsewhere = make_classroom(make_teacher(), "Drama", students=(ada,))
        make_session(ada, classroom=classroom, score=60, started_at=utcnow() - timedelta(hours=3))
        make_session(ada, classroom=elsewhere, score=95, started_at=utcnow() - timedelta(hours=1))
        class_id, ada_id = classroom.id, ada.id
    adult = _signed_in(app, teacher)
    roster = adult.get(f"/api/classes/{class_id}/roster").get_json()["students"][0]["figures"]
    page = _page_figures(adult.get(f"/teacher/classes/{class_id}/students/{ada_id}").get_data(as_text=True))
    assert _picked(page) == _picked(roster) and roster["impromptu"]["latest_score"] == 60
