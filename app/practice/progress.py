"""Read-only queries behind a student's progress: history, chart series, personal bests
and the "since last week" summary. Each is a fixed number of queries, whatever the history size.

Every function reads from *scope*, a Select of the sessions the viewer may see
(app/practice/visibility.py): all of them for the student, those of one class for its teacher.
So each part of a progress page shows the same sessions."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.analysis.norms import COMFORTABLE_WPM, pace_band, pace_range
from app.analysis.rounding import whole
from app.analysis.wording import plural
from app.dates import SchoolCalendar, calendar_of
from app.extensions import db
from app.models import SESSION_KINDS, PracticeSession, SessionKind, SessionStatus, User, utcnow

from .figures import KIND_NOUNS, PracticeFigures, counted, one_student

IMPROMPTU = SessionKind.IMPROMPTU.value
PRONUNCIATION = SessionKind.PRONUNCIATION.value
# Points per chart: enough to see a trend, few enough to read on a phone.
SERIES_LIMIT = 40
# Still-open recorders and never-submitted attempts are not history yet.
HIDDEN_STATUSES = (SessionStatus.IN_PROGRESS.value, SessionStatus.ABANDONED.value)


def history_query(scope: Select, kind: str | None = None) -> Select:
    """The past sessions in *scope*, newest first, optionally of one kind."""
    query = scope.where(PracticeSession.status.not_in(HIDDEN_STATUSES))
    if kind in SESSION_KINDS:
        query = query.where(PracticeSession.kind == kind)
    return query.order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())


def session_history(scope: Select, kind: str | None = None, page: int = 1, per_page: int = 10) -> Pagination:
    """One page of history; a page past the end is empty rather than a 404, so old links keep working."""
    return db.paginate(history_query(scope, kind), page=page, per_page=per_page, error_out=False, count=True)


# Words correct per minute, also drawn alone on a reading's result page.
WCPM_CHART = {
    "id": "wcpm", "title": "Reading fluency", "kind": PRONUNCIATION, "unit": "words correct per minute",
    "description": "Words read correctly per minute in each reading (after your teacher's check, if they "
                   "checked it); the table also gives the share of the passage read correctly.",
    "columns": [["wcpm", "Words correct per minute"], ["accuracy_rate", "Accuracy rate (%)"]],
}
# What each chart shows; the template draws a canvas and a data table per entry.
CHARTS = (
    {"id": "wpm", "title": "Speaking pace", "kind": IMPROMPTU, "unit": "words per minute",
     "description": f"Words per minute in each speech. The dashed lines mark the comfortable pace, "
                    f"{pace_range().replace('–', ' to ')}.",
     "columns": [["words_per_minute", "Words per minute"]]},
    {"id": "fillers", "title": "Fillers (um, uh…)", "kind": IMPROMPTU, "unit": "fillers per minute",
     "description": "Fillers per minute in each speech; lower is better.",
     "columns": [["fillers_per_minute", "Fillers per minute"]]},
    {"id": "overall", "title": "Speech score", "kind": IMPROMPTU, "unit": "score out of 100",
     "description": "Overall score of each speech (the teacher's score when they set one).",
     "columns": [["overall", "Score"]]},
    {"id": "pronunciation", "title": "Reading aloud scores", "kind": PRONUNCIATION, "unit": "score out of 100",
     "description": "The five scores of each reading aloud.",
     "columns": [["pron", "Pronunciation"], ["accuracy", "Accuracy"], ["fluency", "Fluency"],
                 ["completeness", "Completeness"], ["prosody", "Prosody"]]},
    WCPM_CHART,
)


def chart_series(scope: Select, calendar: SchoolCalendar, limit: int = SERIES_LIMIT) -> dict[str, Any]:
    """Oldest-to-newest figures of the finished sessions in *scope*, per kind, ready for Chart.js;
    the same sessions the figures count (a headline score), dated in the school's calendar."""
    _label = calendar.short_date_text
    impromptu = _recent_done(scope, IMPROMPTU, limit)
    pronunciation = _recent_done(scope, PRONUNCIATION, limit)
    return {
        "charts": CHARTS,
        "wpm_band": list(COMFORTABLE_WPM),
        "impromptu": {
            "ids": [s.id for s in impromptu],
            "labels": [_label(s.started_at) for s in impromptu],
            "words_per_minute": [_round(s.words_per_minute) for s in impromptu],
            "fillers_per_minute": [_round(s.fillers_per_minute) for s in impromptu],
            "overall": [_round(s.headline_score) for s in impromptu],
        },
        "pronunciation": {
            "ids": [s.id for s in pronunciation],
            "labels": [_label(s.started_at) for s in pronunciation],
            "pron": [_round(s.headline_score) for s in pronunciation],
            "accuracy": [_round(s.accuracy_score) for s in pronunciation],
            "fluency": [_round(s.pron_fluency_score) for s in pronunciation],
            "completeness": [_round(s.completeness_score) for s in pronunciation],
            "prosody": [_round(s.prosody_score) for s in pronunciation],
            **_fluency_figures(pronunciation),
        },
    }


