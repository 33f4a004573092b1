"""The student's pages."""
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.guards import form_view, student_required
from app.auth.rate_limits import count_failure, join_attempts
from app.classes.assignments import assignments_for_student
from app.classes.queries import open_topics_for_student
from app.classes.services import JoinError, classes_for, join_class
from app.extensions import db
from app.practice.prompt_bank import another_prompt, prompt_by_key, prompt_of_the_day
from app.practice.queries import recent_sessions, sessions_with_new_feedback, unsent_recordings
from app.practice.tricky_words import tricky_words

from .blueprint import bp
from .forms import JoinClassForm


@bp.route("/")
@student_required
def dashboard():
    topics = open_topics_for_student(current_user)
    # No class topic: today's bank prompt, or the one "Try another prompt" picked.
    prompt = None if topics else (prompt_by_key(request.args.get("prompt"))
                                  or prompt_of_the_day(current_user.id, date.today()))
    return render_template(
        "student/dashboard.html",
        classes=classes_for(current_user),
        join_form=JoinClassForm(),
        topics=topics,
        assignments=assignments_for_student(current_user),
        tricky=tricky_words(current_user),
        prompt=prompt,
        shuffle_key=another_prompt(prompt.key).key if prompt else None,
        recent=recent_sessions(current_user),
        new_feedback=sessions_with_new_feedback(current_user),
        unsent=unsent_recordings(current_user),
    )


@bp.route("/join", methods=["GET", "POST"])
@join_attempts
@student_required
@form_view
def join():
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            enrolment = join_class(current_user, form.join_code.data)
        except JoinError as exc:
            db.session.rollback()
            if exc.reason == "unknown_code":
                count_failure()
            form.join_code.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"You joined {enrolment.classroom.name}!", "success")
            return redirect(url_for("student.dashboard"))
    return render_template("student/join.html", form=form)
