"""The student's pages."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth.guards import form_view, student_required
from app.classes.services import JoinError, classes_for, join_class
from app.extensions import db

from . import bp
from .forms import JoinClassForm


@bp.route("/")
@student_required
def dashboard():
    return render_template("student/dashboard.html", classes=classes_for(current_user), join_form=JoinClassForm())


@bp.route("/join", methods=["GET", "POST"])
@student_required
@form_view
def join():
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            enrolment = join_class(current_user, form.join_code.data)
        except JoinError as exc:
            db.session.rollback()
            form.join_code.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"You joined {enrolment.classroom.name}!", "success")
            return redirect(url_for("student.dashboard"))
    return render_template("student/join.html", form=form)
