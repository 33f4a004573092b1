"""Passwords: change your own, set one from a link, and ask for a link by email."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.http import json_error
from app.mail import mail_enabled, send_email
from app.models import utcnow

from .blueprint import bp
from .forms import ChangePasswordForm, ForgotPasswordForm, SetPasswordForm
from .guards import form_view, login_required, public
from .lockout import record_failure
from .password_links import password_link, user_for_link
from .passwords import password_problem
from .rate_limits import count_failure, link_attempts, login_attempts
from .services import change_password, find_user_by_email
from .sessions import start_session
from .views import home_for

LINK_GONE = "This link has expired or was already used. Ask for a new one."
WRONG_CURRENT = "That is not your current password."


@bp.route("/account/password", methods=["GET", "POST"])
@login_attempts
@login_required
@form_view
def change_own_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.adult, form.user_inputs = user.is_adult, (user.name, user.email, user.username)
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            _wrong_current_password(user)
            form.current_password.errors.append(WRONG_CURRENT)
        else:
            change_password(user, form.password.data)
            db.session.commit()
            start_session(user)
            flash("Password changed. You were logged out on every other device.", "success")
            return redirect(home_for(user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/api/me/password", methods=["POST"])
@login_attempts
@login_required
def api_change_own_password():
    user = current_user._get_current_object()
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    current, new = data.get("current_password"), data.get("new_password")
    if not isinstance(current, str) or not isinstance(new, str):
        return json_error(400, "Send current_password and new_password.", code="invalid")
    if not user.check_password(current):
        _wrong_current_password(user)
        return json_error(400, WRONG_CURRENT, code="invalid", errors={"current_password": [WRONG_CURRENT]})
    problem = password_problem(new, adult=user.is_adult, user_inputs=(user.name, user.email, user.username))
    if problem:
        return json_error(400, problem, code="invalid", errors={"new_password": [problem]})
    change_password(user, new)
    db.session.commit()
    return jsonify({"changed": True, "message": "Password changed. Every session and token was ended; log in again."})


def _wrong_current_password(user) -> None:
    record_failure(user, utcnow())
    db.session.commit()
    count_failure()


@bp.route("/password/new/<token>", methods=["GET", "POST"])
@link_attempts
@public
@form_view
def set_password(token: str):
    user = user_for_link(token)
    if user is None:
        count_failure()
        abort(404, LINK_GONE)
    form = SetPasswordForm()
    form.adult, form.user_inputs = user.is_adult, (user.name, user.email, user.username)
    if form.validate_on_submit():
        change_password(user, form.password.data)
        db.session.commit()
        start_session(user)
        flash("Your password is saved. Welcome to Podium!", "success")
        return redirect(home_for(user))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/forgot-password", methods=["GET", "POST"])
@link_attempts
@public
@form_view
def forgot_password():
    form = ForgotPasswordForm()
    if mail_enabled() and form.validate_on_submit():
        count_failure()  # every request may send an email, so each one counts
        user = find_user_by_email(form.email.data)
        if user is not None and user.is_adult and user.is_active:
            url, _ = password_link(user, "forgot")
            body = render_template("email/forgot_password.txt", user=user, url=url)
            send_email(user.email, "Set a new Podium password", body)
        # The same answer whether or not the address has an account.
        flash("If that address has a teacher or admin account, we have emailed it a link. Check your inbox.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form, mail_enabled=mail_enabled())
