"""Reviewing a student: their progress (read-only), a session's report, comments and score overrides."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.guards import (
    class_own_session_or_404,
    class_session_or_404,
    class_student_or_404,
    form_view,
    own_class_or_404,
    teacher_required,
)
from app.extensions import db
from app.practice.progress import progress_context
from app.practice.reading_review import (
    MARK_LABELS,
    WordReviewError,
    current_mark,
    machine_mark,
    mark_choices,
    review_word,
)
from app.practice.recordings import has_audio, playback_response
from app.practice.visibility import class_sessions
from app.privacy.deletion import DeletionRefused, delete_session

from .blueprint import bp
from .forms import CommentForm, EmptyForm, OverrideForm, WordReviewForm
from .services import ReviewError, add_comment, clear_override, override_score


@bp.route("/classes/<int:class_id>/students/<int:student_id>")
@teacher_required
def student_progress(class_id: int, student_id: int):
    classroom = own_class_or_404(class_id)
    student = class_student_or_404(classroom, student_id)
    # History, charts, bests, the weekly summary and the figures all read only what this class's teacher
    # may see: the sessions the roster counts for this student.
    context = progress_context(student, class_sessions(classroom, student), request.args)
    return render_template(
        "teacher/student_progress.html",
        classroom=classroom,
        readonly=True,
        session_url=lambda session_id: url_for("teacher.session_review", class_id=classroom.id,
                                               session_id=session_id),
        **context,
    )


def _render_review(classroom, session, comment_form=None, override_form=None, status=200):
    override_form = override_form or OverrideForm(
        formdata=None, score=session.override_score, reason=session.override_reason
    )
    return (
        render_template(
            "teacher/session_review.html",
            classroom=classroom,
            session=session,
            student=session.student,
            comment_form=comment_form or CommentForm(formdata=None),
            override_form=override_form,
            clear_form=EmptyForm(formdata=None),
            audio_url=(url_for("teacher.session_audio", class_id=classroom.id, session_id=session.id)
                       if has_audio(session) else None),
            review=_word_review(classroom, session),
        ),
        status,
    )


def _word_review(classroom, session) -> dict | None:
    """What the word popovers need to offer the teacher a mark for each word of a scored reading."""
    if session.kind != "pronunciation" or session.status != "done":
        return None
    return {
        "url": lambda index: url_for("teacher.review_reading_word", class_id=classroom.id, session_id=session.id,
                                     index=index),
        "choices": mark_choices, "current": current_mark, "machine": machine_mark, "labels": MARK_LABELS,
    }


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>")
@teacher_required
def session_review(class_id: int, session_id: int):
    classroom = own_class_or_404(class_id)
    return _render_review(classroom, class_session_or_404(classroom, session_id))


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/audio")
@teacher_required
def session_audio(class_id: int, session_id: int):
    session = class_session_or_404(own_class_or_404(class_id), session_id)
    return playback_response(session)


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/comments", methods=["POST"])
@teacher_required
@form_view
def comment_on_session(class_id: int, session_id: int):
    classroom = own_class_or_404(class_id)
    session = class_session_or_404(classroom, session_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _render_review(classroom, session, comment_form=form, status=400)
    add_comment(session, current_user, form.body.data)
    db.session.commit()
    flash("Comment saved. The student sees it with their report.", "success")
    return redirect(url_for("teacher.session_review", class_id=classroom.id, session_id=session.id) + "#comments")


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/override", methods=["POST"])
@teacher_required
@form_view
def override_session_score(class_id: int, session_id: int):
    classroom = own_class_or_404(class_id)
    session = class_session_or_404(classroom, session_id)
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            override_score(session, current_user, form.score.data, form.reason.data)
        except ReviewError as exc:
            form.score.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Score overridden. The automatic score is kept beside yours.", "success")
            review = url_for("teacher.session_review", class_id=classroom.id, session_id=session.id)
            return redirect(review + "#override")
    return _render_review(classroom, session, override_form=form, status=400)


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/override/clear", methods=["POST"])
@teacher_required
@form_view
def clear_session_override(class_id: int, session_id: int):
    classroom = own_class_or_404(class_id)
    session = class_session_or_404(classroom, session_id)
    if EmptyForm().validate_on_submit():
        clear_override(session)
        db.session.commit()
        flash("Back to the automatic score.", "success")
    else:
        flash("This page was open too long; please try again.", "warning")
    return redirect(url_for("teacher.session_review", class_id=classroom.id, session_id=session.id) + "#override")


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/delete", methods=["POST"])
@teacher_required
def delete_class_session(class_id: int, session_id: int):
    classroom = own_class_or_404(class_id)
    session = class_own_session_or_404(classroom, session_id)
    student_id = session.student_id
    if not EmptyForm().validate_on_submit():
        flash("This page was open too long; please try again.", "warning")
        return redirect(url_for("teacher.session_review", class_id=classroom.id, session_id=session.id))
    try:
        delete_session(session)
    except DeletionRefused as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("teacher.session_review", class_id=classroom.id, session_id=session_id))
    db.session.commit()
    flash("The recording and its report were deleted.", "success")
    return redirect(url_for("teacher.student_progress", class_id=classroom.id, student_id=student_id))


@bp.route("/classes/<int:class_id>/sessions/<int:session_id>/words/<int:index>", methods=["POST"])
@teacher_required
@form_view
def review_reading_word(class_id: int, session_id: int, index: int):
    classroom = own_class_or_404(class_id)
    session = class_session_or_404(classroom, session_id)
    form = WordReviewForm()
    back = url_for("teacher.session_review", class_id=classroom.id, session_id=session.id) + "#words-heading"
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors) or "Choose a mark.", "warning")
        return redirect(back)
    try:
        word = review_word(session, current_user, index, form.error_type.data)
    except WordReviewError as exc:
        db.session.rollback()
        if exc.not_found:
            abort(404)
        flash(str(exc), "warning")
        return redirect(back)
    db.session.commit()
    flash(f"“{word.get('Word', '')}” is marked {MARK_LABELS[form.error_type.data].lower()}; the scores are "
          "recomputed.", "success")
    return redirect(back)
