"""A student's data as one zip, on request: ``podium.json`` (the account, classes, sessions with their
transcripts and reports, teacher comments and overrides) and ``audio/`` with each recording still kept."""
from __future__ import annotations

import io
import json
import posixpath
import zipfile
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Enrolment, PracticeSession, User, utcnow
from app.practice.recordings import has_audio
from app.practice.visibility import own_sessions
from app.storage import storage


def export_name(student: User) -> str:
    return f"podium-export-{student.id}-{utcnow():%Y%m%d}.zip"


def student_export(student: User) -> bytes:
    """The zip of everything Podium keeps about *student*. Reads only."""
    sessions = db.session.scalars(
        own_sessions(student)
        .options(selectinload(PracticeSession.comments))
        .order_by(PracticeSession.started_at, PracticeSession.id)
    ).all()
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.student_id == student.id)).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = []
        for session in sessions:
            audio = _audio_name(session) if has_audio(session) else None
            if audio:
                with storage().open(session.audio_key) as handle, archive.open(audio, "w") as out:
                    while chunk := handle.read(1 << 16):
                        out.write(chunk)
            entries.append(_session_entry(session, audio))
        data = {
            "exported_at": utcnow().isoformat(),
            "account": student.to_json(),
            "classes": [
                {"id": e.class_id, "name": e.classroom.name, "teacher": e.classroom.teacher.name,
                 "joined_at": e.joined_at.isoformat()}
                for e in enrolments
            ],
            "sessions": entries,
        }
        archive.writestr("podium.json", json.dumps(data, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def _audio_name(session: PracticeSession) -> str:
    return f"audio/session-{session.id}-{posixpath.basename(session.audio_key)}"


def _session_entry(session: PracticeSession, audio: str | None) -> dict[str, Any]:
    return session.headline_json() | {
        "prompt": session.prompt_text,
        "transcript": session.transcript,
        # The student's copy: a class's teacher-only notes are about teaching the class, not the child's data.
        "report": session.student_report,
        "override": (
            {"score": session.override_score, "reason": session.override_reason}
            if session.override_score is not None else None
        ),
        "comments": [
            {"by": c.author.name, "at": c.created_at.isoformat(), "text": c.body} for c in session.comments
        ],
        "audio": audio,
        "audio_expires_at": session.audio_expires_at.isoformat() if session.audio_expires_at else None,
    }
