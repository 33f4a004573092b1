"""The deterministic class summary: participation, delivery, language, pronunciation, skills.

``build_summary`` runs five queries whatever the size of the class (enrolled students, this
period's sessions, report details of each student's latest sessions, last period's
sums per student, the curriculum) and does everything else in plain Python. The
narrative is added separately, by narrative.py.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from app.analysis.norms import COMFORTABLE_WPM, FILLERS_PER_100_OK, NOTE_WPM
from app.dates import SchoolCalendar, calendar_for
from app.models import Classroom, utcnow
from app.practice.figures import COUNTED_LABEL, TREND_RULE, student_figures
from app.practice.visibility import class_sessions

from . import queries as q
from .attention import attention_list
from .language_and_pronunciation import language_section, pronunciation_section
from .matching import recommend
from .periods import Period
from .privacy import redactor
from .skills import skill_rows, split_strengths
from .stats import change, describe, histogram, mean
from .students import StudentFigures, figures_for

# The histogram's bins have the comfortable pace and the noted range among their edges.
WPM_EDGES = (0, 80, NOTE_WPM[0], COMFORTABLE_WPM[0], sum(COMFORTABLE_WPM) / 2, COMFORTABLE_WPM[1], NOTE_WPM[1],
             200, 400)
SCORE_EDGES = (0, 20, 40, 50, 60, 70, 80, 90, 101)
SUMMARY_VERSION = 1


def build_summary(classroom: Classroom, period: Period) -> dict:
    """The whole deterministic summary of *classroom* over *period*, JSON-ready, no narrative."""
    calendar = calendar_for(classroom.teacher.school)
    students = q.enrolled_students(classroom.id)
    rows = q.sessions_in(classroom.id, period)
    practice = student_figures(class_sessions(classroom), period)
    figs = figures_for(students, rows, q.previous_sums(classroom.id, period.previous()), practice)
    goal = q.curriculum_goal(classroom.id)
    redact = redactor(students)
    talks = [r for f in figs for r in f.talks]
    readings = [r for f in figs for r in f.readings]
    summary = {
        "version": SUMMARY_VERSION,
        "class": {"id": classroom.id, "name": classroom.name},
        "period": {**period.to_json(), **_period_text(period, calendar),
                   "previous": {**period.previous().to_json(), **_period_text(period.previous(), calendar)}},
        # What every count of sessions counts, and what each student's trend compares (app/practice/figures.py).
        "counted": COUNTED_LABEL,
        "trend_rule": TREND_RULE,
        "generated_at": utcnow().isoformat(),
        "empty": not talks and not readings,
        "participation": participation(figs),
        "delivery": delivery(figs),
        "scores": scores(figs),
        "series": daily_series(figs, period, calendar),
        "language": language_section(figs, talks, goal, redact),
        "pronunciation": pronunciation_section(figs, readings),
        "students": [f.to_json() for f in figs],
        # Pauses, vocabulary, curriculum and sounds come from report details, read for the latest few only.
        "details": {
            "talks_per_student": q.DETAILS_PER_STUDENT["impromptu"],
            "readings_per_student": q.DETAILS_PER_STUDENT["pronunciation"],
            "talks": sum(r.metrics is not None for r in talks),
            "readings": sum(r.pron_words is not None for r in readings),
        },
    }
    summary["skills"], summary["strengths"], summary["weaknesses"] = split_strengths(skill_rows(summary, figs), redact)
    summary["attention"] = attention_list(figs, summary)
    summary["tutorials"] = recommend(summary["weaknesses"], summary["language"]["vocabulary_level"]["typical"])
    return summary


def _period_text(period: Period, calendar: SchoolCalendar) -> dict:
    """The period's first and last days as the school writes dates."""
    return {"from_text": calendar.date_text(period.first), "to_text": calendar.date_text(period.last)}


def participation(figs: list[StudentFigures]) -> dict:
    active = [f for f in figs if f.rows]
    counts = [len(f.rows) for f in active]
    return {
        "enrolled": len(figs),
        "practised": len(active),
        "sessions": sum(counts),
        "talks": sum(len(f.talks) for f in active),
        "readings": sum(len(f.readings) for f in active),
        "sessions_per_student": describe(counts),
        "minutes_spoken": round(sum(f.minutes for f in active), 1),
        "not_practised": [{"id": f.student.id, "name": f.student.name} for f in figs if not f.rows],
    }


