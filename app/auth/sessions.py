"""Starting and ending browser sessions."""
from __future__ import annotations

from flask import current_app, session
from flask_login import login_user, logout_user

from app.models import User


def remember_allowed(user: User) -> bool:
    """Adults may stay logged in on their own device; children on shared school computers may not,
    unless STUDENT_REMEMBER_ME (or their school's setting of it) says otherwise."""
    if user.is_adult:
        return True
    from app.school.settings import school_setting

    return bool(school_setting(user.school, "student_remember_me"))


def start_session(user: User, remember: bool = False) -> None:
    """Log *user* in on a fresh session: nothing set before log-in survives it (session fixation)."""
    session.clear()
    login_user(user, remember=remember and remember_allowed(user),
               duration=current_app.config["REMEMBER_COOKIE_DURATION"])


def end_every_session(user: User) -> None:
    """Log out here and everywhere else: the old session version is in every cookie and token."""
    logout_user()
    session.clear()
    user.end_sessions()
