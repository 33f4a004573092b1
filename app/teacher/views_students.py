"""Student accounts from the class page: add students in bulk, reset a password, print login cards."""
from __future__ import annotations

from flask import abort, make_response, render_template, url_for

from app.auth.guards import class_student_or_404, form_view, own_class_or_404, teacher_required
from app.extensions import db
from app.school.forms import AddStudentsForm
from app.school.students import (
    RosterError,
    add_students_retrying,
    names_from_csv,
    names_from_text,
    new_student_password,
    resettable_student,
)

from .blueprint import bp


def _cards(classroom, logins, status: int = 200):
    """The login cards page; passwords are in it once, so no cache may keep it."""
    response = make_response(render_template("teacher/login_cards.html", classroom=classroom, logins=logins,
                                             login_url=url_for("auth.login", _external=True)), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/classes/<int:class_id>/students/new", methods=["GET", "POST"])
@teacher_required
@form_view
def add_students_page(class_id: int):
    classroom = own_class_or_404(class_id)
    form = AddStudentsForm()
    if form.validate_on_submit():
        try:
            names = names_from_csv(form.csv_file.data.read()) if form.csv_file.data else []
            names += names_from_text(form.names.data)
            logins = add_students_retrying(classroom, names)
        except RosterError as exc:
            db.session.rollback()
            form.names.errors.append(str(exc))
        else:
            db.session.commit()
            return _cards(classroom, logins, 201)
    return render_template("teacher/add_students.html", classroom=classroom, form=form)


@bp.route("/classes/<int:class_id>/students/<int:student_id>/password", methods=["POST"])
@teacher_required
def reset_student_password_page(class_id: int, student_id: int):
    classroom = own_class_or_404(class_id)
    student = resettable_student(classroom, class_student_or_404(classroom, student_id)) or abort(404)
    login = new_student_password(student)
    db.session.commit()
    return _cards(classroom, [login])