def _band(values: list[float], low: float, high: float) -> dict:
    return {
        "inside": sum(1 for v in values if low <= v <= high),
        "of": len(values),
        "below": sum(1 for v in values if v < low),
        "above": sum(1 for v in values if v > high),
    }


def _fillers_band(values: list[float]) -> dict:
    inside = sum(1 for v in values if v < FILLERS_PER_100_OK)
    return {"under": FILLERS_PER_100_OK, "inside": inside, "of": len(values), "above": len(values) - inside}


def delivery(figs: list[StudentFigures]) -> dict:
    wpm = [f.talk_mean("words_per_minute") for f in figs]
    f100 = [f.fillers_per_100 for f in figs]
    prev = lambda col: mean(f.previous_mean(col) for f in figs)  # noqa: E731
    return {
        "words_per_minute": {**describe(wpm), "histogram": histogram(wpm, WPM_EDGES)},
        "fillers_per_minute": describe((f.talk_mean("fillers_per_minute") for f in figs), 2),
        "fillers_per_100_words": describe(f100, 2),
        "long_pauses_per_minute": describe((f.long_pauses_per_minute for f in figs), 2),
        "mean_pause_seconds": describe((f.metric_mean("mean_pause") for f in figs), 2),
        "bands": {
            "wpm": {"range": list(COMFORTABLE_WPM), **_band([v for v in wpm if v is not None], *COMFORTABLE_WPM)},
            "fillers": _fillers_band([v for v in f100 if v is not None]),
        },
        "trend": {
            "words_per_minute": change(mean(wpm), prev("words_per_minute")),
            "fillers_per_minute": change(
                mean(f.talk_mean("fillers_per_minute") for f in figs), prev("fillers_per_minute")
            ),
            "overall": change(mean(f.overall for f in figs), prev("overall_score")),
            "pronunciation": change(mean(f.pron for f in figs), prev("pron_score")),
            "accuracy": change(mean(f.reading_mean("accuracy_score") for f in figs), prev("accuracy_score")),
        },
    }


def scores(figs: list[StudentFigures]) -> dict:
    overall = [f.overall for f in figs]
    return {
        "overall": {**describe(overall), "histogram": histogram(overall, SCORE_EDGES)},
        "fluency": describe(f.talk_mean("fluency_score") for f in figs),
        "vocabulary": describe(f.talk_mean("vocabulary_score") for f in figs),
        "grammar": describe(f.talk_mean("grammar_score") for f in figs),
        "relevance": describe(f.talk_mean("relevance_score") for f in figs),
        "structure": describe(f.talk_mean("structure_score") for f in figs),
        "pronunciation": {
            **describe(f.pron for f in figs),
            "histogram": histogram((f.pron for f in figs), SCORE_EDGES),
        },
    }


def daily_series(figs: list[StudentFigures], period: Period, calendar: SchoolCalendar | None = None) -> dict:
    """Class means per day (per week for periods over 31 days) for the trend lines."""
    step = 1 if period.days <= 31 else 7
    buckets: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for f in figs:
        for row in f.rows:
            index = (period.local_day(row.started_at) - period.first).days // step
            bucket = buckets[index]
            bucket["sessions"].append(1)
            if row.kind == "impromptu":
                bucket["overall"].append(row.headline)
                bucket["wpm"].append(row.words_per_minute)
            else:
                bucket["pronunciation"].append(row.headline)
    count = (period.days + step - 1) // step
    days = [period.first + timedelta(days=i * step) for i in range(count)]
    labels = [day.isoformat() for day in days]
    pick = lambda name, places=1: [  # noqa: E731
        None if mean(buckets[i][name]) is None else round(mean(buckets[i][name]), places) for i in range(count)
    ]
    return {
        "step_days": step,
        "labels": labels,
        # The same days as the school writes them, for chart axes.
        "label_texts": [calendar.short_date_text(day) for day in days] if calendar else labels,
        "overall": pick("overall"),
        "words_per_minute": pick("wpm"),
        "pronunciation": pick("pronunciation"),
        "sessions": [len(buckets[i]["sessions"]) for i in range(count)],
    }
