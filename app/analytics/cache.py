"""Cached class reports: one row per class and period, dropped when a session of the class finishes.

A cached row is also ignored when it is older than CACHE_TTL (teacher overrides,
roster and curriculum edits do not invalidate it) or older than the class's
latest finished session, which covers a session finishing while a report was
being computed.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, Mapping

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import Classroom, ClassSummaryCache, PracticeSession, SessionStatus, utcnow

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


def on_report_stored(session: PracticeSession) -> None:
    """After-report hook: the analysis is already committed, so this owns its own small transaction.

    A failure here must not fail the analysis; the freshness check in
    class_report catches the stale row anyway.
    """
    try:
        invalidate_class_summary(session.class_id)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("could not drop cached class summary for class %s", session.class_id, exc_info=True)
