"""The practice figures every page shows: each student's latest score, trend and sessions in a period.

One definition, used by the roster, the class cards, My Progress, the teacher's view of a student,
the class report, the summary API, ``/api/me/sessions``, the CSV export and the charts:

* A session **counts** once it was analysed and has a score: ``status`` is done and
  ``PracticeSession.headline_score`` (the teacher's override, else the automatic score) is set.
  Failed, abandoned, still-open and unscored sessions never count.
* Figures are **per kind** (``impromptu`` speeches, ``pronunciation`` readings); a figure mixing
  the two (the number of sessions in a period) says so in its label.
* **Latest**: the headline score of the most recent counted session of that kind.
* **Trend**: the latest score against the mean of the up to ``TREND_WINDOW`` counted sessions of
  that kind just before it; a difference under ``TREND_MARGIN`` points is "steady".
* **Sessions in a period**: counted sessions started in it (weeks and days in the school's time
  zone, app/dates.py).
* **Shown whole**, a figure is rounded half up (``app.analysis.rounding.whole``), on every page and in
  every sentence.

Who may see which sessions is decided elsewhere (app/auth/guards.py): every function here is
given a ``Select`` of the sessions in scope and adds only the rules above, so the two compose.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean
from typing import Any, Protocol

from sqlalchemy import Select, func, select

from app.analysis.wording import plural
from app.extensions import db
from app.models import SESSION_KINDS, PracticeSession, SessionKind, SessionStatus

P = PracticeSession
IMPROMPTU, PRONUNCIATION = SessionKind.IMPROMPTU.value, SessionKind.PRONUNCIATION.value
# The trend compares the latest score with the mean of this many sessions before it.
TREND_WINDOW = 3
# A change smaller than this many points is noise: "steady".
TREND_MARGIN = 3.0
# What each kind is called when counted.
KIND_NOUNS = {IMPROMPTU: ("speech", "speeches"), PRONUNCIATION: ("reading", "readings")}
TREND_WORDS = {"up": "improving", "down": "dropping", "flat": "steady", "none": "not enough sessions yet"}
COUNTED_LABEL = "finished sessions (speeches and readings that were analysed and scored)"
TREND_RULE = (f"the latest score against the average of the up to {TREND_WINDOW} sessions of the same kind "
              f"before it; a change under {TREND_MARGIN:g} points is steady, and a teacher's score counts "
              "in place of the automatic one")


class Period(Protocol):
    """Anything with a UTC start (inclusive) and end (exclusive): a week, a report's days."""

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...


def counted():
    """The where-clause of a counted session: analysed, with a headline score."""
    return (P.status == SessionStatus.DONE.value, P.headline_score.is_not(None))


# Recordings that were never sent (a recorder still open, or left) are not practice yet.
NOT_SENT_STATUSES = (SessionStatus.IN_PROGRESS.value, SessionStatus.ABANDONED.value)


def sent():
    """The where-clause of a session whose recording was sent for analysis (whatever came of it)."""
    return (P.status.not_in(NOT_SENT_STATUSES),)


def in_period(period: Period):
    """The where-clause of a session started in *period*."""
    return (P.started_at >= period.start, P.started_at < period.end)


def _ids(sessions: Select) -> Select:
    """The ids of *sessions*, whatever it selects and joins (never correlated with the outer query)."""
    return sessions.with_only_columns(P.id).order_by(None).correlate(None)


def counted_in(sessions: Select, period: Period) -> tuple:
    """The where-clause of a counted session of *sessions* started in *period*: what every list of a
    period's sessions (the class report, its CSV) is made of."""
    return (P.id.in_(_ids(sessions)), *counted(), *in_period(period))


def trend_of(change: float | None, margin: float = TREND_MARGIN) -> str:
    """"up", "down", "flat" or "none" for a latest-minus-earlier *change*: the one trend rule, for scores
    (TREND_MARGIN) and for words correct per minute (norms.WCPM_TREND_MARGIN)."""
    if change is None:
        return "none"
    if change >= margin:
        return "up"
    if change <= -margin:
        return "down"
    return "flat"


