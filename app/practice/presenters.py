"""How a practice session looks to its student over JSON: status for polling, detail with the report."""
from __future__ import annotations

from typing import Any

from flask import url_for

from app.models import PracticeSession, SessionStatus

from .queries import queue_position
from .recorder import client_upload_id
from .recordings import has_audio

# Where the analysis is, in words a child understands, and how far along the bar is.
STATUS_STAGES: dict[str, tuple[str, int]] = {
    SessionStatus.IN_PROGRESS.value: ("Recording — not sent yet", 0),
    SessionStatus.SUBMITTED.value: ("Waiting in the queue", 15),
    SessionStatus.TRANSCRIBING.value: ("Listening to your speech", 45),
    SessionStatus.SCORING.value: ("Working out your scores", 80),
    SessionStatus.DONE.value: ("Your report is ready", 100),
    SessionStatus.FAILED.value: ("We couldn't finish this one", 100),
    SessionStatus.ABANDONED.value: ("Not submitted", 0),
}


def status_json(session: PracticeSession) -> dict[str, Any]:
    label, percent = STATUS_STAGES.get(session.status, (session.status, 0))
    position = queue_position(session)
    if position is not None:
        label = f"{label} — number {position}" if position > 1 else f"{label} — you're next"
    return {
        "session_id": session.id,
        "status": session.status,
        "stage": label,
        "percent": percent,
        "queue_position": position,
        "finished": session.is_finished,
        "error": {"code": session.error_code, "message": session.error_message} if session.error_code else None,
        "can_retry": session.status == SessionStatus.FAILED.value and has_audio(session),
        "report_url": url_for("student.report", session_id=session.id),
    }


def session_json(session: PracticeSession) -> dict[str, Any]:
    """One session with everything its student may see: the prompt, report, audio and the teacher's review."""
    return {
        **session.headline_json(),
        "prompt": {"title": session.prompt_title, "text": session.prompt_text},
        "planned_seconds": session.planned_seconds,
        "upload_id": client_upload_id(session) if session.submitted_at is None else None,
        "parts_received": session.parts_received,
        "queue_position": queue_position(session),
        "transcript": session.transcript,
        "report": session.student_report,
        "audio_url": url_for("student.audio", session_id=session.id) if has_audio(session) else None,
        "report_url": url_for("student.report", session_id=session.id),
        "teacher_review": {
            "override_score": session.override_score,
            "override_reason": session.override_reason,
            "comments": [
                {"author": c.author.name, "body": c.body, "created_at": c.created_at.isoformat()}
                for c in session.comments
            ],
        },
    }
