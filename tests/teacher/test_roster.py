"""The roster and the dashboard: figures against hand-computed values, sorting, the
inactive flag, and a query count that does not grow with the class."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import Classroom
from app.teacher.queries import class_cards, parse_sort, roster, sort_roster, week_start
from tests.factories import make_classroom, make_session, make_student, make_teacher

from .conftest import signed_in

# A Wednesday, so "this week" (from Monday) and "the last 7 days" differ.
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=timezone.utc)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_week_starts_on_monday():
    assert week_start(NOW) == datetime(2026, 3, 16, tzinfo=timezone.utc)


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

    rows = {r.student.name: r for r in roster(classroom, now=NOW)}
    ada_row, ben_row, cal_row, dee_row = rows["Ada Lovelace"], rows["Ben Okri"], rows["Cal Ng"], rows["Dee Rao"]

    assert ada_row.last_practice_at == ago(0.1)  # the open session is the latest practice
    assert ada_row.sessions_this_week == 2  # Monday onwards: the override session and the in-progress one
    assert (ada_row.latest_score, ada_row.scored_sessions) == (75, 3)
    assert ada_row.average_score == pytest.approx((50 + 60 + 75) / 3)
    assert ada_row.previous_average == pytest.approx(55)
    assert ada_row.trend == "up" and ada_row.trend_change == 20
    assert not ada_row.inactive

    assert (ben_row.latest_score, ben_row.previous_average, ben_row.trend) == (60, 70, "down")
    assert ben_row.sessions_this_week == 0 and ben_row.inactive is True  # 8 days > 7

    assert cal_row.trend == "none" and cal_row.inactive and cal_row.average_score == 40
    assert dee_row.last_practice_at is None and dee_row.latest_score is None and not dee_row.inactive

    classroom.inactive_after_days = 10
    db.session.commit()
    assert not {r.student.name: r for r in roster(classroom, now=NOW)}["Ben Okri"].inactive


def test_sorting_keeps_students_without_figures_at_the_bottom(app_ctx):
    teacher = make_teacher()
    a, b, c = make_student(name="Amy"), make_student(name="Bo"), make_student(name="Cy")
    classroom = make_classroom(teacher, "7B", students=(a, b, c))
    make_session(a, classroom=classroom, score=40)
    make_session(c, classroom=classroom, score=90)
    rows = roster(classroom)
    names = lambda rs: [r.student.name for r in rs]  # noqa: E731
    assert names(sort_roster(rows, *parse_sort("-latest"))) == ["Cy", "Amy", "Bo"]
    assert names(sort_roster(rows, *parse_sort("latest"))) == ["Amy", "Cy", "Bo"]
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
    html = client.get(f"/teacher/classes/{class_id}?sort=-latest").get_data(as_text=True)
    assert html.index("Zed High") < html.index("Amy Low")
    assert re.search(r'data-key="latest"\s+aria-sort="descending"', html)
    html = client.get(f"/teacher/classes/{class_id}?sort=latest").get_data(as_text=True)
    assert html.index("Amy Low") < html.index("Zed High")
    # Every heading is a real button that submits the sort form, so it works without JavaScript.
    assert html.count('form="roster-sort-form"') == 7


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
    db.session.commit()
    cards = {card.classroom.name: card for card in class_cards(teacher, now=NOW)}
    assert set(cards) == {"7A", "7B"}
    assert (cards["7A"].students, cards["7A"].sessions_this_week, cards["7A"].active_students_this_week) == (3, 3, 2)
    assert (cards["7B"].students, cards["7B"].sessions_this_week, cards["7B"].active_students_this_week) == (1, 1, 1)
    assert [c.classroom.name for c in class_cards(teacher, archived=True, now=NOW)] == ["Old"]
    assert db.session.get(Classroom, second.id).teacher_id == teacher.id