@dataclass(frozen=True)
class KindFigures:
    kind: str
    latest_score: float | None = None
    latest_session_id: int | None = None
    latest_at: datetime | None = None
    earlier_scores: tuple[float, ...] = ()  # newest first, at most TREND_WINDOW
    sessions: int = 0  # counted sessions of this kind in the period

    @property
    def earlier_mean(self) -> float | None:
        return fmean(self.earlier_scores) if self.earlier_scores else None

    @property
    def trend_change(self) -> float | None:
        """Latest minus the mean of the sessions before it, to one decimal; None without both."""
        if self.latest_score is None or self.earlier_mean is None:
            return None
        return round(self.latest_score - self.earlier_mean, 1)

    @property
    def trend(self) -> str:
        """"up", "down", "flat" or "none"."""
        return trend_of(self.trend_change)

    @property
    def trend_words(self) -> str:
        return TREND_WORDS[self.trend]

    @property
    def compared_with(self) -> str:
        """What the trend compares with, in words: "the 3 speeches before it"."""
        singular, many = KIND_NOUNS[self.kind]
        count = len(self.earlier_scores)
        return f"the {singular} before it" if count == 1 else f"the {plural(count, singular, many)} before it"

    def to_json(self) -> dict[str, Any]:
        return {
            "latest_score": self.latest_score,
            "latest_session_id": self.latest_session_id,
            "latest_at": self.latest_at.isoformat() if self.latest_at else None,
            "trend": self.trend,
            "trend_change": self.trend_change,
            "trend_words": self.trend_words,
            "compared_with": self.compared_with,
            "compared_with_sessions": len(self.earlier_scores),
            "earlier_mean": None if self.earlier_mean is None else round(self.earlier_mean, 1),
            "sessions": self.sessions,
        }


@dataclass(frozen=True)
class PracticeFigures:
    """One student's figures, per kind, for one period."""

    student_id: int
    kinds: dict[str, KindFigures] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> KindFigures:
        return self.kinds.get(kind) or KindFigures(kind)

    @property
    def speech(self) -> KindFigures:
        return self[IMPROMPTU]

    @property
    def reading(self) -> KindFigures:
        return self[PRONUNCIATION]

    @property
    def sessions(self) -> int:
        """Counted sessions of every kind in the period (labelled as such wherever it is shown)."""
        return sum(self[kind].sessions for kind in SESSION_KINDS)

    def to_json(self) -> dict[str, Any]:
        return {"sessions": self.sessions, **{kind: self[kind].to_json() for kind in SESSION_KINDS}}


def student_figures(sessions: Select, period: Period) -> dict[int, PracticeFigures]:
    """Figures for every student with sessions in *sessions*, as of the end of *period* (two queries).

    Latest and trend look at counted sessions started before the period ends; the count at those
    started inside it. Students with nothing counted are absent: ``figures_or_empty`` fills them in.
    """
    ids = _ids(sessions)
    rank = func.row_number().over(partition_by=(P.student_id, P.kind), order_by=(P.started_at.desc(), P.id.desc()))
    ranked = (
        select(P.student_id, P.kind, P.id, P.started_at, P.headline_score.label("score"), rank.label("rank"))
        .where(P.id.in_(ids), *counted(), P.started_at < period.end)
        .subquery()
    )
    recent = db.session.execute(
        select(ranked).where(ranked.c.rank <= TREND_WINDOW + 1).order_by(ranked.c.student_id, ranked.c.rank)
    ).all()
    counts = db.session.execute(
        select(P.student_id, P.kind, func.count(P.id))
        .where(P.id.in_(ids), *counted(), *in_period(period))
        .group_by(P.student_id, P.kind)
    ).all()
    return _assemble(recent, {(student_id, kind): n for student_id, kind, n in counts})


def _assemble(recent, counts: dict[tuple[int, str], int]) -> dict[int, PracticeFigures]:
    rows: dict[tuple[int, str], list] = {}
    for row in recent:
        rows.setdefault((row.student_id, row.kind), []).append(row)
    out: dict[int, dict[str, KindFigures]] = {}
    for key in set(rows) | set(counts):
        student_id, kind = key
        ranked = rows.get(key, [])
        latest = ranked[0] if ranked else None
        out.setdefault(student_id, {})[kind] = KindFigures(
            kind,
            latest_score=latest.score if latest else None,
            latest_session_id=latest.id if latest else None,
            latest_at=latest.started_at if latest else None,
            earlier_scores=tuple(r.score for r in ranked[1:]),
            sessions=counts.get(key, 0),
        )
    return {student_id: PracticeFigures(student_id, kinds) for student_id, kinds in out.items()}


def figures_or_empty(figures: dict[int, PracticeFigures], student_id: int) -> PracticeFigures:
    return figures.get(student_id) or PracticeFigures(student_id)


def one_student(sessions: Select, student_id: int, period: Period) -> PracticeFigures:
    """The figures of one student (*sessions* already narrowed to theirs, or not)."""
    return figures_or_empty(student_figures(sessions.where(P.student_id == student_id), period), student_id)