def _fluency_figures(readings: list[PracticeSession]) -> dict[str, list[float | None]]:
    return {"wcpm": [_round(s.words_correct_per_minute) for s in readings],
            "accuracy_rate": [_round(s.accuracy_rate) for s in readings]}


def wcpm_series(scope: Select, calendar: SchoolCalendar, limit: int = SERIES_LIMIT) -> dict[str, Any]:
    """The reading fluency chart alone (for a reading's result page), in chart_series's shape."""
    readings = _recent_done(scope, PRONUNCIATION, limit)
    return {"charts": [WCPM_CHART], "pronunciation": {
        "ids": [s.id for s in readings], "labels": [calendar.short_date_text(s.started_at) for s in readings],
        **_fluency_figures(readings)}}


def _recent_done(scope: Select, kind: str, limit: int) -> list[PracticeSession]:
    query = (
        scope
        .where(PracticeSession.kind == kind, *counted())
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
        .limit(limit)
    )
    return list(reversed(db.session.scalars(query).all()))


@dataclass(frozen=True)
class Best:
    label: str
    value: float
    unit: str
    session_id: int
    kind: str
    at: datetime


# (label, unit, kind, expression, higher is better, decimals shown: scores read as whole numbers everywhere)
BEST_DEFINITIONS = (
    ("Best speech score", "/ 100", IMPROMPTU, PracticeSession.headline_score, True, 0),
    ("Fewest fillers", "per minute", IMPROMPTU, PracticeSession.fillers_per_minute, False, 1),
    ("Best pronunciation score", "/ 100", PRONUNCIATION, PracticeSession.headline_score, True, 0),
    ("Best accuracy", "/ 100", PRONUNCIATION, PracticeSession.accuracy_score, True, 0),
)


def personal_bests(scope: Select) -> list[Best]:
    """The best finished session in *scope* on each measure; measures with no data are left out.

    Ties go to the earliest session: that is when the record was set.
    """
    bests = []
    for label, unit, kind, expr, higher, decimals in BEST_DEFINITIONS:
        query = (
            scope.with_only_columns(PracticeSession.id, PracticeSession.started_at, expr.label("value"))
            .where(
                PracticeSession.kind == kind,
                PracticeSession.status == SessionStatus.DONE.value,
                expr.is_not(None),
            )
            .order_by(expr.desc() if higher else expr.asc(), PracticeSession.started_at, PracticeSession.id)
            .limit(1)
        )
        row = db.session.execute(query).first()
        if row is not None:
            value = round(row.value, decimals) if decimals else whole(row.value)
            bests.append(Best(label, value, unit, row.id, kind, row.started_at))
    return bests


