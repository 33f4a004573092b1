"""Outgoing email through Flask-Mail, used only when MAIL_SERVER is configured."""
from __future__ import annotations

import smtplib

from flask import current_app
from flask_mail import Message

from app.extensions import mail


def mail_enabled() -> bool:
    return bool(current_app.config["MAIL_SERVER"])


def send_email(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; False (and a log line) when mail is off or the server refused it,
    so the caller can show the link instead and nothing is lost."""
    if not mail_enabled():
        return False
    try:
        mail.send(Message(subject=subject, recipients=[to], body=body))
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("could not send %r to %s", subject, to)
        return False
    return True
