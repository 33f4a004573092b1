"""The class report as CSV: one row per student with their figures for the period.

The latest scores, trends and counts are the roster's (app/practice/figures.py); dates are in the
school's time zone and format (app/dates.py).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from app.dates import SchoolCalendar

COLUMNS = (
    ("name", "Student"),
    ("sessions", "Finished sessions"),
    ("talks", "Speeches"),
    ("readings", "Readings"),
    ("minutes", "Minutes spoken"),
    ("figures.impromptu.latest_score", "Latest speech score"),
    ("figures.impromptu.trend_change", "Speech trend (points against the speeches before it)"),
    ("figures.pronunciation.latest_score", "Latest reading score"),
    ("figures.pronunciation.trend_change", "Reading trend (points against the readings before it)"),
    ("overall", "Average speech score"),
    ("fluency", "Fluency"),
    ("vocabulary", "Vocabulary"),
    ("grammar", "Grammar"),
    ("relevance", "Relevance"),
    ("words_per_minute", "Words per minute"),
    ("fillers_per_minute", "Fillers per minute"),
    ("fillers_per_100_words", "Fillers per 100 words"),
    ("long_pauses_per_minute", "Long pauses per minute"),
    ("lexical_diversity", "Word variety (higher means fewer repeated words)"),
    ("vocabulary_level", "Vocabulary level"),
    ("pronunciation", "Average reading score"),
    ("accuracy", "Pronunciation accuracy"),
    ("prosody", "Prosody"),
    ("last_practised", "Last practised"),
)
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _value(student: dict, key: str, calendar: SchoolCalendar):
    value = student
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if key == "last_practised" and value:
        return calendar.datetime_text(datetime.fromisoformat(value))
    return value


def students_csv(summary: dict, calendar: SchoolCalendar) -> str:
    """CSV text (with a header row) of every enrolled student, plus why they need attention if they do."""
    reasons = {a["id"]: " ".join(r["text"] for r in a["reasons"]) for a in summary["attention"]}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS] + ["Needs attention"])
    for student in summary["students"]:
        writer.writerow([_cell(_value(student, key, calendar)) for key, _ in COLUMNS]
                        + [_cell(reasons.get(student["id"], ""))])
    return out.getvalue()


def csv_filename(summary: dict) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in summary["class"]["name"]).strip("-").lower() or "class"
    return f"{safe[:40]}-report-{summary['period']['from']}-to-{summary['period']['to']}.csv"
