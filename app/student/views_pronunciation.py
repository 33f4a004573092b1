"""Reading aloud: choose a passage, record or upload a reading, see each word scored."""
from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.auth.guards import student_required
from app.extensions import db
from app.http import json_error
from app.jobs.dispatch import enqueue_session_analysis
from app.models import PracticeSession, SessionKind
from app.practice.lifecycle import queue_position
from app.practice.pronunciation_attempts import (
    AttemptError,
    choose_reference,
    practice_choices,
    read_audio,
    start_attempt,
)
from app.practice.uploads import playable_path
from app.routing import api_route

from . import bp


@bp.route("/pronunciation", methods=["GET", "POST"])
@student_required
def pronunciation():
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            session = _submit_attempt()
        except AttemptError as exc:
            db.session.rollback()
            errors[exc.field] = exc.message
        else:
            return _redirect_to_result(session)
    choices = practice_choices(current_user, request.values, own_session=_own_reading_or_none)
    return render_template("student/pronunciation.html", **choices, errors=errors), 400 if errors else 200


@api_route(bp, "/api/pronunciation", methods=["POST"])
@student_required
def api_pronunciation():
    """Score a reading: multipart `audio` plus `reference_text` (or `topic_id` / `passage_id`)."""
    try:
        session = _submit_attempt()
    except AttemptError as exc:
        db.session.rollback()
        return json_error(exc.status, exc.message, code=exc.code, errors={exc.field: [exc.message]})
    body = {
        "session_id": session.id,
        "status": session.status,
        "url": url_for("student.pronunciation_result", session_id=session.id),
        "status_url": url_for("student.api_my_session", session_id=session.id),
    }
    if not session.is_finished:
        return jsonify(body), 202
    body["result"] = session.report
    body["error"] = {"code": session.error_code, "message": session.error_message} if session.error_code else None
    return jsonify(body), 201


@bp.route("/pronunciation/<int:session_id>")
@student_required
def pronunciation_result(session_id: int):
    session = _own_reading_or_404(session_id)
    return render_template(
        "student/pronunciation_result.html",
        session=session,
        report=session.report or {},
        queue_position=queue_position(session),
        # The recording is served by the student's owner-checked session audio route (practice.py).
        audio_url=url_for("student.audio", session_id=session.id) if playable_path(session) else None,
    )


def _submit_attempt() -> PracticeSession:
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


def _redirect_to_result(session: PracticeSession):
    return redirect(url_for("student.pronunciation_result", session_id=session.id), 303)


def _own_reading_query(session_id: int):
    return select(PracticeSession).where(
        PracticeSession.id == session_id,
        PracticeSession.student_id == current_user.id,
        PracticeSession.kind == SessionKind.PRONUNCIATION.value,
    )


def _own_reading_or_404(session_id: int) -> PracticeSession:
    return db.first_or_404(_own_reading_query(session_id))


def _own_reading_or_none(session_id: int) -> PracticeSession | None:
    return db.session.scalar(_own_reading_query(session_id))
