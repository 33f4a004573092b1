"""The admin's pages: the school's teachers and invites, and its settings."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.analysis.wording import plural
from app.auth.guards import admin_required, form_view, own_invite_or_404, school_teacher_or_404
from app.extensions import db
from app.mail import mail_enabled

from .blueprint import bp
from .forms import DeactivateForm, InviteForm, SchoolSettingsForm
from .mailing import email_invite, email_password_link
from .queries import class_counts, school_invites
from .services import (
    SchoolError,
    deactivate_teacher,
    invite,
    issue_password_link,
    reactivate_teacher,
    revoke_invite,
    school_teachers,
)
from .settings import school_setting, set_school_setting


def _deactivate_form(teacher, teachers) -> DeactivateForm:
    form = DeactivateForm()
    form.transfer_to.choices = [(t.id, t.name) for t in teachers if t.id != teacher.id and t.is_active]
    return form


def _dashboard(invite_form: InviteForm | None = None):
    school = current_user.school
    teachers = school_teachers(school.id)
    return render_template(
        "school/dashboard.html",
        school=school,
        teachers=teachers,
        counts=class_counts(school.id),
        deactivate_forms={t.id: _deactivate_form(t, teachers) for t in teachers},
        invites=school_invites(school.id),
        form=invite_form or InviteForm(),
        mail_enabled=mail_enabled(),
    )


@bp.route("/school/")
@admin_required
def dashboard():
    return _dashboard()


@bp.route("/school/invites", methods=["POST"])
@admin_required
@form_view
def create_invite():
    form = InviteForm()
    if not form.validate_on_submit():
        return _dashboard(form)
    try:
        row, url = invite(current_user, form.email.data, form.role.data)
    except SchoolError as exc:
        db.session.rollback()
        form.email.errors.append(str(exc))
        return _dashboard(form)
    db.session.commit()
    emailed = email_invite(row, url, current_user)
    return render_template("school/link_once.html", title=f"Invite for {row.email}", url=url, emailed=emailed,
                           email=row.email, expires_at=row.expires_at,
                           explain="Send this link to the teacher. It works once, for one account.")


@bp.route("/school/invites/<int:invite_id>/revoke", methods=["POST"])
@admin_required
def revoke_invite_view(invite_id: int):
    row = own_invite_or_404(invite_id)
    revoke_invite(row)
    db.session.commit()
    flash(f"The invite for {row.email} no longer works.", "success")
    return redirect(url_for("school.dashboard"))


@bp.route("/school/teachers/<int:teacher_id>/deactivate", methods=["POST"])
@admin_required
def deactivate_teacher_view(teacher_id: int):
    teacher = school_teacher_or_404(teacher_id)
    form = _deactivate_form(teacher, school_teachers(current_user.school_id))
    if not form.validate_on_submit():
        flash("Choose who takes over the classes.", "warning")
        return redirect(url_for("school.dashboard"))
    target = school_teacher_or_404(form.transfer_to.data) if form.transfer_to.data else None
    try:
        moved = deactivate_teacher(teacher, target)
    except SchoolError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("school.dashboard"))
    db.session.commit()
    moved_note = f" {plural(moved, 'class')} moved to {target.name}." if moved else ""
    flash(f"{teacher.name} can no longer log in.{moved_note}", "success")
    return redirect(url_for("school.dashboard"))


@bp.route("/school/teachers/<int:teacher_id>/reactivate", methods=["POST"])
@admin_required
def reactivate_teacher_view(teacher_id: int):
    teacher = school_teacher_or_404(teacher_id)
    reactivate_teacher(teacher)
    db.session.commit()
    flash(f"{teacher.name} can log in again.", "success")
    return redirect(url_for("school.dashboard"))


@bp.route("/school/teachers/<int:teacher_id>/password", methods=["POST"])
@admin_required
def reset_teacher_password_view(teacher_id: int):
    teacher = school_teacher_or_404(teacher_id)
    url, expires_at = issue_password_link(teacher)
    db.session.commit()
    emailed = email_password_link(teacher, url, expires_at, current_user)
    return render_template("school/link_once.html", title=f"New password link for {teacher.name}", url=url,
                           emailed=emailed, email=teacher.email, expires_at=expires_at,
                           explain=f"{teacher.name}'s old password no longer works and every session of theirs "
                                   "has ended. Give them this link to choose a new one.")


@bp.route("/school/settings", methods=["GET", "POST"])
@admin_required
@form_view
def settings():
    school = current_user.school
    form = SchoolSettingsForm(obj=school)
    if not form.is_submitted():
        form.student_remember_me.data = bool(school_setting(school, "student_remember_me"))
        form.date_style.data = school_setting(school, "date_style")
    if form.validate_on_submit():
        school.name, school.time_zone = form.name.data, form.time_zone.data
        set_school_setting(school, "student_remember_me", bool(form.student_remember_me.data))
        set_school_setting(school, "date_style", form.date_style.data)
        db.session.commit()
        flash("School settings saved.", "success")
        return redirect(url_for("school.settings"))
    return render_template("school/settings.html", form=form, school=school, time_zones=_time_zones())


def _time_zones() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/")))
