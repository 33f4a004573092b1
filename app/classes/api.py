"""Classes over JSON: create (teachers), join and leave (students), list (both)."""
from flask import jsonify, request
from flask_login import current_user

from app.auth.guards import login_required, own_enrolment_or_404, student_required, teacher_required
from app.auth.rate_limits import count_failure, join_attempts
from app.extensions import db
from app.http import json_error
from app.pagination import paginate_list

from .blueprint import bp
from .services import JoinError, classes_for, create_class, join_class, leave_class


@bp.route("/api/classes", methods=["GET"])
@login_required
def api_list_classes():
    adult = current_user.is_adult  # classes_for gives an adult only the classes they teach or their school's
    page = paginate_list(classes_for(current_user))
    return jsonify({"classes": [c.to_json(with_join_code=adult) for c in page.items], **page.fields()})


@bp.route("/api/classes", methods=["POST"])
@teacher_required
def api_create_class():
    data = request.get_json(silent=True) or {}
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        return json_error(400, "Give the class a name.", code="invalid", errors={"name": ["Give the class a name."]})
    if len(name.strip()) > 120:
        return json_error(400, "Keep the name under 120 characters.", code="invalid", errors={"name": ["Too long."]})
    classroom = create_class(current_user, name)
    db.session.commit()
    return jsonify(classroom.to_json(with_join_code=True)), 201


@bp.route("/api/classes/join", methods=["POST"])
@join_attempts
@student_required
def api_join_class():
    data = request.get_json(silent=True) or {}
    code = data.get("join_code") if isinstance(data, dict) else None
    if not isinstance(code, str) or not code.strip():
        return json_error(400, "Send the join code your teacher gave you.", code="invalid")
    try:
        enrolment = join_class(current_user, code)
    except JoinError as exc:
        db.session.rollback()
        if exc.reason == "unknown_code":
            count_failure()
        status = {"already_joined": 409, "unknown_code": 404}.get(exc.reason, 403)
        return json_error(status, str(exc), code=exc.reason)
    db.session.commit()
    return jsonify(enrolment.classroom.to_json()), 201


@bp.route("/api/classes/<int:class_id>/leave", methods=["POST"])
@student_required
def api_leave_class(class_id: int):
    enrolment = own_enrolment_or_404(class_id)
    leave_class(current_user, enrolment.classroom)
    db.session.commit()
    return "", 204
