"""A teacher's word-by-word review of a reading over JSON:
``PATCH /api/classes/<id>/sessions/<sid>/words/<index> {"error_type": …}``.

The same service as the review page; anyone else's class or session is a 404.
"""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from app.auth.guards import class_session_or_404, own_class_or_404, teacher_required
from app.extensions import db
from app.http import json_error
from app.practice.reading_review import ERROR_TYPES, WordReviewError, review_word

from .blueprint import bp

REVIEWED_SCORES = ("AccuracyRate", "WordsCorrectPerMinute", "AccuracyScore", "CompletenessScore", "PronScore")


@bp.route("/api/classes/<int:class_id>/sessions/<int:session_id>/words/<int:index>", methods=["PATCH"])
@teacher_required
def api_review_word(class_id: int, session_id: int, index: int):
    session = class_session_or_404(own_class_or_404(class_id), session_id)
    payload = request.get_json(silent=True)
    error_type = payload.get("error_type") if isinstance(payload, dict) else None
    if not isinstance(error_type, str) or error_type not in ERROR_TYPES:
        return json_error(400, f"Send {{\"error_type\": …}}, one of {', '.join(ERROR_TYPES)}.", code="invalid")
    try:
        word = review_word(session, current_user, index, error_type)
    except WordReviewError as exc:
        db.session.rollback()
        return json_error(404 if exc.not_found else 400, str(exc), code="not_found" if exc.not_found else "invalid")
    db.session.commit()
    report = session.report
    return jsonify({
        "session_id": session.id,
        "index": index,
        "word": word,
        "scores": {key: report.get(key) for key in REVIEWED_SCORES},
        "machine_scores": report.get("MachineScores"),
    })
