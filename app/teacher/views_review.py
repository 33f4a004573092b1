"""Reviewing a student: their progress (read-only), a session's report, comments and score overrides."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.auth.guards import (
    class_session_or_404,
    class_sessions,
    class_student_or_404,
    form_view,
    own_class_or_404,
    reviewable_sessions,
    teacher_required,
)
from app.extensions import db
from app.models import PracticeSession
from app.practice.progress import history_query, progress_context
from app.practice.reading_review import (
    MARK_LABELS,
    WordReviewError,
    current_mark,
    machine_mark,
    mark_choices,
    review_word,
)
from app.practice.recordings import has_audio, playback_response

from .blueprint import bp
from .forms import CommentForm, EmptyForm, OverrideForm, WordReviewForm
from .services import ReviewError, add_comment, clear_override, override_score


@bp.route("/classes/<int:class_id>/students/<int:student_id>")
@teacher_required
def student_progress(class_id: int, student_id: int):
    classroom = own_class_or_404(class_id)
    student = class_student_or_404(classroom, student_id)
    # The figures count what the roster counts for this class (class_sessions).
    scope = class_sessions(classroom).where(PracticeSession.student_id == student.id)
    context = progress_context(student, request.args, scope=scope)
    # The history lists only what this teacher may open; charts and bests summarise all practice.
    scoped = history_query(student, context["kind"]).where(*reviewable_sessions(classroom))
    context["page"] = db.paginate(scoped, page=request.args.get("page", 1, type=int) or 1, per_page=10, error_out=False)
    return render_template(
        "teacher/student_progress.html",
        classroom=classroom,
        readonly=True,
        session_url=_teacher_session_url(classroom, context),
        **context,
    )


def _teacher_session_url(classroom, context):
    linked = {s.id for s in context["page"].items} | {b.session_id for b in context["bests"]}
    for kind in ("impromptu", "pronunciation"):
        linked |= set(context["series"].get(kind, {}).get("ids", []))
    allowed = set(
        db.session.scalars(
            select(PracticeSession.id).where(PracticeSession.id.in_(linked), *reviewable_sessions(classroom))
        )
    )

    def url(session_id: int) -> str:
        if session_id in allowed:
            return url_for("teacher.session_review", class_id=classroom.id, session_id=session_id)
        # Practice done for another teacher's class is theirs to review.
        progress = url_for("teacher.student_progress", class_id=classroom.id, student_id=context["student"].id)
        return progress + "#not-shared"

    return url


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
