"""One row of figures per student for the period: the unit every class figure is built from.

Class averages are means of these per-student means, so a student who practised
thirty times counts as much as one who practised twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from app.practice.figures import PracticeFigures

from .queries import SessionRow, Student
from .stats import mean
from .tutorials import LEVELS


def fillers_per_100(row: SessionRow) -> float | None:
    """From the report's metrics; reports without the figure: fillers per minute over words per minute."""
    if row.metrics is None:
        return None  # no report details read for this session
    value = row.metrics.get("fillers_per_100_words")
    if value is not None:
        return float(value)
    if row.fillers_per_minute is not None and row.words_per_minute:
        return 100.0 * row.fillers_per_minute / row.words_per_minute
    return None


def long_pauses_per_minute(row: SessionRow) -> float | None:
    metrics = row.metrics or {}
    count, seconds = metrics.get("long_pause_count"), metrics.get("duration") or row.audio_seconds
    return 60.0 * count / seconds if count is not None and seconds else None


@dataclass
class StudentFigures:
    student: Student
    rows: list[SessionRow] = field(default_factory=list)
    previous: dict[str, tuple[float, int]] = field(default_factory=dict)
    # Latest score, trend and the period's count per kind: the roster's figures (app/practice/figures.py).
    practice: PracticeFigures | None = None

    @cached_property
    def talks(self) -> list[SessionRow]:
        # Cached: read dozens of times per student, and rows are all added before the first read.
        return [r for r in self.rows if r.kind == "impromptu"]

    @cached_property
    def readings(self) -> list[SessionRow]:
        return [r for r in self.rows if r.kind == "pronunciation"]

    def talk_mean(self, attr: str) -> float | None:
        return mean(getattr(r, attr) for r in self.talks)

    def reading_mean(self, attr: str) -> float | None:
        return mean(getattr(r, attr) for r in self.readings)

    @property
    def overall(self) -> float | None:
        return mean(r.headline for r in self.talks)

    @property
    def pron(self) -> float | None:
        return mean(r.headline for r in self.readings)

    @property
    def minutes(self) -> float:
        return sum(r.audio_seconds or 0.0 for r in self.rows) / 60.0

    def metric_mean(self, key: str) -> float | None:
        return mean((r.metrics or {}).get(key) for r in self.talks)

    @property
    def fillers_per_100(self) -> float | None:
        return mean(fillers_per_100(r) for r in self.talks)

    @property
    def long_pauses_per_minute(self) -> float | None:
        return mean(long_pauses_per_minute(r) for r in self.talks)

    @property
    def level(self) -> str | None:
        """The CEFR level heard most often; ties go to the higher level."""
        counts = Counter((r.metrics or {}).get("approx_level") for r in self.talks)
        counts.pop(None, None)
        if not counts:
            return None
        return max(counts, key=lambda lv: (counts[lv], LEVELS.index(lv) if lv in LEVELS else -1))

    def previous_mean(self, column: str) -> float | None:
        total, count = self.previous.get(column, (0.0, 0))
        return total / count if count else None

    @property
    def figures(self) -> PracticeFigures:
        return self.practice or PracticeFigures(self.student.id)

    @property
    def last_started_at(self) -> Any:
        return self.rows[-1].started_at if self.rows else None

    def to_json(self) -> dict:
        r = lambda v, p=1: None if v is None else round(v, p)  # noqa: E731
        return {
            "id": self.student.id,
            "name": self.student.name,
            "sessions": len(self.rows),
            "talks": len(self.talks),
            "readings": len(self.readings),
            "minutes": r(self.minutes),
            "overall": r(self.overall),
            "figures": self.figures.to_json(),
            "fluency": r(self.talk_mean("fluency_score")),
            "vocabulary": r(self.talk_mean("vocabulary_score")),
            "grammar": r(self.talk_mean("grammar_score")),
            "relevance": r(self.talk_mean("relevance_score")),
            "words_per_minute": r(self.talk_mean("words_per_minute")),
            "fillers_per_minute": r(self.talk_mean("fillers_per_minute"), 2),
            "fillers_per_100_words": r(self.fillers_per_100, 2),
            "long_pauses_per_minute": r(self.long_pauses_per_minute, 2),
            "lexical_diversity": r(self.metric_mean("mtld")),
            "vocabulary_level": self.level,
            "pronunciation": r(self.pron),
            "accuracy": r(self.reading_mean("accuracy_score")),
            "prosody": r(self.reading_mean("prosody_score")),
            "last_practised": self.last_started_at.isoformat() if self.last_started_at else None,
        }


def figures_for(
    students: list[Student], rows: list[SessionRow], previous: dict[int, dict[str, tuple[float, int]]],
    practice: dict[int, PracticeFigures] | None = None,
) -> list[StudentFigures]:
    """Figures for every enrolled student, in roster order; sessions of former members are left out."""
    practice = practice or {}
    by_id = {s.id: StudentFigures(s, previous=previous.get(s.id, {}), practice=practice.get(s.id)) for s in students}
    for row in rows:
        if row.student_id in by_id:
            by_id[row.student_id].rows.append(row)
    return list(by_id.values())
