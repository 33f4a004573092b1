"""JSON the recorder page needs around the upload itself: open, keep alive, leave, re-record, status, retry.

Parts and the final submit go through `POST /api/analyze-chunked` with the
session's `upload_id`, the same route API clients use.
"""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from app.auth.guards import own_session_or_404, student_required
from app.classes.queries import TOPIC_CLOSED, TOPIC_NOT_FOUND, topic_for_student_or_none, topic_takes_recordings
from app.extensions import db
from app.http import json_error
from app.jobs.dispatch import enqueue_session_analysis
from app.practice.presenters import session_json, status_json
from app.practice.prompt_bank import prompt_by_key
from app.practice.recorder import keep_alive, leave, new_take, start_practice
from app.practice.states import SessionStateError, retry_session
from app.routing import api_route

from .blueprint import bp


@api_route(bp, "/api/me/sessions", methods=["POST"])
@student_required
def api_start_session():
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    topic_id, prompt_key = data.get("topic_id"), data.get("prompt_key")
    topic = None
    if topic_id is not None:
        if not isinstance(topic_id, int) or isinstance(topic_id, bool) or not 0 < topic_id < 2**31:
            return json_error(400, "topic_id must be a number.", code="invalid_topic_id")
        topic = topic_for_student_or_none(current_user, topic_id)
        if topic is None:
            return json_error(404, TOPIC_NOT_FOUND)
        if not topic_takes_recordings(topic):
            return json_error(409, TOPIC_CLOSED, code="topic_closed")
    prompt = prompt_by_key(prompt_key if isinstance(prompt_key, str) else None)
    if prompt_key is not None and prompt is None:
        return json_error(404, "We couldn't find that practice prompt.")
    session = start_practice(current_user, topic=topic, prompt=prompt)
    db.session.commit()
    return jsonify(session_json(session)), 201


@api_route(bp, "/api/me/sessions/<int:session_id>/heartbeat", methods=["POST"])
@student_required
def api_heartbeat(session_id: int):
    session = own_session_or_404(session_id)
    keep_alive(session)
    db.session.commit()
    return jsonify({"session_id": session.id, "status": session.status})


@api_route(bp, "/api/me/sessions/<int:session_id>/abandon", methods=["POST"])
@student_required
def api_abandon(session_id: int):
    # Sent with navigator.sendBeacon as the page closes: nobody reads the answer.
    session = own_session_or_404(session_id)
    leave(session)
    db.session.commit()
    return jsonify({"session_id": session.id, "status": session.status})


@api_route(bp, "/api/me/sessions/<int:session_id>/retake", methods=["POST"])
@student_required
def api_retake(session_id: int):
    session = own_session_or_404(session_id)
    try:
        upload_id = new_take(session)
    except SessionStateError as exc:
        db.session.rollback()
        return json_error(409, str(exc), code="already_submitted", session_id=session.id)
    db.session.commit()
    return jsonify({"session_id": session.id, "status": session.status, "upload_id": upload_id})


@api_route(bp, "/api/me/sessions/<int:session_id>/status", methods=["GET"])
@student_required
def api_status(session_id: int):
    return jsonify(status_json(own_session_or_404(session_id)))


@api_route(bp, "/api/me/sessions/<int:session_id>/retry", methods=["POST"])
@student_required
def api_retry(session_id: int):
    session = own_session_or_404(session_id)
    try:
        retry_session(session)
    except SessionStateError as exc:
        db.session.rollback()
        return json_error(409, str(exc), code="cannot_retry", session_id=session.id)
    db.session.commit()
    enqueue_session_analysis(session)
    return jsonify(status_json(session)), 202
