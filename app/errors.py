"""One error handler for the whole app: a page for browsers, JSON for API clients."""
from __future__ import annotations

from flask import Flask, flash, g, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.http import is_safe_redirect, json_error, wants_json
from app.limits import init_limit_errors
from app.limits.body import too_large_message

MESSAGES = {
    400: "Something in that request wasn't right.",
    401: "Please log in first.",
    403: "You don't have access to that page.",
    404: "We couldn't find that page.",
    405: "That action isn't allowed here.",
    413: "That file is too big to upload.",
    415: "That kind of file isn't supported.",
    429: "Too many tries. Wait a moment and try again.",
    500: "Something went wrong on our side. Your work is saved; please try again.",
}

BEARER_MESSAGES = {
    "expired": "Your token has expired. Ask for a new one at /token.",
    "revoked": "That token was revoked. Ask for a new one at /token.",
    "invalid": "That token isn't valid.",
}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
    init_limit_errors(app)


def handle_http_error(exc: HTTPException):
    status = exc.code or 500
    message = _message_for(exc, status)
    if wants_json():
        return json_error(status, message)
    return render_template("errors/error.html", status=status, message=message), status


def handle_csrf_error(exc: CSRFError):
    message = "This page was open too long and its security check expired. Please try again."
    if wants_json():
        return json_error(400, message + " Send the X-CSRFToken header from the page.", code="csrf_failed")
    # The user stays logged in: send them back to the page they came from with a note.
    flash(message, "warning")
    back = request.referrer
    return redirect(back if is_safe_redirect(back) else request.path), 303


def handle_unexpected_error(exc: Exception):
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def _message_for(exc: HTTPException, status: int) -> str:
    if status == 401 and g.get("bearer_error"):
        return BEARER_MESSAGES[g.bearer_error]
    default_description = type(exc).description
    if exc.description and exc.description != default_description:
        return exc.description
    if status == 413:  # a body cut off while it was read: say this route's limit
        return too_large_message()
    return MESSAGES.get(status, exc.name)
