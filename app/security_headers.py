"""Security headers on every response: what a page may load, who may frame it, and what is kept.

The Content-Security-Policy allows scripts and styles from our own origin only, with no inline
script or style attribute anywhere (JSON data blocks are not executed, so they need no exception);
pages set sizes through the CSSOM or native <progress>. In production the session and remember
cookies are Secure and browsers are told to use HTTPS only (HSTS).
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",  # the recorder plays the take back from a blob: URL
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    # Our URLs name students and sessions: other sites never see them.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "microphone=(self), camera=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_security_headers(app: Flask) -> None:
    if app.config["ENV_NAME"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.after_request(_add_security_headers)


def _add_security_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    if current_app.config["ENV_NAME"] == "production":
        response.headers["Strict-Transport-Security"] = f"max-age={current_app.config['HSTS_MAX_AGE_SECONDS']}"
    # Everything but the static files is about someone (a page, a report, a recording, a token):
    # no browser or proxy keeps a copy for the next person at the same computer.
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response
