"""The class page's reading fluency table: each student's latest words correct per minute (WCPM),
accuracy rate and trend, and the grade-level norms beside it when the class has them on.

Figures come from the session columns (words_correct_per_minute, accuracy_rate), which a
teacher's review of a reading updates, so the table always shows the reviewed result.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.analysis import norms
from app.extensions import db
from app.models import Classroom, Enrolment, PracticeSession, SessionKind, User
from app.practice.figures import TREND_WINDOW, counted, trend_of
from app.practice.visibility import class_sessions


@dataclass(frozen=True)
class ReadingRow:
    student: User
    readings: int
    latest_wcpm: float | None
    latest_accuracy: float | None
    latest_at: datetime | None
    latest_session_id: int | None
    previous_average_wcpm: float | None

    @property
    def trend(self) -> str:
        """"up", "down", "flat" or "none": the latest WCPM against the average of the up to TREND_WINDOW
        readings before it, by the rule scores follow (WCPM has its own margin)."""
        return trend_of(self.trend_change, norms.WCPM_TREND_MARGIN)

    @property
    def trend_change(self) -> float | None:
        if self.latest_wcpm is None or self.previous_average_wcpm is None:
            return None
        return round(self.latest_wcpm - self.previous_average_wcpm, 1)


def reading_rows(classroom: Classroom) -> list[ReadingRow]:
    """Every student of the class with their reading fluency figures, in name order (two queries)."""
    students = list(db.session.scalars(
        select(User).join(Enrolment, Enrolment.student_id == User.id)
        .where(Enrolment.class_id == classroom.id).order_by(User.name, User.id)))
    readings = _scored_readings(classroom.id)
    rows = []
    for student in students:
        mine = readings.get(student.id, [])
        latest = mine[0] if mine else None
        earlier = [r.words_correct_per_minute for r in mine[1:TREND_WINDOW + 1]]
        rows.append(ReadingRow(
            student=student,
            readings=len(mine),
            latest_wcpm=latest.words_correct_per_minute if latest else None,
            latest_accuracy=latest.accuracy_rate if latest else None,
            latest_at=latest.started_at if latest else None,
            latest_session_id=latest.id if latest else None,
            previous_average_wcpm=sum(earlier) / len(earlier) if earlier else None,
        ))
    return rows


def _scored_readings(class_id: int) -> dict[int, list]:
    """{student_id: the counted readings with a WCPM that the class's teacher may see, newest first}."""
    query = (
        class_sessions(class_id)
        .with_only_columns(PracticeSession.student_id, PracticeSession.id, PracticeSession.started_at,
                           PracticeSession.words_correct_per_minute, PracticeSession.accuracy_rate)
        .where(
            PracticeSession.kind == SessionKind.PRONUNCIATION.value,
            *counted(),
            PracticeSession.words_correct_per_minute.is_not(None),
        )
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
    )
    out: dict[int, list] = {}
    for row in db.session.execute(query):
        out.setdefault(row.student_id, []).append(row)
    return out


@dataclass(frozen=True)
class NormsShown:
    """The published norms a class has turned on: the grade, its median WCPM per season, and the source."""

    grade: int
    medians: dict[str, int | None]
    percentile: int
    citation: str
    population: str


def norms_for(classroom: Classroom) -> NormsShown | None:
    """The grade-level norms to show beside the class's reading figures, or None when the class has them off."""
    grade = classroom.reading_norms_grade
    medians = norms.orf_medians(grade) if grade is not None else {}
    if not medians:
        return None
    table = norms.orf_norms()
    return NormsShown(grade, medians, norms.ORF_PERCENTILE_SHOWN, table["citation"], table["population"])
