"""``POST /api/pronunciation``: a reading and the text that was read, in one request."""
from __future__ import annotations

from flask import jsonify, url_for

from app.auth.guards import student_required
from app.extensions import db
from app.http import json_error
from app.limits import RECORDING_UPLOAD, accepts_body
from app.practice.pronunciation_attempts import AttemptError
from app.routing import api_route

from .blueprint import bp
from .reading_upload import submit_reading


@api_route(bp, "/api/pronunciation", methods=["POST"])
@accepts_body(RECORDING_UPLOAD)
@student_required
def api_pronunciation():
    """Score a reading: multipart `audio` plus `reference_text` (or `topic_id` / `passage_id`)."""
    try:
        session = submit_reading()
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
    body["result"] = session.student_report
    body["error"] = {"code": session.error_code, "message": session.error_message} if session.error_code else None
    return jsonify(body), 201
