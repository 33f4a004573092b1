"""The student's JSON API: upload a recording, list and read their sessions and topics.

`POST /api/analyze-chunked` takes a whole file (`audio`) or the parts of one
recording (`upload_id`, `part` from 0, `final`); parts are consecutive pieces of
one stream, a part sent twice is stored once, and `final` without `audio`
submits whatever arrived. A speech names its `topic_id` or `prompt_key`; a
reading names its passage as `/api/pronunciation` does (a reading `topic_id`,
`passage_id`, or `reference_text` with an optional `title`), checked the same way.
The request that opens the session (the first to arrive) is the one that counts.
Answers: 202 `{"session_id", "status"}` while the analysis runs, 201 with the
session and its report when it finished in time, 422 with the child-friendly
reason when the recording could not be analysed.
"""
from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_login import current_user

from app.auth.guards import own_session_or_404, student_required
from app.classes.queries import (
    TOPIC_CLOSED,
    TOPIC_NOT_FOUND,
    open_topics_for_student,
    topic_for_student_or_none,
    topic_takes_recordings,
)
from app.dates import viewer_calendar
from app.extensions import db
from app.http import json_error
from app.jobs.dispatch import enqueue_upload
from app.limits import RECORDING_UPLOAD, accepts_body, quotas
from app.models import SESSION_KINDS, PracticeSession, SessionKind, SessionStatus
from app.pagination import paginate_query
from app.practice.figures import COUNTED_LABEL, one_student
from app.practice.presenters import session_json, status_json
from app.practice.prompt_bank import prompt_by_key, prompt_of_the_day
from app.practice.pronunciation_attempts import AttemptError, choose_reference
from app.practice.recorder import accept_parts, finish_upload, session_for_upload, start_practice
from app.practice.states import SessionStateError
from app.practice.uploads import UploadError, save_part
from app.practice.visibility import own_sessions
from app.privacy.deletion import DeletionRefused, delete_session
from app.privacy.http import export_response
from app.routing import api_route

from .blueprint import bp
from .upload_request import ChunkedUpload, parse_upload


@api_route(bp, "/api/analyze-chunked", methods=["POST"], endpoint="api_analyze_chunked")
@accepts_body(RECORDING_UPLOAD)
@student_required
def analyze_chunked():
    try:
        upload = parse_upload(request)
        _check_quotas(upload)
        session = _session_for(upload)
        if session is None:
            return json_error(404, TOPIC_NOT_FOUND)
        accept_parts(session)
        saved = save_part(session, upload.part, upload.data) if upload.data is not None else None
        if not upload.final:
            db.session.commit()
            return jsonify(_part_answer(session, saved)), 202
        joined = finish_upload(session)
    except UploadError as exc:
        db.session.rollback()
        return json_error(exc.status, exc.message, code=exc.code)
    except AttemptError as exc:  # the passage of a reading, refused as /api/pronunciation refuses it
        db.session.rollback()
        return json_error(exc.status, exc.message, code=exc.code, errors={exc.field: [exc.message]})
    except SessionStateError as exc:
        db.session.rollback()
        existing = session_for_upload(current_user, upload.upload_id) if upload.upload_id else None
        return json_error(409, str(exc), code="already_submitted", session_id=existing.id if existing else None)
    db.session.commit()
    enqueue_upload(session)
    return _submitted_answer(session, missing=joined.missing)


def _check_quotas(upload: ChunkedUpload) -> None:
    """Before anything is stored: the student's space, and the hour's analyses when this part is the last."""
    if upload.data is not None:
        quotas.check_stored_bytes(current_user, len(upload.data))
    if upload.final:
        quotas.check_analyses_this_hour(current_user)


