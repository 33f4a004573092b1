"""Read-only queries behind the teacher's pages: class cards, the roster and the live panel.

Each function runs a fixed number of queries whatever the number of students,
so a class of 35 costs the same as a class of 3.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy import and_, case, distinct, func, select

from app.extensions import db
from app.models import Classroom, Enrolment, PracticeSession, SessionStatus, User, utcnow
from app.practice.visibility import visible_through, visible_to_class

# A latest score this many points from the earlier average counts as a change, not noise.
TREND_MARGIN = 3.0
NOT_PRACTICE = (SessionStatus.ABANDONED.value,)


def week_start(now: datetime) -> datetime:
    """Monday 00:00 UTC of *now*'s week: "this week" as a school timetable reads it."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=now.weekday())


@dataclass(frozen=True)
class ClassCard:
    classroom: Classroom
    students: int
    sessions_this_week: int
    active_students_this_week: int


def class_cards(teacher: User, *, archived: bool = False, now: datetime | None = None) -> list[ClassCard]:
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
    since = week_start(now or utcnow())
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
            .where(
                Enrolment.class_id.in_(ids),
                PracticeSession.started_at >= since,
                PracticeSession.status.not_in(NOT_PRACTICE),
            )
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
    last_practice_at: datetime | None
    sessions_this_week: int
    scored_sessions: int
    latest_score: float | None
    latest_session_id: int | None
    average_score: float | None
    previous_average: float | None
    inactive: bool

    @property
    def trend(self) -> str:
        """"up", "down", "flat" or "none": the latest score against the average of the ones before it."""
        if self.latest_score is None or self.previous_average is None:
            return "none"
        change = self.latest_score - self.previous_average
        if change >= TREND_MARGIN:
            return "up"
        if change <= -TREND_MARGIN:
            return "down"
        return "flat"

    @property
    def trend_change(self) -> float | None:
        if self.latest_score is None or self.previous_average is None:
            return None
        return round(self.latest_score - self.previous_average, 1)


def roster(classroom: Classroom, now: datetime | None = None) -> list[RosterRow]:
    """Every student of the class with their practice figures, in three queries."""
    now = now or utcnow()
    people = db.session.execute(
        select(User, Enrolment.joined_at)
        .join(Enrolment, Enrolment.student_id == User.id)
        .where(Enrolment.class_id == classroom.id)
        .order_by(User.name, User.id)
    ).all()
    figures = _roster_figures(classroom.id, week_start(now))
    latest = _latest_scores(classroom.id)
    cutoff = now - timedelta(days=classroom.inactive_after_days)
    rows = []
    for user, joined_at in people:
        fig = figures.get(user.id)
        last_at = fig.last_practice_at if fig else None
        count = fig.scored if fig else 0
        latest_score, latest_id = latest.get(user.id, (None, None))
        previous = (fig.total - latest_score) / (count - 1) if fig and count > 1 and latest_score is not None else None
        rows.append(
            RosterRow(
                student=user,
                joined_at=joined_at,
                last_practice_at=last_at,
                sessions_this_week=fig.this_week if fig else 0,
                scored_sessions=count,
                latest_score=latest_score,
                latest_session_id=latest_id,
                average_score=(fig.total / count) if fig and count else None,
                previous_average=previous,
                # A student who joined recently has not had the chance to be inactive yet.
                inactive=(last_at or joined_at) < cutoff,
            )
        )
    return rows


def _roster_figures(class_id: int, since: datetime) -> dict[int, object]:
    scored = and_(PracticeSession.status == SessionStatus.DONE.value, PracticeSession.headline_score.is_not(None))
    query = (
        select(
            Enrolment.student_id,
            func.max(PracticeSession.started_at).label("last_practice_at"),
            func.sum(case((PracticeSession.started_at >= since, 1), else_=0)).label("this_week"),
            func.sum(case((scored, 1), else_=0)).label("scored"),
            func.sum(case((scored, PracticeSession.headline_score), else_=None)).label("total"),
        )
        .join(Classroom, Classroom.id == Enrolment.class_id)
        .join(PracticeSession, visible_through(Enrolment, Classroom))
        .where(Enrolment.class_id == class_id, PracticeSession.status.not_in(NOT_PRACTICE))
        .group_by(Enrolment.student_id)
    )
    return {row.student_id: row for row in db.session.execute(query)}


def _latest_scores(class_id: int) -> dict[int, tuple[float, int]]:
    """Each student's most recent scored session (a window function keeps this to one query)."""
    rank = (
        func.row_number()
        .over(
            partition_by=PracticeSession.student_id,
            order_by=(PracticeSession.started_at.desc(), PracticeSession.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(PracticeSession.student_id, PracticeSession.id, PracticeSession.headline_score.label("score"), rank)
        .where(visible_to_class(class_id), PracticeSession.status == SessionStatus.DONE.value,
               PracticeSession.headline_score.is_not(None))
        .subquery()
    )
    rows = db.session.execute(select(ranked.c.student_id, ranked.c.score, ranked.c.id).where(ranked.c.rank == 1))
    return {row.student_id: (row.score, row.id) for row in rows}


SORT_KEYS = {
    "name": lambda r: r.student.name.lower(),
    "last": lambda r: r.last_practice_at.timestamp() if r.last_practice_at else None,
    "week": lambda r: r.sessions_this_week,
    "latest": lambda r: r.latest_score,
    "average": lambda r: r.average_score,
    "trend": lambda r: r.trend_change,
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


@dataclass(frozen=True)
class LiveEntry:
    session: PracticeSession
    student: User
    elapsed_seconds: int
    stuck_after_seconds: int

    @property
    def stuck(self) -> bool:
        return self.elapsed_seconds > self.stuck_after_seconds

    def to_json(self) -> dict:
        return {
            "session_id": self.session.id,
            "student": {"id": self.student.id, "name": self.student.name},
            "kind": self.session.kind,
            "topic": self.session.prompt_title or None,
            "started_at": self.session.started_at.isoformat(),
            "elapsed_seconds": self.elapsed_seconds,
            "planned_seconds": self.session.planned_seconds,
            "stuck_after_seconds": self.stuck_after_seconds,
            "stuck": self.stuck,
        }


# A session with no planned length (free practice) is given this much before it looks stuck.
DEFAULT_PLANNED_SECONDS = 90


def live_sessions(classroom: Classroom, config: Mapping, now: datetime | None = None) -> list[LiveEntry]:
    """Students of the class with a recorder open right now, longest-running first (one query).

    A recorder silent for RECORDER_IDLE_MINUTES was closed without a goodbye: it is not listed,
    even before the worker's sweep marks it abandoned. Each entry looks stuck after
    LIVE_STUCK_FACTOR times its planned length.
    """
    now = now or utcnow()
    stuck_factor = config["LIVE_STUCK_FACTOR"]
    heard_since = now - timedelta(minutes=config["RECORDER_IDLE_MINUTES"])
    rows = db.session.execute(
        select(PracticeSession, User)
        .join(User, User.id == PracticeSession.student_id)
        .where(visible_to_class(classroom.id), PracticeSession.status == SessionStatus.IN_PROGRESS.value,
               PracticeSession.last_seen_at >= heard_since)
        .order_by(PracticeSession.started_at, PracticeSession.id)
    ).all()
    return [
        LiveEntry(
            session=session,
            student=student,
            elapsed_seconds=max(0, int((now - session.started_at).total_seconds())),
            stuck_after_seconds=int(stuck_factor * (session.planned_seconds or DEFAULT_PLANNED_SECONDS)),
        )
        for session, student in rows
    ]
