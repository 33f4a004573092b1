"""The practice pages: the recorder, the report (with live progress), retry and audio playback."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.guards import own_session_or_404, student_required
from app.classes.queries import TOPIC_CLOSED, TOPIC_NOT_FOUND, topic_for_student_or_none, topic_takes_recordings
from app.extensions import db
from app.http import wants_json
from app.jobs.dispatch import enqueue_session_analysis, enqueue_upload
from app.limits import quotas
from app.models import SessionKind
from app.practice.feedback_marks import mark_feedback_seen
from app.practice.presenters import status_json
from app.practice.prompt_bank import another_prompt, prompt_by_key, prompt_of_the_day
from app.practice.recorder import finish_upload
from app.practice.recordings import has_audio, playback_response
from app.practice.states import SessionStateError, retry_session
from app.practice.uploads import UploadError

from .blueprint import bp


@bp.route("/practice")
@student_required
def practice():
    topic, prompt = None, None
    if request.args.get("topic"):
        topic_id = request.args.get("topic", type=int)
        topic = topic_for_student_or_none(current_user, topic_id) if topic_id else None
        if topic is None or topic.kind != "impromptu":
            abort(404, description=TOPIC_NOT_FOUND)
        if not topic_takes_recordings(topic):
            abort(409, description=TOPIC_CLOSED)
    else:
        prompt = prompt_by_key(request.args.get("prompt")) or prompt_of_the_day(current_user.id, date.today())
    task = topic or prompt
    return render_template(
        "student/practice.html",
        topic=topic,
        prompt=prompt,
        task=task,
        shuffle_key=another_prompt(prompt.key).key if prompt else None,
        max_bytes=current_app.config["ANALYSIS_MAX_BYTES"],
    )


@bp.route("/sessions/<int:session_id>")
@student_required
def report(session_id: int):
    session = own_session_or_404(session_id)
    if session.kind == SessionKind.PRONUNCIATION.value:
        return redirect(url_for("student.pronunciation_result", session_id=session.id))
    return render_template("student/report.html", **_report_context(session))


@bp.route("/sessions/<int:session_id>/report-body")
@student_required
def report_body(session_id: int):
    # Swapped into the open report page when the analysis finishes, so it never reloads.
    session = own_session_or_404(session_id)
    return render_template("student/_report_body.html", **_report_context(session))


@bp.route("/sessions/<int:session_id>/feedback-seen", methods=["POST"])
@student_required
def feedback_seen(session_id: int):
    """The report page says its teacher feedback was shown (report.js); a form post lands on the report."""
    session = own_session_or_404(session_id)
    if mark_feedback_seen(session):
        db.session.commit()
    if wants_json():
        return "", 204
    page = "student.pronunciation_result" if session.kind == SessionKind.PRONUNCIATION.value else "student.report"
    return redirect(url_for(page, session_id=session.id) + "#teacher-review")


def _report_context(session) -> dict:
    audio_url = url_for("student.audio", session_id=session.id) if has_audio(session) else None
    return {"session": session, "status": status_json(session), "audio_url": audio_url}


@bp.route("/sessions/<int:session_id>/retry", methods=["POST"])
@student_required
def retry(session_id: int):
    session = own_session_or_404(session_id)
    try:
        retry_session(session)
    except SessionStateError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("student.report", session_id=session.id))
    db.session.commit()
    enqueue_session_analysis(session)
    flash("We're analysing your recording again.", "info")
    return redirect(url_for("student.report", session_id=session.id))


@bp.route("/sessions/<int:session_id>/send", methods=["POST"])
@student_required
def send_saved(session_id: int):
    """Submit what reached us of a recording the student left without sending."""
    session = own_session_or_404(session_id)
    quotas.check_analyses_this_hour(current_user)
    try:
        finish_upload(session)
    except (SessionStateError, UploadError) as exc:
        db.session.rollback()
        flash(getattr(exc, "message", str(exc)), "warning")
        return redirect(url_for("student.dashboard"))
    db.session.commit()
    enqueue_upload(session)
    return redirect(url_for("student.report", session_id=session.id))


@bp.route("/sessions/<int:session_id>/audio")
@student_required
def audio(session_id: int):
    session = own_session_or_404(session_id)
    return playback_response(session)
