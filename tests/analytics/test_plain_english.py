"""The class report's words never contradict its numbers, and read as plain English (issue 14 item 5).

Edge cases: everyone faster than the comfortable pace, nobody pausing at all, one student per
level, and a class of one with a single 30-second speech.
"""
from __future__ import annotations

import re

from app.analysis.norms import pace_range
from app.analytics.narrative import local_narrative
from app.analytics.periods import last_days
from app.analytics.summary import build_summary
from app.models import utcnow
from tests.factories import make_classroom, make_student, make_teacher

from .seed import add, talk_report


def _talk(student, classroom, wpm, level, pauses=0, seconds=60, **scores):
    report = talk_report(2.0, pauses, seconds, 50, level, 2, 60, {"journey"}, True, 70)
    add(student, classroom, days_ago=1, overall_score=scores.get("overall", 60), words_per_minute=wpm,
        fillers_per_minute=1.0, audio_seconds=seconds, report=report)


def _summary(classroom) -> dict:
    summary = build_summary(classroom, last_days(14, utcnow().date()))
    summary["narrative"] = local_narrative(summary)
    return summary


def _text(summary) -> str:
    n = summary["narrative"]
    skills = " ".join(f"{s['label']} {s['shown']} {s['detail']}" for s in summary["strengths"] + summary["weaknesses"])
    return " ".join([n["headline"], *n["paragraphs"], *n["actions"], skills, *(t["why"] for t in summary["tutorials"])])


def test_everyone_above_the_band_nobody_paused_one_student_per_level(app_ctx):
    students = [make_student(name=n) for n in ("Ada", "Ben", "Cy")]
    classroom = make_classroom(make_teacher(), students=tuple(students))
    for student, wpm, level in zip(students, (175, 190, 205), ("A1", "B1", "B2"), strict=True):
        _talk(student, classroom, wpm, level, pauses=0)
    summary = _summary(classroom)
    text = _text(summary)
    pacing = next(s for s in summary["skills"] if s["key"] == "pacing")
    # The pace figure says what it counts, beside the mean it is not.
    assert pacing["shown"] == "0 of 3 students in the comfortable range"
    assert f"0 of 3 students inside the comfortable {pace_range()} range" in text
    assert "Speaking pace 0/100" not in text
    # Nobody paused at all: no praise for pausing.
    assert "pausing" not in [s["key"] for s in summary["strengths"]]
    # One student each at A1, B1 and B2: no "mostly at".
    assert summary["language"]["vocabulary_level"]["typical"] is None
    assert "mostly at" not in text


def test_a_class_of_one_with_a_short_speech_reads_as_plain_english(app_ctx):
    student = make_student(name="Ada")
    classroom = make_classroom(make_teacher(), students=(student,))
    _talk(student, classroom, 130, "B1", seconds=30)
    text = _text(_summary(classroom))
    assert "1 of 1 student practised" in text and "1 finished session (1 speech, 0 readings)" in text
    assert "30 seconds of speaking" in text
    for wrong in ("1 students", "1 talks", "1 sessions", "0 minutes", "time(s)", "MTLD", "(s)"):
        assert wrong not in text, wrong
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)  # dates as the school writes them, not ISO
