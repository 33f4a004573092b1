"""Read-only queries behind the teacher's pages: class cards, the roster and the live panel.

Each function runs a fixed number of queries whatever the number of students,
so a class of 35 costs the same as a class of 3. The figures (latest, trend, counts) are
app/practice/figures.py's; which sessions a class counts is app/practice/visibility.py's class_sessions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy import and_, distinct, func, or_, select

from app.dates import SchoolCalendar, Span
from app.extensions import db
from app.models import ACTIVE_ANALYSIS_STATUSES, Classroom, Enrolment, PracticeSession, SessionStatus, User, utcnow
from app.practice.figures import PracticeFigures, counted, figures_or_empty, in_period, sent, student_figures
from app.practice.visibility import class_sessions, visible_through, visible_to_class


@dataclass(frozen=True)
class ClassCard:
    classroom: Classroom
    students: int
    sessions_this_week: int  # counted sessions (app/practice/figures.py) of the class this week
    active_students_this_week: int


def class_cards(teacher: User, calendar: SchoolCalendar, *, archived: bool = False,
                now: datetime | None = None) -> list[ClassCard]:
    """The teacher's classes, newest first, with student counts and this week's activity (3 queries)."""
    query = select(Classroom).where(Classroom.teacher_id == teacher.id)
    query = query.where(Classroom.archived_at.is_not(None) if archived else Classroom.archived_at.is_(None))
    classes = list(db.session.scalars(query.order_by(Classroom.created_at.desc(), Classroom.id.desc())))
    ids = [c.id for c in classes]
    if not ids:
        return []
    students = dict(
        db.session.execute(
            select(Enrolment.class_id, func.count(Enrolment.id))
            .where(Enrolment.class_id.in_(ids))
            .group_by(Enrolment.class_id)
        ).all()
    )
    activity = {
        row.class_id: row
        for row in db.session.execute(
            select(
                Enrolment.class_id,
                func.count(PracticeSession.id).label("sessions"),
                func.count(distinct(PracticeSession.student_id)).label("active"),
            )
            .join(Classroom, Classroom.id == Enrolment.class_id)
            .join(PracticeSession, visible_through(Enrolment, Classroom))
            .where(Enrolment.class_id.in_(ids), *counted(), *in_period(calendar.week(now)))
            .group_by(Enrolment.class_id)
        )
    }
    return [
        ClassCard(
            c,
            students.get(c.id, 0),
            activity[c.id].sessions if c.id in activity else 0,
            activity[c.id].active if c.id in activity else 0,
        )
        for c in classes
    ]


@dataclass(frozen=True)
class RosterRow:
    student: User
    joined_at: datetime
    last_practice_at: datetime | None  # the last recording sent for analysis
    figures: PracticeFigures  # latest, trend and this week's count, per kind
    inactive: bool

    @property
    def sessions_this_week(self) -> int:
        return self.figures.sessions


def roster(classroom: Classroom, week: Span, now: datetime | None = None) -> list[RosterRow]:
    """Every student of the class with their practice figures for *week*, in four queries."""
    now = now or utcnow()
    people = db.session.execute(
        select(User, Enrolment.joined_at)
        .join(Enrolment, Enrolment.student_id == User.id)
        .where(Enrolment.class_id == classroom.id)
        .order_by(User.name, User.id)
    ).all()
    scope = class_sessions(classroom)
    last = _last_recordings(scope)
    figures = student_figures(scope, week)
    cutoff = now - timedelta(days=classroom.inactive_after_days)
    return [
        RosterRow(
            student=user,
            joined_at=joined_at,
            last_practice_at=last.get(user.id),
            figures=figures_or_empty(figures, user.id),
            # A student who joined recently has not had the chance to be inactive yet.
            inactive=(last.get(user.id) or joined_at) < cutoff,
        )
        for user, joined_at in people
    ]


def _last_recordings(scope) -> dict[int, datetime]:
    """Each student's last recording sent for analysis (opening the recorder is not practice)."""
    query = (
        scope.with_only_columns(PracticeSession.student_id, func.max(PracticeSession.started_at))
        .where(*sent())
        .group_by(PracticeSession.student_id)
    )
    return dict(db.session.execute(query).all())


