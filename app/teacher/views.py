"""The teacher's pages."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth.guards import form_view, teacher_required
from app.classes.services import classes_for, create_class, teacher_class_or_none
from app.extensions import db

from . import bp
from .forms import ClassForm


def own_class_or_404(class_id: int):
    classroom = teacher_class_or_none(current_user, class_id)
    if classroom is None:
        abort(404)
    return classroom


@bp.route("/")
@teacher_required
def dashboard():
    return render_template("teacher/dashboard.html", classes=classes_for(current_user), form=ClassForm())


@bp.route("/classes/new", methods=["GET", "POST"])
@teacher_required
@form_view
def create_class_view():
    form = ClassForm()
    if form.validate_on_submit():
        classroom = create_class(current_user, form.name.data)
        db.session.commit()
        flash(f"Class created. Share the code {classroom.join_code} with your students.", "success")
        return redirect(url_for("teacher.class_detail", class_id=classroom.id))
    return render_template("teacher/class_new.html", form=form)


@bp.route("/classes/<int:class_id>")
@teacher_required
def class_detail(class_id: int):
    classroom = own_class_or_404(class_id)
    return render_template("teacher/class_detail.html", classroom=classroom)
