"""Reading a batch job back: its items, status, results and the CSV export (fetch the job with own_job_or_404)."""
from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import BatchJob, PracticeSession, SessionKind, SessionStatus, User
from app.practice.report_view import score_value

from .services import derive_status, job_counts

ITEM_STATES = {
    SessionStatus.SUBMITTED.value: "queued",
    SessionStatus.TRANSCRIBING.value: "running",
    SessionStatus.SCORING.value: "running",
    SessionStatus.DONE.value: "done",
    SessionStatus.FAILED.value: "failed",
}
SCORE_COLUMNS = {
    SessionKind.IMPROMPTU.value: ("overall_score", "fluency_score", "vocabulary_score", "grammar_score",
                                  "relevance_score", "words_per_minute", "fillers_per_minute"),
    SessionKind.PRONUNCIATION.value: ("pron_score", "accuracy_score", "pron_fluency_score", "completeness_score",
                                      "prosody_score"),
}


def recent_jobs(owner: User, limit: int = 10) -> list[BatchJob]:
    return list(db.session.scalars(
        select(BatchJob).where(BatchJob.owner_id == owner.id).order_by(BatchJob.created_at.desc()).limit(limit)
    ))


def items(job: BatchJob) -> list[PracticeSession]:
    return list(db.session.scalars(
        select(PracticeSession).options(selectinload(PracticeSession.student))
        .where(PracticeSession.batch_job_id == job.id).order_by(PracticeSession.id)
    ))


def job_status_json(job: BatchJob) -> dict[str, Any]:
    """Progress as the page polls it; figures come from the sessions, so they are never stale."""
    counts = job_counts(job.id)
    return {
        "job_id": job.id,
        "kind": job.kind,
        "status": derive_status(counts),
        "total": sum(counts.values()),
        "done": counts.get(SessionStatus.DONE.value, 0),
        "failed": counts.get(SessionStatus.FAILED.value, 0),
        "created_at": job.created_at.isoformat(),
        "items": [item_state(s) for s in items(job)],
    }


def item_state(session: PracticeSession) -> dict[str, Any]:
    return {
        "id": session.id,
        "filename": session.batch_filename,
        "status": ITEM_STATES.get(session.status, session.status),
        "stage": session.status,
        "student": {"id": session.student.id, "name": session.student.name} if session.student else None,
        # False while the student is only proposed (from the file name): they do not see it yet.
        "match_confirmed": session.match_confirmed_at is not None,
        "error": session.error_message if session.status == SessionStatus.FAILED.value else None,
    }


def results_json(job: BatchJob, report_url) -> dict[str, Any]:
    """Every file's report, or its error; *report_url(session)* links the human-readable page."""
    return {**job_status_json(job), "items": [_item_result(s, report_url) for s in items(job)]}


def _item_result(session: PracticeSession, report_url) -> dict[str, Any]:
    done = session.status == SessionStatus.DONE.value
    return {
        **item_state(session),
        "score": session.headline_score,
        "report": session.report if done else None,
        "report_url": report_url(session),
        "error": {"code": session.error_code, "message": session.error_message} if session.error_code else None,
    }


def results_as_csv(job: BatchJob, report_url) -> str:
    """One row per file with its headline figures; cells that a spreadsheet would run as formulas are quoted."""
    columns = SCORE_COLUMNS[job.kind]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["filename", "student", "status", *columns, "transcript", "error", "report_url"])
    for session in items(job):
        writer.writerow([_cell(v) for v in (
            session.batch_filename,
            session.student.name if session.student else "",
            ITEM_STATES.get(session.status, session.status),
            *(_number(column_value(session, c)) for c in columns),
            session.transcript or "",
            session.error_message or "",
            report_url(session),
        )])
    return out.getvalue()


REPORT_KEYS = {
    "overall_score": "overall", "fluency_score": "fluency", "vocabulary_score": "vocabulary",
    "grammar_score": "grammar", "relevance_score": "relevance", "pron_score": "PronScore",
    "accuracy_score": "AccuracyScore", "pron_fluency_score": "FluencyScore",
    "completeness_score": "CompletenessScore", "prosody_score": "ProsodyScore",
}


def column_value(session: PracticeSession, column: str) -> float | None:
    """A headline figure: the session's column, else the report itself (scores are {"score"} or {"value"} dicts)."""
    value = getattr(session, column)
    if value is not None or not session.report or column not in REPORT_KEYS:
        return value
    key = REPORT_KEYS[column]
    return score_value(session.report.get(key, session.report.get("scores", {}).get(key)))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _cell(value: str) -> str:
    # A file name like "=HYPERLINK(...)" must stay text when a teacher opens the export in a spreadsheet.
    return "'" + value if value and value[0] in "=+-@\t\r" else value


ITEM_SCORES = {
    SessionKind.IMPROMPTU.value: (("Overall", "overall_score"), ("Fluency", "fluency_score"),
                                  ("Vocabulary", "vocabulary_score"), ("Grammar", "grammar_score")),
    SessionKind.PRONUNCIATION.value: (("Pronunciation", "pron_score"), ("Accuracy", "accuracy_score"),
                                      ("Fluency", "pron_fluency_score"), ("Completeness", "completeness_score")),
}


def item_view(session: PracticeSession) -> dict[str, Any]:
    """What the item page shows: score tiles, feedback and (for readings) the words, from the stored report."""
    report = session.report or {}
    return {
        "scores": [(label, column_value(session, column)) for label, column in ITEM_SCORES[session.kind]],
        "feedback": report.get("feedback") if isinstance(report.get("feedback"), dict) else None,
        "words": [w for w in report.get("Words", []) if isinstance(w, dict)],
    }
