"""Cached class reports: one row per class and period, dropped whenever a figure in them changes.

A session finishing, a teacher's override or comment, a curriculum edit and a student joining
or leaving drop the class's rows (``invalidate_for_session``, ``invalidate_class_summary``), in
the same transaction as the change, so the next page load computes afresh. A cached row is
also ignored when it is older than CACHE_TTL or than the class's latest finished session,
which covers a session finishing while a report was being computed.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, Mapping

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import Classroom, ClassSummaryCache, Enrolment, PracticeSession, SessionStatus, utcnow

from .narrative import local_narrative
from .narrative_openai import OpenAINarrator
from .periods import Period
from .summary import SUMMARY_VERSION, build_summary

CACHE_TTL = timedelta(minutes=10)


def period_key(period: Period) -> str:
    # The version makes a deploy with a new summary shape ignore old payloads.
    return f"v{SUMMARY_VERSION}:{period.key}"


def class_report(classroom: Classroom, period: Period, config: Mapping[str, Any]) -> dict:
    """Summary plus narrative for *period*: the cached copy when fresh, else computed and cached.

    Adds rows to the session but does not commit; the caller does.
    """
    started = utcnow()
    row = db.session.scalar(
        select(ClassSummaryCache)
        .where(ClassSummaryCache.class_id == classroom.id, ClassSummaryCache.period_key == period_key(period))
        .order_by(ClassSummaryCache.computed_at.desc())
        .limit(1)
    )
    if row is not None and _fresh(row, classroom.id, started):
        return {**json.loads(row.payload), "cache": {"hit": True, "computed_at": row.computed_at.isoformat()}}
    report = build_summary(classroom, period)
    report["narrative"] = write_narrative(report, config)
    db.session.execute(
        delete(ClassSummaryCache).where(
            ClassSummaryCache.class_id == classroom.id, ClassSummaryCache.period_key == period_key(period)
        )
    )
    db.session.add(
        ClassSummaryCache(
            class_id=classroom.id, period_key=period_key(period), payload=json.dumps(report), computed_at=started
        )
    )
    return {**report, "cache": {"hit": False, "computed_at": started.isoformat()}}


def write_narrative(summary: dict, config: Mapping[str, Any]) -> dict:
    """The narrative for *summary*; never raises. Uses OpenAI only when OPENAI_API_KEY is set."""
    if not config["OPENAI_API_KEY"] or summary.get("empty"):
        return {**local_narrative(summary), "writer": "local"}
    return OpenAINarrator.from_config(config).write(summary)


def _fresh(row: ClassSummaryCache, class_id: int, now) -> bool:
    if now - row.computed_at > CACHE_TTL:
        return False
    latest = db.session.scalar(
        select(func.max(PracticeSession.finished_at)).where(
            PracticeSession.class_id == class_id, PracticeSession.status == SessionStatus.DONE.value
        )
    )
    return latest is None or latest <= row.computed_at


def invalidate_class_summary(class_id: int | None) -> int:
    """Drop every cached report of the class; returns how many. Does not commit."""
    if class_id is None:
        return 0
    result = db.session.execute(delete(ClassSummaryCache).where(ClassSummaryCache.class_id == class_id))
    return result.rowcount or 0


def invalidate_for_session(session: PracticeSession) -> int:
    """Drop the cached reports of every class whose figures count *session*: its own class and,
    for unassigned practice, each class of its student (app/practice/visibility.py).
    Does not commit."""
    class_ids = {session.class_id} if session.class_id is not None else set()
    if session.class_id is None and session.student_id is not None:
        enrolled = select(Enrolment.class_id).where(Enrolment.student_id == session.student_id)
        class_ids |= set(db.session.scalars(enrolled))
    return sum(invalidate_class_summary(class_id) for class_id in class_ids)


def on_report_stored(session: PracticeSession) -> None:
    """After-report hook: the analysis is already committed, so this owns its own small transaction.

    A failure here must not fail the analysis; the freshness check in
    class_report catches the stale row anyway.
    """
    try:
        invalidate_for_session(session)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("could not drop cached class summary for class %s", session.class_id, exc_info=True)
