"""A class's student accounts over JSON, for its teacher: add students without email, reset a password,
export a student's data, delete a session made for the class.

Each answer holds passwords shown this once, so no cache may keep it.
"""
from __future__ import annotations

from flask import abort, jsonify, request

from app.auth.guards import class_own_session_or_404, class_student_or_404, own_class_or_404, teacher_required
from app.extensions import db
from app.http import json_error
from app.privacy.deletion import DeletionRefused, delete_session
from app.privacy.http import export_response
from app.school.students import RosterError, add_students_retrying, new_student_password, resettable_student

from .blueprint import bp


@bp.route("/api/classes/<int:class_id>/students", methods=["POST"])
@teacher_required
def api_add_students(class_id: int):
    classroom = own_class_or_404(class_id)
    data = request.get_json(silent=True)
    rows = data.get("students") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str) for r in rows):
        return json_error(400, 'Send {"students": [{"name": "Maya Patel"}, …]}.', code="invalid")
    try:
        logins = add_students_retrying(classroom, [row["name"] for row in rows])
    except RosterError as exc:
        db.session.rollback()
        return json_error(400, str(exc), code="invalid", errors={"students": [str(exc)]})
    db.session.commit()
    response = jsonify({"class_id": classroom.id, "students": [login.to_json() for login in logins]})
    response.headers["Cache-Control"] = "no-store"
    return response, 201


@bp.route("/api/classes/<int:class_id>/students/<int:student_id>/password", methods=["POST"])
@teacher_required
def api_reset_student_password(class_id: int, student_id: int):
    classroom = own_class_or_404(class_id)
    student = resettable_student(classroom, class_student_or_404(classroom, student_id)) or abort(404)
    login = new_student_password(student)
    db.session.commit()
    response = jsonify(login.to_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api/classes/<int:class_id>/students/<int:student_id>/export", methods=["GET"])
@teacher_required
def api_export_student(class_id: int, student_id: int):
    return export_response(class_student_or_404(own_class_or_404(class_id), student_id))


@bp.route("/api/classes/<int:class_id>/sessions/<int:session_id>", methods=["DELETE"])
@teacher_required
def api_delete_class_session(class_id: int, session_id: int):
    try:
        delete_session(class_own_session_or_404(own_class_or_404(class_id), session_id))
    except DeletionRefused as exc:
        db.session.rollback()
        return json_error(409, str(exc), code="busy")
    db.session.commit()
    return "", 204
