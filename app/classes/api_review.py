"""A teacher's review over JSON, through the same services and forms as the review page:
``PUT``/``DELETE /api/classes/<id>/sessions/<sid>/override`` (a score of the teacher's own, or back to the
automatic one), ``POST …/comments``, and ``PATCH …/words/<index> {"error_type": …}`` for a reading.
Anyone else's class or session is a 404.
"""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.auth.guards import class_session_or_404, own_class_or_404, teacher_required
from app.extensions import db
from app.http import form_errors, json_error
from app.models import PracticeSession
from app.practice.reading_review import ERROR_TYPES, WordReviewError, review_word
from app.teacher.forms import CommentForm, OverrideForm
from app.teacher.services import ReviewError, add_comment, clear_override, override_score

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


def _json_form(form_class):
    """The JSON body as the page's form: numbers become the text a browser would send."""
    payload = request.get_json(silent=True)
    payload = payload if isinstance(payload, dict) else {}
    fields = {key: str(value) for key, value in payload.items()
              if isinstance(value, (str, int, float)) and not isinstance(value, bool)}
    return form_class(formdata=MultiDict(fields), meta={"csrf": False})


def _review_json(session: PracticeSession) -> dict:
    return {
        "session_id": session.id,
        "headline_score": session.headline_score,
        "override_score": session.override_score,
        "override_reason": session.override_reason,
        "comments": [{"body": c.body, "author": c.author.name, "created_at": c.created_at.isoformat()}
                     for c in session.comments],
    }


@bp.route("/api/classes/<int:class_id>/sessions/<int:session_id>/override", methods=["PUT", "DELETE"])
@teacher_required
def api_override(class_id: int, session_id: int):
    session = class_session_or_404(own_class_or_404(class_id), session_id)
    if request.method == "DELETE":
        clear_override(session)
        db.session.commit()
        return jsonify(_review_json(session))
    form = _json_form(OverrideForm)
    if not form.validate():
        return json_error(400, "Send {\"score\": 0–100, \"reason\": …}.", code="invalid", errors=form_errors(form))
    try:
        override_score(session, current_user, form.score.data, form.reason.data)
    except ReviewError as exc:
        db.session.rollback()
        return json_error(409, str(exc), code="not_analysed")
    db.session.commit()
    return jsonify(_review_json(session))


@bp.route("/api/classes/<int:class_id>/sessions/<int:session_id>/comments", methods=["POST"])
@teacher_required
def api_comment(class_id: int, session_id: int):
    session = class_session_or_404(own_class_or_404(class_id), session_id)
    form = _json_form(CommentForm)
    if not form.validate():
        return json_error(400, "Send {\"body\": …}.", code="invalid", errors=form_errors(form))
    add_comment(session, current_user, form.body.data)
    db.session.commit()
    return jsonify(_review_json(session)), 201
