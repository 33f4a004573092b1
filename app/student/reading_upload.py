"""A reading posted in one request (the reading-aloud page's form or ``POST /api/pronunciation``).

``submit_reading`` checks the passage and the audio before anything is written, saves
the attempt, commits and queues its analysis; refused input raises AttemptError.
"""
from __future__ import annotations

from flask import request
from flask_login import current_user

from app.extensions import db
from app.jobs.dispatch import enqueue_session_analysis
from app.limits import quotas
from app.models import PracticeSession
from app.practice.pronunciation_attempts import AttemptError, choose_reference, read_audio, start_attempt


def submit_reading() -> PracticeSession:
    form = request.form
    reference = choose_reference(
        current_user,
        topic_id=_optional_int("topic_id"),
        passage_id=form.get("passage_id") or None,
        text=form.get("reference_text"),
        title=form.get("title"),
    )
    upload = request.files.get("audio")
    audio, kind = read_audio(upload.stream if upload else None, upload.filename if upload else None)
    quotas.check_stored_bytes(current_user, len(audio))
    quotas.check_analyses_this_hour(current_user)
    session = start_attempt(current_user, reference, audio, kind)
    db.session.commit()
    enqueue_session_analysis(session)
    return session


def _optional_int(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise AttemptError(name, "That passage isn't open for your class.")
    return int(raw)
