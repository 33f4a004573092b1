"""The student's account page: their classes (and leaving one), and what Podium keeps about them."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth.guards import own_enrolment_or_404, student_required
from app.classes.services import classes_for, leave_class
from app.extensions import db
from app.models import School

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
