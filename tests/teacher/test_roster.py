"""The roster and the dashboard: figures against hand-computed values, sorting, the
inactive flag, and a query count that does not grow with the class."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from app.dates import SchoolCalendar
from app.extensions import db
from app.models import Classroom
from app.teacher.queries import class_cards, parse_sort, roster, sort_roster
from tests.factories import make_classroom, make_session, make_student, make_teacher

from .conftest import signed_in

# A Wednesday, so "this week" (from Monday) and "the last 7 days" differ.
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=timezone.utc)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


UTC = SchoolCalendar(ZoneInfo("UTC"))
WEEK = UTC.week(NOW)


def test_week_starts_on_monday_in_the_schools_time_zone():
    assert WEEK.start == datetime(2026, 3, 16, tzinfo=timezone.utc)
    assert WEEK.end == datetime(2026, 3, 23, tzinfo=timezone.utc)
    # In Auckland (UTC+13 in March) Monday starts on Sunday 11:00 UTC.
    auckland = SchoolCalendar(ZoneInfo("Pacific/Auckland")).week(NOW)
    assert auckland.start == datetime(2026, 3, 15, 11, tzinfo=timezone.utc)


def test_roster_figures_trend_and_inactive_flag(app_ctx):
    teacher = make_teacher()
    ada, ben, cal, dee = (make_student(name=n) for n in ("Ada Lovelace", "Ben Okri", "Cal Ng", "Dee Rao"))
    classroom = make_classroom(teacher, "7B", students=(ada, ben, cal, dee))
    other_class = make_classroom(make_teacher(), "Elsewhere", students=(ada,))
    for enrolment in classroom.enrolments:
        enrolment.sharing_since = ago(20)
    # Ada: 50, 60 earlier; latest 80 but the teacher overrode it to 75 → trend up (75 vs 55).
    make_session(ada, score=5, started_at=ago(25))  # free practice from before she joined: not the class's
    make_session(ada, classroom=classroom, score=50, started_at=ago(10))
    make_session(ada, score=60, started_at=ago(4))  # free practice since she joined counts for the class
    make_session(ada, classroom=classroom, score=80, override_score=75, override_reason="ok", started_at=ago(1))
    make_session(ada, classroom=classroom, status="in_progress", score=None, started_at=ago(0.1))
    make_session(ada, classroom=classroom, status="abandoned", score=None, started_at=ago(0.05))
    make_session(ada, classroom=other_class, score=10, started_at=ago(0.5))  # another teacher's: not counted
    # Ben: 70 then 60 → down; a pronunciation session counts by its PronScore.
    make_session(ben, kind="pronunciation", score=70, started_at=ago(9))
    make_session(ben, classroom=classroom, score=60, started_at=ago(8))
    # Cal: one session long ago → inactive, no trend.
    make_session(cal, classroom=classroom, score=40, started_at=ago(30))
    # Dee never practised and joined "now" → not flagged yet.
    classroom.inactive_after_days = 7
    db.session.commit()

    rows = {r.student.name: r for r in roster(classroom, WEEK, now=NOW)}
    ada_row, ben_row, cal_row, dee_row = rows["Ada Lovelace"], rows["Ben Okri"], rows["Cal Ng"], rows["Dee Rao"]

    assert ada_row.last_practice_at == ago(1)  # an open or abandoned recorder is not practice
    assert ada_row.sessions_this_week == 1  # Monday onwards, finished and scored: the override session
    ada = ada_row.figures.speech
    assert (ada.latest_score, ada.earlier_scores) == (75, (60, 50))  # the override counts, newest first
    assert ada.trend == "up" and ada.trend_change == 20  # 75 against the mean of 60 and 50
    assert ada_row.figures.reading.latest_score is None and not ada_row.inactive

    # Ben's reading and speech are never compared with each other.
    ben_speech, ben_reading = ben_row.figures.speech, ben_row.figures.reading
    assert (ben_speech.latest_score, ben_speech.trend) == (60, "none")
    assert (ben_reading.latest_score, ben_reading.trend) == (70, "none")
    assert ben_row.sessions_this_week == 0 and ben_row.inactive is True  # 8 days > 7

    assert cal_row.figures.speech.trend == "none" and cal_row.inactive and cal_row.figures.speech.latest_score == 40
    assert dee_row.last_practice_at is None and dee_row.figures.speech.latest_score is None and not dee_row.inactive

    classroom.inactive_after_days = 10
    db.session.commit()
    assert not {r.student.name: r for r in roster(classroom, WEEK, now=NOW)}["Ben Okri"].inactive


def test_a_lowered_speech_score_turns_the_trend_down(app_ctx):
    student = make_student()
    classroom = make_classroom(make_teacher(), students=(student,))
    make_session(student, classroom=classroom, score=60, started_at=ago(3))
    make_session(student, classroom=classroom, kind="pronunciation", score=95, started_at=ago(2))
    latest = make_session(student, classroom=classroom, score=70, started_at=ago(1))
    speech = roster(classroom, WEEK, now=NOW)[0].figures.speech
    assert (speech.latest_score, speech.trend) == (70, "up")
    latest.override_score, latest.override_reason = 45, "Off topic"
    db.session.commit()
    speech = roster(classroom, WEEK, now=NOW)[0].figures.speech
    assert (speech.latest_score, speech.trend, speech.trend_change) == (45, "down", -15)


def test_sorting_keeps_students_without_figures_at_the_bottom(app_ctx):
    teacher = make_teacher()
    a, b, c = make_student(name="Amy"), make_student(name="Bo"), make_student(name="Cy")
    classroom = make_classroom(teacher, "7B", students=(a, b, c))
    make_session(a, classroom=classroom, score=40)
    make_session(c, classroom=classroom, score=90)
    rows = roster(classroom, UTC.week())
    names = lambda rs: [r.student.name for r in rs]  # noqa: E731
    assert names(sort_roster(rows, *parse_sort("-speech"))) == ["Cy", "Amy", "Bo"]
    assert names(sort_roster(rows, *parse_sort("speech"))) == ["Amy", "Cy", "Bo"]
    assert names(sort_roster(rows, *parse_sort("-name"))) == ["Cy", "Bo", "Amy"]
    assert parse_sort("drop table") == ("name", False)


def test_roster_page_sorts_on_the_server_without_js(app):
    with app.app_context():
        teacher = make_teacher()
        a, b = make_student(name="Amy Low"), make_student(name="Zed High")
        classroom = make_classroom(teacher, "7B", students=(a, b))
        make_session(a, classroom=classroom, score=30)
        make_session(b, classroom=classroom, score=95)
        class_id = classroom.id
    client = signed_in(app, teacher)
    html = client.get(f"/teacher/classes/{class_id}?sort=-speech").get_data(as_text=True)
    assert html.index("Zed High") < html.index("Amy Low")
    assert re.search(r'data-key="speech"\s+aria-sort="descending"', html)
    html = client.get(f"/teacher/classes/{class_id}?sort=speech").get_data(as_text=True)
    assert html.index("Amy Low") < html.index("Zed High")
    # Every heading is a real button that submits the sort form, so it works without JavaScript.
    assert html.count('form="roster-sort-form"') == 8


def _count_queries(app, client, url) -> int:
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("page", ["/teacher/classes/{id}", "/api/classes/{id}/roster", "/teacher/"])
def test_query_count_does_not_grow_with_students(app, page):
    counts = {}
    for size in (2, 20):
        with app.app_context():
            teacher = make_teacher()
            students = tuple(make_student() for _ in range(size))
            classroom = make_classroom(teacher, f"Class of {size}", students=students)
            for i, student in enumerate(students):
                make_session(student, classroom=classroom, score=50 + i)
                make_session(student, score=60, override_score=65, override_reason="r")
                make_session(student, classroom=classroom, status="in_progress", score=None)
            class_id = classroom.id
        client = signed_in(app, teacher)
        counts[size] = _count_queries(app, client, page.format(id=class_id))
    assert counts[2] == counts[20] and counts[2] > 3, counts


def test_dashboard_lists_counts_and_this_weeks_activity(app_ctx):
    teacher = make_teacher()
    a, b, c = make_student(), make_student(), make_student()
    first = make_classroom(teacher, "7A", students=(a, b, c))
    second = make_classroom(teacher, "7B", students=(a,))
    archived = make_classroom(teacher, "Old")
    archived.archived_at = ago(3)
    make_classroom(make_teacher(), "Not mine", students=(b,))
    for enrolment in (*first.enrolments, *second.enrolments):
        enrolment.sharing_since = ago(7)
    make_session(a, classroom=first, started_at=ago(1))
    make_session(a, started_at=ago(2))  # free practice since she joined: counts for both of her classes
    make_session(b, classroom=first, started_at=ago(1.5))
    make_session(b, classroom=first, started_at=ago(6))  # last week
    make_session(c, classroom=first, status="abandoned", started_at=ago(1))
    make_session(c, classroom=first, status="failed", score=None, started_at=ago(1))  # failed: not counted
    db.session.commit()
    cards = {card.classroom.name: card for card in class_cards(teacher, UTC, now=NOW)}
    assert set(cards) == {"7A", "7B"}
    assert (cards["7A"].students, cards["7A"].sessions_this_week, cards["7A"].active_students_this_week) == (3, 3, 2)
    assert (cards["7B"].students, cards["7B"].sessions_this_week, cards["7B"].active_students_this_week) == (1, 1, 1)
    assert [c.classroom.name for c in class_cards(teacher, UTC, archived=True, now=NOW)] == ["Old"]
    assert db.session.get(Classroom, second.id).teacher_id == teacher.id
