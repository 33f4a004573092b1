"""The student's account page: their classes (and leaving one), and what Podium keeps about them."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth.guards import own_enrolment_or_404, own_session_or_404, student_required
from app.classes.services import classes_for, leave_class
from app.extensions import db
from app.models import School
from app.privacy.deletion import DeletionRefused, delete_session

from .blueprint import bp


@bp.route("/account")
@student_required
def account():
    school = db.session.get(School, current_user.school_id) if current_user.school_id else None
    return render_template(
        "student/account.html", school=school, classes=classes_for(current_user, include_archived=True)
    )


@bp.route("/classes/<int:class_id>/leave", methods=["POST"])
@student_required
def leave(class_id: int):
    enrolment = own_enrolment_or_404(class_id)
    name = enrolment.classroom.name
    leave_class(current_user, enrolment.classroom)
    db.session.commit()
    flash(f"You left {name}. Its teacher no longer sees your practice.", "success")
    return redirect(url_for("student.account"))


@bp.route("/sessions/<int:session_id>/delete", methods=["POST"], endpoint="delete_session")
@student_required
def delete_session_view(session_id: int):
    session = own_session_or_404(session_id)
    try:
        delete_session(session)
    except DeletionRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("student.report", session_id=session_id))
    db.session.commit()
    flash("Your recording and its report were deleted.", "success")
    return redirect(url_for("student.progress"))