SORT_KEYS = {
    "name": lambda r: r.student.name.lower(),
    "last": lambda r: r.last_practice_at.timestamp() if r.last_practice_at else None,
    "week": lambda r: r.sessions_this_week,
    "speech": lambda r: r.figures.speech.latest_score,
    "speech_trend": lambda r: r.figures.speech.trend_change,
    "reading": lambda r: r.figures.reading.latest_score,
    "reading_trend": lambda r: r.figures.reading.trend_change,
    "status": lambda r: int(r.inactive),
}


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``"-latest"`` → ("latest", descending); unknown keys fall back to the name."""
    value = (value or "name").strip()
    key = value.lstrip("-")
    return (key, value.startswith("-")) if key in SORT_KEYS else ("name", False)


def sort_roster(rows: list[RosterRow], key: str, descending: bool) -> list[RosterRow]:
    """Sort by *key* (ties by name); students with no figure stay at the bottom either way."""
    by = SORT_KEYS[key]
    present = sorted((r for r in rows if by(r) is not None), key=lambda r: r.student.name.lower())
    present.sort(key=by, reverse=descending)  # stable, so equal values keep name order
    missing = sorted((r for r in rows if by(r) is None), key=lambda r: r.student.name.lower())
    return present + missing


# The live panel's states: what the student is doing, in the teacher's words.
LIVE_STATES = {
    "recording": "recording now",  # audio parts are arriving
    "on_page": "on the practice page",  # the recorder is open, no audio yet
    "analysing": "submitted, being analysed",
}


@dataclass(frozen=True)
class LiveEntry:
    session: PracticeSession
    student: User
    state: str  # a key of LIVE_STATES
    since: datetime  # when this state began: its own timer
    elapsed_seconds: int  # in this state
    stuck_after_seconds: int | None  # None: this state is never "may be stuck" (a student reading the prompt)

    @property
    def stuck(self) -> bool:
        return self.stuck_after_seconds is not None and self.elapsed_seconds > self.stuck_after_seconds

    @property
    def state_words(self) -> str:
        return LIVE_STATES[self.state]

    def to_json(self) -> dict:
        return {
            "session_id": self.session.id,
            "student": {"id": self.student.id, "name": self.student.name},
            "kind": self.session.kind,
            "topic": self.session.prompt_title or None,
            "state": self.state,
            "state_words": self.state_words,
            "since": self.since.isoformat(),
            "started_at": self.session.started_at.isoformat(),
            "elapsed_seconds": self.elapsed_seconds,
            "planned_seconds": self.session.planned_seconds,
            "stuck_after_seconds": self.stuck_after_seconds,
            "stuck": self.stuck,
        }


# A session with no planned length (free practice) is given this much before it looks stuck.
DEFAULT_PLANNED_SECONDS = 90


def live_sessions(classroom: Classroom, config: Mapping, now: datetime | None = None) -> list[LiveEntry]:
    """Students of the class recording, on the practice page or waiting for an analysis, longest first (one query).

    A recorder silent for RECORDER_IDLE_MINUTES was closed without a goodbye: it is not listed,
    even before the worker's sweep marks it abandoned. A recording looks stuck after
    LIVE_STUCK_FACTOR times its planned length, an analysis after LIVE_ANALYSIS_STUCK_MINUTES;
    a student only on the page never does.
    """
    now = now or utcnow()
    heard_since = now - timedelta(minutes=config["RECORDER_IDLE_MINUTES"])
    open_recorder = and_(PracticeSession.status == SessionStatus.IN_PROGRESS.value,
                         PracticeSession.last_seen_at >= heard_since)
    rows = db.session.execute(
        select(PracticeSession, User)
        .join(User, User.id == PracticeSession.student_id)
        .where(visible_to_class(classroom.id),
               or_(open_recorder, PracticeSession.status.in_(ACTIVE_ANALYSIS_STATUSES)))
        .order_by(PracticeSession.started_at, PracticeSession.id)
    ).all()
    return [_live_entry(session, student, config, now) for session, student in rows]


def _live_entry(session: PracticeSession, student: User, config: Mapping, now: datetime) -> LiveEntry:
    if session.status in ACTIVE_ANALYSIS_STATUSES:
        state, since = "analysing", session.submitted_at or session.started_at
        stuck_after = 60 * config["LIVE_ANALYSIS_STUCK_MINUTES"]
    elif session.parts_received > 0:
        state, since = "recording", session.started_at
        stuck_after = int(config["LIVE_STUCK_FACTOR"] * (session.planned_seconds or DEFAULT_PLANNED_SECONDS))
    else:
        state, since, stuck_after = "on_page", session.started_at, None
    return LiveEntry(session, student, state, since, max(0, int((now - since).total_seconds())), stuck_after)
