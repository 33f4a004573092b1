"""Browser sign-up, log-in and log-out."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.http import is_safe_redirect
from app.mail import mail_enabled

from .blueprint import bp
from .forms import LoginForm, WebSignupForm
from .guards import form_view, login_required, public
from .rate_limits import count_failure, login_attempts, signup_attempts
from .services import EmailTaken, authenticate, register_student
from .sessions import end_every_session, start_session

TEACHERS_JOIN_BY_INVITE = (
    "Teachers join Podium by invitation: ask your school's Podium admin to invite you. "
    "Sign-up here is for students."
)
WRONG_LOGIN = (
    "That username or email and password don't match an account. After several wrong tries an "
    "account waits a few minutes before it accepts any password."
)


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("auth/index.html")


@bp.route("/signup", methods=["GET", "POST"])
@signup_attempts
@public
@form_view
def signup():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    if request.method == "POST" and request.form.get("role", "student") != "student":
        abort(403, TEACHERS_JOIN_BY_INVITE)
    form = WebSignupForm()
    if form.validate_on_submit():
        try:
            user = register_student(form.name.data, form.email.data, form.password.data)
        except EmailTaken:
            # Lost a race with another sign-up for the same address.
            db.session.rollback()
            form.email.errors.append("An account with this email already exists. Try logging in.")
        else:
            db.session.commit()
            start_session(user)
            flash(f"Welcome to Podium, {user.first_name}!", "success")
            return redirect(home_for(user))
    return render_template("auth/signup.html", form=form, teachers_note=TEACHERS_JOIN_BY_INVITE)


@bp.route("/login", methods=["GET", "POST"])
@login_attempts
@public
@form_view
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.login.data, form.password.data)
        db.session.commit()  # the failure count or its reset
        if user is None:
            count_failure()
            form.password.errors.append(WRONG_LOGIN)
        else:
            start_session(user, remember=form.remember_me.data)
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else home_for(user))
    return render_template("auth/login.html", form=form, mail_enabled=mail_enabled())


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_every_session(current_user._get_current_object())
    db.session.commit()
    flash("You have logged out on every device.", "info")
    return redirect(url_for("auth.login"))


def home_for(user) -> str:
    if user.is_admin:
        return url_for("school.dashboard")
    return url_for("teacher.dashboard" if user.is_teacher else "student.dashboard")
