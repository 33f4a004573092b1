"""The admin's JSON API under /api/school/: invites and teachers."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.auth.guards import admin_required, own_invite_or_404, school_student_or_404, school_teacher_or_404
from app.extensions import db
from app.http import form_errors, json_error
from app.pagination import paginate_list
from app.privacy.deletion import delete_account
from app.privacy.http import export_response

from .blueprint import bp
from .forms import InviteForm
from .mailing import email_invite, email_password_link
from .queries import school_invites, teacher_json
from .services import (
    SchoolError,
    deactivate_teacher,
    invite,
    issue_password_link,
    reactivate_teacher,
    revoke_invite,
    school_teachers,
)


@bp.route("/api/school")
@admin_required
def api_school():
    school = current_user.school
    return jsonify(school.to_json() | {"teachers": [teacher_json(t) for t in school_teachers(school.id)]})


@bp.route("/api/school/invites", methods=["GET"])
@admin_required
def api_list_invites():
    page = paginate_list(school_invites(current_user.school_id))
    return jsonify({"invites": [row.to_json() for row in page.items], **page.fields()})


@bp.route("/api/school/invites", methods=["POST"])
@admin_required
def api_create_invite():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return json_error(400, "Send a JSON object with email and role.")
    form = InviteForm(formdata=MultiDict({k: v for k, v in data.items() if isinstance(v, str)}), meta={"csrf": False})
    if not form.validate():
        return json_error(400, "Some fields need fixing.", code="invalid", errors=form_errors(form))
    try:
        row, url = invite(current_user, form.email.data, form.role.data)
    except SchoolError as exc:
        db.session.rollback()
        return json_error(409 if exc.code == "email_taken" else 400, str(exc), code=exc.code)
    db.session.commit()
    emailed = email_invite(row, url, current_user)
    return jsonify({"id": row.id, "invite_url": url, "expires_at": row.expires_at.isoformat(), "emailed": emailed}), 201


@bp.route("/api/school/invites/<int:invite_id>", methods=["DELETE"])
@admin_required
def api_revoke_invite(invite_id: int):
    revoke_invite(own_invite_or_404(invite_id))
    db.session.commit()
    return "", 204


@bp.route("/api/school/teachers/<int:teacher_id>/deactivate", methods=["POST"])
@admin_required
def api_deactivate_teacher(teacher_id: int):
    teacher = school_teacher_or_404(teacher_id)
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    target_id = data.get("transfer_to")
    if target_id is not None and not isinstance(target_id, int):
        return json_error(400, "transfer_to is the id of the teacher who takes over the classes.", code="invalid")
    target = school_teacher_or_404(target_id) if target_id is not None else None
    try:
        moved = deactivate_teacher(teacher, target)
    except SchoolError as exc:
        db.session.rollback()
        return json_error(409, str(exc), code=exc.code)
    db.session.commit()
    return jsonify(teacher_json(teacher) | {"classes_moved": moved})


@bp.route("/api/school/teachers/<int:teacher_id>/reactivate", methods=["POST"])
@admin_required
def api_reactivate_teacher(teacher_id: int):
    teacher = school_teacher_or_404(teacher_id)
    reactivate_teacher(teacher)
    db.session.commit()
    return jsonify(teacher_json(teacher))


@bp.route("/api/school/teachers/<int:teacher_id>/password", methods=["POST"])
@admin_required
def api_reset_teacher_password(teacher_id: int):
    teacher = school_teacher_or_404(teacher_id)
    url, expires_at = issue_password_link(teacher)
    db.session.commit()
    emailed = email_password_link(teacher, url, expires_at, current_user)
    return jsonify({"id": teacher.id, "reset_url": url, "expires_at": expires_at.isoformat(), "emailed": emailed})


@bp.route("/api/school/students/<int:student_id>/export", methods=["GET"])
@admin_required
def api_export_student(student_id: int):
    return export_response(school_student_or_404(student_id))


@bp.route("/api/school/students/<int:student_id>", methods=["DELETE"])
@admin_required
def api_delete_student(student_id: int):
    """Delete a student's whole account and everything of theirs, on request (issue 17, docs/privacy.md)."""
    delete_account(school_student_or_404(student_id))
    db.session.commit()
    return "", 204
