"""The class report as CSV: one row per student with their figures for the period."""

from __future__ import annotations

import csv
import io

COLUMNS = (
    ("name", "Student"),
    ("sessions", "Sessions"),
    ("talks", "Talks"),
    ("readings", "Readings"),
    ("minutes", "Minutes spoken"),
    ("overall", "Average talk score"),
    ("overall_change", "Change vs previous period"),
    ("fluency", "Fluency"),
    ("vocabulary", "Vocabulary"),
    ("grammar", "Grammar"),
    ("relevance", "Relevance"),
    ("words_per_minute", "Words per minute"),
    ("fillers_per_minute", "Fillers per minute"),
    ("fillers_per_100_words", "Fillers per 100 words"),
    ("long_pauses_per_minute", "Long pauses per minute"),
    ("lexical_diversity", "Lexical diversity (MTLD)"),
    ("vocabulary_level", "Vocabulary level"),
    ("pronunciation", "Average reading score"),
    ("accuracy", "Pronunciation accuracy"),
    ("prosody", "Prosody"),
    ("last_practised", "Last practised (UTC)"),
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


def students_csv(summary: dict) -> str:
    """CSV text (with a header row) of every enrolled student, plus why they need attention if they do."""
    reasons = {a["id"]: " ".join(r["text"] for r in a["reasons"]) for a in summary["attention"]}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS] + ["Needs attention"])
    for student in summary["students"]:
        writer.writerow([_cell(student.get(key)) for key, _ in COLUMNS] + [_cell(reasons.get(student["id"], ""))])
    return out.getvalue()


def csv_filename(summary: dict) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in summary["class"]["name"]).strip("-").lower() or "class"
    return f"{safe[:40]}-report-{summary['period']['from']}-to-{summary['period']['to']}.csv"
