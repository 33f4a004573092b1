"""Student accounts from the class page: add students in bulk, reset a password, print login cards."""
from __future__ import annotations

from flask import abort, jsonify, make_response, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from app.auth.guards import form_view, teacher_required
from app.extensions import db
from app.http import json_error
from app.routing import api_route
from app.school.forms import AddStudentsForm
from app.school.students import RosterError, add_students, names_from_csv, names_from_text, new_student_password

from . import bp
from .access import class_student_or_404, own_class_or_404

ATTEMPTS = 3  # two teachers adding a "Maya P." at the same moment: the loser picks the next free username


def _add_with_retry(classroom, names):
    """Make the accounts and commit; a username taken meanwhile by another teacher's batch is retried."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            logins = add_students(classroom, names)
            db.session.commit()
            return logins
        except IntegrityError:
            db.session.rollback()
            if attempt == ATTEMPTS:
                raise


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
            return _cards(classroom, _add_with_retry(classroom, names), 201)
        except RosterError as exc:
            db.session.rollback()
            form.names.errors.append(str(exc))
    return render_template("teacher/add_students.html", classroom=classroom, form=form)


@bp.route("/classes/<int:class_id>/students/<int:student_id>/password", methods=["POST"])
@teacher_required
def reset_student_password_page(class_id: int, student_id: int):
    classroom = own_class_or_404(class_id)
    login = new_student_password(_resettable_student_or_404(classroom, student_id))
    db.session.commit()
    return _cards(classroom, [login])


def _resettable_student_or_404(classroom, student_id: int):
    student = class_student_or_404(classroom, student_id)
    # Only the school's own students: a teacher cannot take over an account another school answers for.
    if student.school_id != classroom.teacher.school_id:
        abort(404)
    return student


@api_route(bp, "/api/classes/<int:class_id>/students", methods=["POST"])
@teacher_required
def api_add_students(class_id: int):
    classroom = own_class_or_404(class_id)
    data = request.get_json(silent=True)
    rows = data.get("students") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str) for r in rows):
        return json_error(400, 'Send {"students": [{"name": "Maya Patel"}, …]}.', code="invalid")
    try:
        logins = _add_with_retry(classroom, [row["name"] for row in rows])
    except RosterError as exc:
        db.session.rollback()
        return json_error(400, str(exc), code="invalid", errors={"students": [str(exc)]})
    response = jsonify({"class_id": classroom.id, "students": [login.to_json() for login in logins]})
    response.headers["Cache-Control"] = "no-store"
    return response, 201


@api_route(bp, "/api/classes/<int:class_id>/students/<int:student_id>/password", methods=["POST"])
@teacher_required
def api_reset_student_password(class_id: int, student_id: int):
    classroom = own_class_or_404(class_id)
    login = new_student_password(_resettable_student_or_404(classroom, student_id))
    db.session.commit()
    response = jsonify(login.to_json())
    response.headers["Cache-Control"] = "no-store"
    return response
