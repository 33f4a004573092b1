"""Accounts over JSON for the mobile and scripting clients."""
from flask import current_app, g, jsonify, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.http import form_errors, json_error

from .blueprint import bp
from .forms import SignupForm
from .guards import login_required, public
from .rate_limits import count_failure, login_attempts, signup_attempts
from .services import EmailTaken, authenticate, find_user_by_email, register_student
from .sessions import end_every_session
from .tokens import issue_token, revoke_token
from .views import TEACHERS_JOIN_BY_INVITE

ROLE_CHOICES = ("student", "teacher", "admin")


@bp.route("/users/signup", methods=["POST"])
@signup_attempts
@public
def api_signup():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return json_error(400, "Send a JSON object with email, password and name.")
    role = data.get("role", "student")
    if role not in ROLE_CHOICES:
        return json_error(400, "Some fields need fixing.", code="invalid",
                          errors={"role": ["Sign-up is for students; leave role out or send \"student\"."]})
    if role != "student":
        return json_error(403, TEACHERS_JOIN_BY_INVITE, code="invite_only")
    if isinstance(data.get("email"), str) and find_user_by_email(data["email"]):
        return json_error(409, "An account with this email already exists.", code="email_taken")
    # Only strings reach the form: a number or list where a string belongs is a field error.
    fields = MultiDict({k: v for k, v in data.items() if isinstance(v, str)})
    form = SignupForm(formdata=fields, meta={"csrf": False})
    if not form.validate():
        return json_error(400, "Some fields need fixing.", code="invalid", errors=form_errors(form))
    try:
        user = register_student(form.name.data, form.email.data, form.password.data)
    except EmailTaken:
        db.session.rollback()
        return json_error(409, "An account with this email already exists.", code="email_taken")
    db.session.commit()
    return jsonify(user.to_json()), 201


@bp.route("/token", methods=["POST"])
@login_attempts
@public
def api_token():
    # OAuth2's password flow sends form fields; JSON clients may send an object.
    data = request.get_json(silent=True) if request.is_json else request.form
    data = data if isinstance(data, dict) or hasattr(data, "get") else {}
    user = authenticate(str(data.get("username") or data.get("email") or ""), str(data.get("password") or ""))
    if user is None:
        db.session.commit()  # the failure count
        count_failure()
        return json_error(401, "Wrong username, email or password.", code="invalid_grant")
    ttl = current_app.config["API_TOKEN_TTL_SECONDS"]
    clear, _ = issue_token(user, ttl)
    db.session.commit()
    return jsonify({"access_token": clear, "token_type": "bearer", "expires_in": ttl})


@bp.route("/api/me")
@login_required
def api_me():
    return jsonify(current_user.to_json())


@bp.route("/api/logout", methods=["POST"])
@login_required
def api_logout():
    """End every session of this user: this token, their other tokens and every browser cookie."""
    user = current_user._get_current_object()
    token = g.get("api_token")
    if token is not None:
        revoke_token(token)
    end_every_session(user)
    db.session.commit()
    return jsonify({"revoked": True, "sessions_ended": True})
