"""My Progress: the queries against hand-computed values, and the page that shows them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from app.dates import SchoolCalendar
from app.extensions import db
from app.models import PracticeSession
from app.practice.figures import one_student
from app.practice.progress import chart_series, figure_sentences, personal_bests, session_history, since_last_week
from app.practice.visibility import own_sessions

from ..conftest import login_as
from ..factories import make_session, make_student, make_teacher

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=timezone.utc)
UTC = SchoolCalendar(ZoneInfo("UTC"))


def add_session(student, kind="impromptu", days_ago=1.0, status="done", title="", **columns) -> PracticeSession:
    """A session as store_report leaves it: headline columns as given, times backdated from NOW."""
    started = NOW - timedelta(days=days_ago)
    return make_session(student, kind=kind, status=status, score=None, prompt_title=title or f"{kind} {days_ago}d",
                        started_at=started, submitted_at=started, finished_at=started + timedelta(minutes=1), **columns)


@pytest.fixture
def seeded(app_ctx):
    student, other = make_student(), make_student()
    s = {
        1: add_session(student, days_ago=20, overall_score=50, words_per_minute=100, fillers_per_minute=6.0),
        2: add_session(student, days_ago=10, overall_score=60, words_per_minute=130, fillers_per_minute=4.0),
        3: add_session(student, days_ago=9, overall_score=70, words_per_minute=170, fillers_per_minute=5.0,
                       override_score=40),
        4: add_session(student, days_ago=3, overall_score=80, words_per_minute=140, fillers_per_minute=2.0),
        5: add_session(student, days_ago=1, overall_score=65, words_per_minute=150, fillers_per_minute=3.0,
                       override_score=90, override_reason="Great structure"),
        6: add_session(student, "pronunciation", days_ago=8, pron_score=55, accuracy_score=60, pron_fluency_score=50,
                       completeness_score=100),
        7: add_session(student, "pronunciation", days_ago=2, pron_score=75, accuracy_score=80, pron_fluency_score=70,
                       completeness_score=90, prosody_score=60),
        8: add_session(student, days_ago=2.5, status="failed", error_code="no_speech",
                       error_message="We couldn't hear any speech"),
        9: add_session(student, days_ago=0.5, status="in_progress"),
        10: add_session(student, days_ago=4, status="abandoned"),
    }
    other_session = add_session(other, days_ago=1, overall_score=99, words_per_minute=200, fillers_per_minute=0.1,
                                title="Someone else's speech")
    return student, other, s, other_session


def test_history_is_newest_first_without_unsubmitted_sessions(seeded):
    student, _, s, _ = seeded
    page = session_history(own_sessions(student), per_page=3)
    assert page.total == 8
    assert page.pages == 3
    assert [x.id for x in page.items] == [s[5].id, s[7].id, s[8].id]
    last = session_history(own_sessions(student), page=3, per_page=3)
    assert [x.id for x in last.items] == [s[2].id, s[1].id]


def test_history_filters_by_kind_and_ignores_unknown_kinds(seeded):
    student, _, s, _ = seeded
    assert [x.id for x in session_history(own_sessions(student), "pronunciation").items] == [s[7].id, s[6].id]
    assert session_history(own_sessions(student), "impromptu").total == 6
    assert session_history(own_sessions(student), "nonsense").total == 8
    assert session_history(own_sessions(student), page=99).items == []


def test_chart_series_uses_finished_sessions_oldest_first_with_overrides(seeded):
    student, _, s, _ = seeded
    series = chart_series(own_sessions(student), UTC)
    imp, pron = series["impromptu"], series["pronunciation"]
    assert imp["ids"] == [s[n].id for n in (1, 2, 3, 4, 5)]
    assert imp["overall"] == [50, 60, 40, 80, 90]  # the teacher's override replaces the automatic score
    assert imp["words_per_minute"] == [100, 130, 170, 140, 150]
    assert imp["fillers_per_minute"] == [6.0, 4.0, 5.0, 2.0, 3.0]
    assert pron["ids"] == [s[6].id, s[7].id]
    assert pron["pron"] == [55, 75] and pron["accuracy"] == [60, 80] and pron["prosody"] == [None, 60]
    assert series["wpm_band"] == [120, 160]
    assert imp["labels"][0] == "23 Feb"  # the school's date style, without the year


def test_chart_series_keeps_only_the_latest_points(seeded):
    student, _, s, _ = seeded
    assert chart_series(own_sessions(student), UTC, limit=2)["impromptu"]["ids"] == [s[4].id, s[5].id]


def test_personal_bests(seeded):
    student, _, s, _ = seeded
    bests = {b.label: (b.value, b.session_id) for b in personal_bests(own_sessions(student))}
    assert bests == {
        "Best speech score": (90, s[5].id),  # override 90 beats the best automatic 80
        "Fewest fillers": (2.0, s[4].id),
        "Best pronunciation score": (75, s[7].id),
        "Best accuracy": (80, s[7].id),
    }


def test_personal_best_ties_go_to_the_first_time(app_ctx):
    student = make_student()
    first = add_session(student, days_ago=5, overall_score=70)
    add_session(student, days_ago=2, overall_score=70)
    (best,) = personal_bests(own_sessions(student))
    assert (best.label, best.session_id) == ("Best speech score", first.id)


def test_no_bests_and_encouragement_for_a_new_student(app_ctx):
    student = make_student()
    assert personal_bests(own_sessions(student)) == []
    summary = since_last_week(own_sessions(student), NOW)
    assert summary.this_week.sessions == 0
    assert summary.sentences == []
    assert figure_sentences(one_student(own_sessions(student), student.id, UTC.week(NOW))) == [
        "0 finished sessions this week (speeches and readings analysed and scored)."]


def test_since_last_week_compares_the_two_weeks(seeded):
    student, _, _, _ = seeded
    summary = since_last_week(own_sessions(student), NOW)
    this, last = summary.this_week, summary.last_week
    # This week: sessions 4, 5 (override 90) and 7; the week before: 2, 3 (override 40) and 6.
    assert (this.sessions, this.score, this.words_per_minute, this.fillers_per_minute, this.pron_score) == (
        3, 85.0, 145.0, 2.5, 75.0)
    assert (last.sessions, last.score, last.words_per_minute, last.fillers_per_minute, last.pron_score) == (
        3, 50.0, 150.0, 4.5, 55.0)
    assert summary.sentences == ["Your average pace in the last 7 days was 145 words per minute, inside the "
                                 "comfortable 120–160."]


def test_this_weeks_sentences_are_the_figures(seeded):
    student, _, _, _ = seeded
    # NOW is a Sunday: this week is Monday 9 March on, so sessions 4, 5 and 7 (not the failed 8).
    figures = one_student(own_sessions(student), student.id, UTC.week(NOW))
    assert figures.sessions == 3
    assert figure_sentences(figures) == [
        "3 finished sessions this week (speeches and readings analysed and scored).",
        "Latest speech score: 90, improving (+30 against the 3 speeches before it).",  # 90 vs mean(80, 40, 60)
        "Latest reading score: 75, improving (+20 against the reading before it).",
    ]


def test_since_last_week_when_only_the_week_before_had_practice(seeded):
    student, _, _, _ = seeded
    summary = since_last_week(own_sessions(student), NOW + timedelta(days=8))  # sessions 4, 5, 7 are now last week
    assert summary.this_week.sessions == 0
    assert summary.sentences == []


def test_progress_page_lists_own_sessions_with_override_and_links(app, seeded):
    student, _, s, other_session = seeded
    client = app.test_client()
    login_as(client, student)
    page = client.get("/student/progress").get_data(as_text=True)
    assert "My Progress" in page
    assert "Someone else&#39;s speech" not in page and "Someone else's speech" not in page
    assert "(automatic 65)" in page  # override shown with the automatic score beside it
    assert f"/student/pronunciation/{s[7].id}" in page  # pronunciation → its result page
    assert f"/student/sessions/{s[5].id}" in page  # impromptu → the report page
    assert "We couldn&#39;t hear any speech" in page
    assert 'id="progress-series"' in page and 'data-chart="wpm"' in page
    assert "vendor/chart.umd.js" in page and "Show the numbers" in page
    assert f"/student/sessions/{other_session.id}\"" not in page


def test_progress_page_paginates_and_filters(app, app_ctx):
    student = make_student()
    sessions = [add_session(student, days_ago=d, title=f"Speech number {d}", overall_score=50) for d in range(1, 13)]
    add_session(student, "pronunciation", days_ago=30, title="A reading", pron_score=70)
    client = app.test_client()
    login_as(client, student)
    first = client.get("/student/progress").get_data(as_text=True)
    assert "Speech number 1<" in first and "Speech number 10<" in first and "Speech number 11<" not in first
    assert "Page 1 of 2" in first and "page=2" in first
    second = client.get("/student/progress?page=2").get_data(as_text=True)
    assert "Speech number 11<" in second and "A reading" in second and "Speech number 1<" not in second
    only_reading = client.get("/student/progress?kind=pronunciation").get_data(as_text=True)
    assert "A reading" in only_reading and "Speech number" not in only_reading.split('id="history-heading"')[1]
    assert len(sessions) == 12


def _count_queries(app, client, url):
    statements = []

    def record(*args):
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_progress_page_query_count_does_not_grow_with_history(app, app_ctx):
    student = make_student()
    for d in range(4):
        add_session(student, days_ago=d + 1, overall_score=60, words_per_minute=130)
        add_session(student, "pronunciation", days_ago=d + 1.5, pron_score=60, accuracy_score=70)
    client = app.test_client()
    login_as(client, student)
    few = _count_queries(app, client, "/student/progress")
    for d in range(10):
        add_session(student, days_ago=d + 1.2, overall_score=70, words_per_minute=140, override_score=75)
    many = _count_queries(app, client, "/student/progress")
    assert few == many


@pytest.mark.parametrize("url", ["/student/progress", "/student/progress?kind=pronunciation&page=2"])
def test_teachers_cannot_open_student_progress(app, app_ctx, url):
    client = app.test_client()
    login_as(client, make_teacher())
    assert client.get(url).status_code == 403