def _session_for(upload: ChunkedUpload) -> PracticeSession | None:
    """The session this upload belongs to, opened now if it is the first part; None for a foreign topic."""
    if upload.upload_id is not None:
        existing = session_for_upload(current_user, upload.upload_id)
        if existing is not None:
            return existing
    topic = None
    if upload.topic_id is not None:
        topic = topic_for_student_or_none(current_user, upload.topic_id)
        if topic is None:
            return None
        if topic.kind == SessionKind.IMPROMPTU.value and not topic_takes_recordings(topic):
            raise UploadError(409, TOPIC_CLOSED, "topic_closed")  # a reading's topic: choose_reference refuses
    is_reading = topic.kind == SessionKind.PRONUNCIATION.value if topic is not None else upload.names_a_passage
    if is_reading:
        reference = choose_reference(current_user, topic_id=upload.topic_id, passage_id=upload.passage_id,
                                     text=upload.reference_text, title=upload.title)
        return start_practice(current_user, reference=reference, client_id=upload.upload_id)
    prompt = prompt_by_key(upload.prompt_key) if topic is None else None
    return start_practice(current_user, topic=topic, prompt=prompt, client_id=upload.upload_id)


def _part_answer(session: PracticeSession, saved) -> dict:
    return {"session_id": session.id, "status": session.status, "upload_id": request.form.get("upload_id"),
            "part": saved.number if saved else None, "duplicate": bool(saved and saved.duplicate),
            "parts_received": session.parts_received}


def _submitted_answer(session: PracticeSession, missing: list[int]):
    if session.status == SessionStatus.DONE.value:
        return jsonify({**session_json(session), "missing_parts": missing}), 201
    if session.status == SessionStatus.FAILED.value:
        return jsonify({"error": session.error_code or "analysis_failed", "session_id": session.id,
                        "message": session.error_message or "We couldn't analyse this recording.",
                        "status": session.status, "missing_parts": missing}), 422
    return jsonify({**status_json(session), "missing_parts": missing}), 202


@api_route(bp, "/api/me/sessions", methods=["GET"])
@student_required
def api_my_sessions():
    query = own_sessions(current_user)
    kind = request.args.get("kind")
    if kind:
        if kind not in SESSION_KINDS:
            return json_error(400, "kind must be 'impromptu' or 'pronunciation'.")
        query = query.where(PracticeSession.kind == kind)
    page = paginate_query(query.order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc()))
    week = viewer_calendar().week()
    # The same figures as My Progress and the roster (app/practice/figures.py), over all the student's sessions.
    figures = one_student(own_sessions(current_user),
                          current_user.id, week)
    return jsonify({
        "sessions": [s.headline_json() for s in page.items],
        **page.fields(),
        "figures": {**figures.to_json(), "week": {"start": week.start.isoformat(), "end": week.end.isoformat()},
                    "counted": COUNTED_LABEL},
    })


@api_route(bp, "/api/me/sessions/<int:session_id>", methods=["GET"])
@student_required
def api_my_session(session_id: int):
    return jsonify(session_json(own_session_or_404(session_id)))


@api_route(bp, "/api/me/sessions/<int:session_id>", methods=["DELETE"], endpoint="api_delete_my_session")
@student_required
def api_delete_my_session(session_id: int):
    try:
        delete_session(own_session_or_404(session_id))
    except DeletionRefused as exc:
        db.session.rollback()
        return json_error(409, str(exc), code="busy")
    db.session.commit()
    return "", 204


@api_route(bp, "/api/me/export", methods=["GET"])
@student_required
def api_my_export():
    return export_response(current_user)


@api_route(bp, "/api/me/topics", methods=["GET"])
@student_required
def api_my_topics():
    kind = request.args.get("kind", SessionKind.IMPROMPTU.value)
    if kind not in SESSION_KINDS:
        return json_error(400, "kind must be 'impromptu' or 'pronunciation'.")
    topics = open_topics_for_student(current_user, kind)
    suggestion = prompt_of_the_day(current_user.id, date.today()) if not topics and kind == "impromptu" else None
    return jsonify({
        "topics": [t.to_json() | {"class_name": t.classroom.name} for t in topics],
        "suggested_prompt": suggestion.to_json() if suggestion else None,
    })

