"""The reading-aloud pages: choose a passage, record or upload a reading, see each word scored."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.guards import own_reading_or_404, own_reading_or_none, student_required
from app.dates import viewer_calendar
from app.extensions import db
from app.limits import RECORDING_UPLOAD, accepts_body
from app.models import PracticeSession
from app.practice.progress import wcpm_series
from app.practice.pronunciation_attempts import AttemptError, practice_choices
from app.practice.queries import queue_position
from app.practice.recordings import has_audio
from app.practice.tricky_words import missed_words
from app.practice.visibility import own_sessions

from .blueprint import bp
from .reading_upload import submit_reading


@bp.route("/pronunciation", methods=["GET", "POST"])
@accepts_body(RECORDING_UPLOAD)
@student_required
def pronunciation():
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            session = submit_reading()
        except AttemptError as exc:
            db.session.rollback()
            errors[exc.field] = exc.message
        else:
            return _redirect_to_result(session)
    choices = practice_choices(current_user, request.values, own_session=own_reading_or_none)
    return render_template("student/pronunciation.html", **choices, errors=errors,
                           max_bytes=current_app.config["ANALYSIS_MAX_BYTES"]), 400 if errors else 200


@bp.route("/pronunciation/<int:session_id>")
@student_required
def pronunciation_result(session_id: int):
    session = own_reading_or_404(session_id)
    return render_template(
        "student/pronunciation_result.html",
        session=session,
        report=session.student_report or {},
        queue_position=queue_position(session),
        # The recording is served by the student's owner-checked session audio route (views_practice.py).
        audio_url=url_for("student.audio", session_id=session.id) if has_audio(session) else None,
        wcpm=wcpm_series(own_sessions(current_user), viewer_calendar()),
        missed=list(dict.fromkeys(missed_words(session.report))),
    )


def _redirect_to_result(session: PracticeSession):
    return redirect(url_for("student.pronunciation_result", session_id=session.id), 303)


