"""The deterministic summary against figures worked out by hand from tests/analytics/seed.py."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.analytics.periods import last_days
from app.analytics.summary import build_summary
from app.extensions import db
from app.models import utcnow

from .seed import seed_class


@pytest.fixture
def summary(app_ctx):
    data = seed_class()
    return build_summary(data["classroom"], last_days(14, utcnow().date()))


def by_key(rows, key="key"):
    return {r[key]: r for r in rows}


def test_participation(summary):
    p = summary["participation"]
    assert (p["enrolled"], p["practised"], p["sessions"], p["talks"], p["readings"]) == (4, 2, 4, 3, 1)
    assert p["sessions_per_student"]["mean"] == 2.0
    assert p["minutes_spoken"] == pytest.approx(220 / 60, abs=0.05)
    assert [s["name"] for s in p["not_practised"]] == ["Cara Diaz", "Dev Evans"]
    assert summary["empty"] is False


def test_delivery_means_spread_bands_and_trend(summary):
    d = summary["delivery"]
    assert d["words_per_minute"]["mean"] == 165.0 and d["words_per_minute"]["sd"] == 25.0
    assert (d["words_per_minute"]["min"], d["words_per_minute"]["max"]) == (140.0, 190.0)
    assert d["bands"]["wpm"] == {"range": [120.0, 160.0], "inside": 1, "of": 2, "below": 0, "above": 1}
    assert d["fillers_per_100_words"]["mean"] == 5.5
    assert d["bands"]["fillers"]["inside"] == 1 and d["bands"]["fillers"]["of"] == 2
    assert d["fillers_per_minute"]["mean"] == pytest.approx(7.15)
    assert d["long_pauses_per_minute"]["mean"] == 2.75  # Anna (1.0 + 2.0) / 2, Ben 4.0
    # Previous period: Anna 60, Ben 70, Dev 50 -> 60; now Anna 70, Ben 40 -> 55.
    assert d["trend"]["overall"] == {"current": 55.0, "previous": 60.0, "change": -5.0}
    assert d["trend"]["words_per_minute"]["previous"] == pytest.approx(123.3)
    assert sum(d["words_per_minute"]["histogram"]["counts"]) == 2


def test_scores_and_language(summary):
    assert summary["scores"]["overall"]["mean"] == 55.0 and summary["scores"]["overall"]["sd"] == 15.0
    assert summary["scores"]["structure"]["mean"] == 55.0
    lang = summary["language"]
    assert lang["lexical_diversity"]["mean"] == 50.0
    # One student at A2 and one at B1: no level is "most of the class".
    assert lang["vocabulary_level"] == {"students": {"A1": 0, "A2": 1, "B1": 1, "B2": 0, "C1": 0}, "typical": None}
    words = lang["curriculum_words"]
    assert by_key(words["words"], "word")["journey"] == {"word": "journey", "talks": 2, "students": 1}
    assert by_key(words["words"], "word")["explore"] == {"word": "explore", "talks": 2, "students": 2}
    assert words["used"] == ["journey", "explore"] and words["never_used"] == ["ancient"]
    assert words["coverage"] == pytest.approx(66.7)
    [focus] = lang["grammar_focus"]
    assert (focus["key"], focus["talks_heard"], focus["talks_checked"], focus["students_heard"]) == (
        "past_simple",
        1,
        3,
        1,
    )
    assert focus["examples"] == ["we went to the old castle"]
    assert by_key(lang["rubric"], "name")["Delivery"] == {"name": "Delivery", "mean": 70.0, "talks": 3}
    assert by_key(lang["rubric"], "name")["Eye contact"]["mean"] is None


def test_pronunciation(summary):
    pr = summary["pronunciation"]
    assert (pr["readings"], pr["accuracy"]["mean"], pr["prosody"]["mean"]) == (1, 70.0, 60.0)
    assert [(w["word"], w["count"]) for w in pr["words"]] == [("three", 1), ("very", 1)]
    sounds = [(s["sound"], s["low"], s["count"], s["mean"]) for s in pr["sounds"]]
    assert sounds == [("θ", 1, 1, 20.0), ("v", 1, 1, 30.0), ("r", 1, 2, 60.0)]


def test_strengths_weaknesses_and_quotes(summary):
    assert [s["key"] for s in summary["weaknesses"]] == ["linking_words", "past_tense", "curriculum_vocabulary"]
    assert [s["key"] for s in summary["strengths"]] == ["pronunciation_accuracy", "fluency", "grammar_accuracy"]
    skills = by_key(summary["skills"])
    assert skills["pacing"]["score"] == 50.0 and skills["curriculum_vocabulary"]["score"] == pytest.approx(44.4)
    assert "1 of 3 speeches (1 student)" in skills["past_tense"]["detail"]
    for item in summary["strengths"] + summary["weaknesses"]:
        assert item["quote"] and item["quote"]["text"]
    quotes = " ".join(s["quote"]["text"] for s in summary["strengths"] + summary["weaknesses"])
    for name in ("anna", "ben", "cole", "berg", "cara", "dev"):
        assert name not in quotes.lower().split()
    linking = summary["weaknesses"][0]["quote"]["text"]
    assert linking.startswith("Um so I play") and "[name]" in linking  # Ben's talk (fewest linking words), redacted


def test_attention_and_tutorials(summary):
    attention = [(a["name"], [r["code"] for r in a["reasons"]]) for a in summary["attention"]]
    # Falling is the roster's trend: Ben's latest 40 against 70 and 99 before it; Anna's 60 against 80 and 60.
    assert attention == [
        ("Ben Cole", ["low_score", "falling"]),
        ("Anna Berg", ["falling"]),
        ("Cara Diaz", ["no_practice"]),
        ("Dev Evans", ["no_practice"]),
    ]
    # 84.5 - 40 = 44.5 points, shown half up.
    assert summary["attention"][0]["reasons"][1]["text"].startswith("Latest speech score 40 is 45 points below the 2 ")
    assert summary["attention"][1]["reasons"][0]["text"] == (
        "Latest speech score 60 is 10 points below the 2 speeches before it.")
    assert [t["id"] for t in summary["tutorials"]] == [
        "linking-chain",
        "linking-sequencers",
        "past-story",
        "past-irregular-race",
        "vocab-target-words",
    ]
    assert all(t["why"] for t in summary["tutorials"])


def test_student_rows(summary):
    rows = by_key(summary["students"], "name")
    anna = rows["Anna Berg"]["figures"]["impromptu"]
    assert rows["Anna Berg"]["overall"] == 70.0  # the period's average
    assert (anna["latest_score"], anna["trend"], anna["trend_change"]) == (60, "down", -10)  # the roster's figures
    assert rows["Ben Cole"]["pronunciation"] == 65.0 and rows["Cara Diaz"]["sessions"] == 0


def test_query_count_is_bounded(app_ctx):
    data = seed_class()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        build_summary(data["classroom"], last_days(14, utcnow().date()))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    # the school (its calendar), roster, sessions, report details, last period, curriculum, and the
    # figures' latest scores and counts
    assert len(statements) == 8, statements


def test_report_details_are_read_for_the_latest_sessions_only(app_ctx):
    from app.analytics.queries import sessions_in

    data = seed_class()
    rows = sessions_in(
        data["classroom"].id, last_days(14, utcnow().date()), per_student={"impromptu": 1, "pronunciation": 1}
    )
    with_details = {(r.student_id, r.kind, r.transcript[:8]) for r in rows if r.metrics is not None}
    anna, ben = data["anna"].id, data["ben"].id
    # Anna's newer talk (1 day ago) is read, her older one is not; Ben has one talk and one reading.
    assert with_details == {
        (anna, "impromptu", "Last sum"),
        (ben, "impromptu", "Um so I "),
        (ben, "pronunciation", "three th"),
    }
    assert len(rows) == 4 and all(r.overall_score is not None or r.kind == "pronunciation" for r in rows)


def test_empty_class_gives_an_empty_summary(app_ctx):
    from tests.factories import make_classroom, make_teacher

    summary = build_summary(make_classroom(make_teacher()), last_days(14, utcnow().date()))
    assert summary["empty"] is True and summary["participation"]["enrolled"] == 0
    assert summary["strengths"] == [] and summary["weaknesses"] == [] and summary["tutorials"] == []


def test_sessions_without_report_details_still_count(app_ctx):
    """Older or partial reports (no report, an empty one, no curriculum) must not break the summary."""
    from tests.factories import make_classroom, make_student, make_teacher

    from .seed import add

    student = make_student()
    classroom = make_classroom(make_teacher(), students=(student,))
    add(student, classroom, days_ago=1, overall_score=50, words_per_minute=120, audio_seconds=60, report=None)
    add(
        student,
        classroom,
        days_ago=2,
        overall_score=70,
        words_per_minute=140,
        audio_seconds=60,
        report={},
        transcript="Hello there, this is my talk about my weekend.",
    )
    add(
        student,
        classroom,
        days_ago=3,
        overall_score=60,
        words_per_minute=130,
        audio_seconds=60,
        report={"metrics": {"mtld": 40.0}, "curriculum": None, "scores": {"structure": {"score": 55}}},
    )
    add(student, classroom, days_ago=1, kind="pronunciation", pron_score=80, accuracy_score=75, report={"Words": []})
    db.session.commit()
    summary = build_summary(classroom, last_days(14, utcnow().date()))
    assert summary["participation"]["sessions"] == 4 and summary["scores"]["overall"]["mean"] == 60.0
    assert summary["language"]["lexical_diversity"]["mean"] == 40.0 and summary["scores"]["structure"]["mean"] == 55.0
    assert summary["pronunciation"]["words"] == [] and summary["language"]["curriculum_words"]["words"] == []


def test_the_summary_says_how_many_reports_it_read(summary):
    assert summary["details"] == {"talks_per_student": 4, "readings_per_student": 8, "talks": 3, "readings": 1}


def test_a_grammar_strength_is_quoted_from_the_analysis_evidence(app_ctx):
    from app.analytics.privacy import redactor
    from app.analytics.skills import split_strengths

    row = {
        "key": "past_tense",
        "label": "Past tense",
        "score": 90.0,
        "detail": "heard in 9 of 10 talks",
        "numbers": {"examples": ["we went to the old castle"]},
        "can_be_strength": True,
        "_sessions": [],
        "_problem": lambda r: None,
        "_priority": 0,
    }
    _, strengths, _ = split_strengths([row], redactor([]))
    assert strengths[0]["quote"] == {"text": "we went to the old castle", "session_kind": "impromptu"}