@dataclass
class WeekFigures:
    sessions: int = 0
    score: float | None = None
    words_per_minute: float | None = None
    fillers_per_minute: float | None = None
    pron_score: float | None = None


@dataclass
class WeekSummary:
    this_week: WeekFigures
    last_week: WeekFigures
    sentences: list[str] = field(default_factory=list)


def since_last_week(scope: Select, now: datetime | None = None) -> WeekSummary:
    """Finished sessions in *scope* of the last 7 days against the 7 days before, with plain-English sentences."""
    now = now or utcnow()
    week_start, fortnight_start = now - timedelta(days=7), now - timedelta(days=14)
    rows = db.session.scalars(
        scope.where(
            PracticeSession.status == SessionStatus.DONE.value,
            PracticeSession.started_at >= fortnight_start,
            PracticeSession.started_at < now,
        )
    ).all()
    this = _figures([s for s in rows if s.started_at >= week_start])
    last = _figures([s for s in rows if s.started_at < week_start])
    return WeekSummary(this, last, _sentences(this, last))


def _figures(sessions: list[PracticeSession]) -> WeekFigures:
    impromptu = [s for s in sessions if s.kind == IMPROMPTU]
    pronunciation = [s for s in sessions if s.kind == PRONUNCIATION]
    return WeekFigures(
        sessions=len(sessions),
        score=_mean(s.headline_score for s in impromptu),
        words_per_minute=_mean(s.words_per_minute for s in impromptu),
        fillers_per_minute=_mean(s.fillers_per_minute for s in impromptu),
        pron_score=_mean(s.headline_score for s in pronunciation),
    )


def _sentences(this: WeekFigures, last: WeekFigures) -> list[str]:
    """The pace of the last 7 days; the scores and their trends are the figures' (figure_sentences)."""
    if this.words_per_minute is None:
        return []
    where = pace_band(this.words_per_minute)
    return [f"Your average pace in the last 7 days was {whole(this.words_per_minute)} words per minute, {where} the "
            f"comfortable {pace_range()}."]


def figure_sentences(figures: PracticeFigures) -> list[str]:
    """This week's count and each kind's latest score and trend, as the roster shows them."""
    lines = [f"{plural(figures.sessions, 'finished session')} this week (speeches and readings analysed and scored)."]
    for kind in (figures.speech, figures.reading):
        if kind.latest_score is None:
            continue
        noun = KIND_NOUNS[kind.kind][0]
        line = f"Latest {noun} score: {whole(kind.latest_score)}"
        if kind.trend_change is None:
            line += f" (a trend shows after two {KIND_NOUNS[kind.kind][1]})."
        else:
            line += f", {kind.trend_words} ({kind.trend_change:+.0f} against {kind.compared_with})."
        lines.append(line)
    return lines


def _mean(values) -> float | None:
    present = [v for v in values if v is not None]
    return round(fmean(present), 1) if present else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def progress_context(student: User, scope: Select, args, calendar: SchoolCalendar | None = None) -> dict[str, Any]:
    """Everything `student/_progress_body.html` needs except the caller's `readonly` and `session_url`,
    every part read from the same *scope*.

    *args* is the request's query string: `page` and `kind` (impromptu/pronunciation, anything else = all).
    *scope* is the sessions the viewer may see (app/practice/visibility.py: the student's own, or for a
    teacher those the class may see), so the latest score, trend and this week's count match the roster's.
    """
    kind = args.get("kind") if args.get("kind") in SESSION_KINDS else None
    calendar = calendar or calendar_of(student)
    figures = one_student(scope, student.id, calendar.week())
    return {
        "student": student,
        "kind": kind,
        "page": session_history(scope, kind, args.get("page", 1, type=int) or 1),
        "series": chart_series(scope, calendar),
        "bests": personal_bests(scope),
        "summary": since_last_week(scope),
        "figures": figures,
        "figure_sentences": figure_sentences(figures),
    }
