"""Links that let one person set a new password, once.

A link is signed with SECRET_KEY and names the user and their session version; setting a password
raises the version, so the link (and every other one sent before) stops working at once.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.extensions import db
from app.models import User

SALT = "podium.password-link"
# "issued": made by an admin or the command line and handed over by hand, valid as long as an invite.
# "forgot": asked for by the user and emailed, valid for PASSWORD_RESET_MINUTES.
PURPOSES = ("issued", "forgot")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def link_lifetime(purpose: str) -> timedelta:
    config = current_app.config
    if purpose == "issued":
        return timedelta(days=config["INVITE_DAYS"])
    return timedelta(minutes=config["PASSWORD_RESET_MINUTES"])


def password_link(user: User, purpose: str) -> tuple[str, datetime]:
    """The absolute URL of a set-password page for *user*, and when it stops working."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    token = _serializer().dumps({"u": user.id, "v": user.session_version, "p": purpose})
    expires_at = datetime.now(timezone.utc) + link_lifetime(purpose)
    return url_for("auth.set_password", token=token, _external=True), expires_at


def user_for_link(token: str) -> User | None:
    """The user a still-valid link was made for, or None for a forged, expired or used link."""
    try:
        data, signed_at = _serializer().loads(token, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") not in PURPOSES:
        return None
    if time.time() - signed_at.timestamp() > link_lifetime(data["p"]).total_seconds():
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or user.session_version != data.get("v"):
        return None
    return user
