"""Browser sign-up, log-in and log-out."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from app.extensions import db
from app.http import is_safe_redirect

from .blueprint import bp
from .forms import LoginForm, WebSignupForm
from .guards import form_view, login_required, public
from .services import EmailTaken, authenticate, register_user


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    return render_template("auth/index.html")


@bp.route("/signup", methods=["GET", "POST"])
@public
@form_view
def signup():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = WebSignupForm()
    if form.validate_on_submit():
        try:
            user = register_user(form.name.data, form.email.data, form.password.data, form.role.data)
        except EmailTaken:
            # Lost a race with another sign-up for the same address.
            db.session.rollback()
            form.email.errors.append("An account with this email already exists. Try logging in.")
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome to Podium, {user.first_name}!", "success")
            return redirect(_home_for(user))
    return render_template("auth/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@public
@form_view
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append("That email and password don't match an account.")
        else:
            login_user(user, remember=form.remember_me.data)
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else _home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


def _home_for(user) -> str:
    return url_for("teacher.dashboard" if user.is_teacher else "student.dashboard")
