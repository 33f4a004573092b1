"""The emails an admin's actions send, when mail is configured."""
from __future__ import annotations

from datetime import datetime

from flask import render_template

from app.mail import send_email
from app.models import Invite, User


def email_invite(row: Invite, url: str, admin: User) -> bool:
    body = render_template("email/invite.txt", invite=row, url=url, school=row.school, inviter=admin.name)
    return send_email(row.email, f"Join {row.school.name} on Podium", body)


def email_password_link(user: User, url: str, expires_at: datetime, admin: User) -> bool:
    body = render_template("email/password_issued.txt", user=user, url=url, expires_at=expires_at, admin=admin)
    return send_email(user.email, "Choose a new Podium password", body)
