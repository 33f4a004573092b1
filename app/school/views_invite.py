"""The page an invited teacher opens: choose a name and password, and join the school."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template
from flask_login import current_user

from app.auth.guards import form_view, public
from app.auth.rate_limits import count_failure, link_attempts
from app.auth.sessions import start_session
from app.auth.views import home_for
from app.extensions import db

from . import services
from .blueprint import bp
from .forms import AcceptInviteForm
from .services import SchoolError, pending_invite

INVITE_GONE = "This invitation has expired, was withdrawn or was already used. Ask your school's admin for a new one."


@bp.route("/invite/<token>", methods=["GET", "POST"])
@link_attempts
@public
@form_view
def accept_invite(token: str):
    row = pending_invite(token)
    if row is None:
        count_failure()
        abort(404, INVITE_GONE)
    if current_user.is_authenticated:
        return render_template("school/invite_logged_in.html", invite=row)
    form = AcceptInviteForm()
    form.user_inputs = (row.email,)
    if form.validate_on_submit():
        try:
            user = services.accept_invite(row, form.name.data, form.password.data)
        except SchoolError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            start_session(user)
            flash(f"Welcome to {row.school.name}, {user.first_name}!", "success")
            return redirect(home_for(user))
    return render_template("school/accept_invite.html", form=form, invite=row)
