"""Request authentication: session cookies for browsers, bearer tokens for API clients,
and the CSRF rule that ties them together."""
from __future__ import annotations

from flask import Flask, abort, current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.extensions import csrf, db, login_manager
from app.http import JSON_PATHS
from app.limits import limit_request_body
from app.models import User

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def init_security(app: Flask) -> None:
    from app.auth.passwords import meets_owasp_cost

    if app.config["ENV_NAME"] == "production" and not meets_owasp_cost(app.config["PASSWORD_HASH_METHOD"]):
        raise RuntimeError("PASSWORD_HASH_METHOD must be scrypt with at least N=131072, r=8, p=1 in production.")
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    # In this order: who is asking, then how big the body may be, then CSRF (which reads the body).
    app.before_request(_authenticate_bearer)
    app.before_request(_refuse_anonymous_api)
    app.before_request(limit_request_body)
    app.before_request(_protect_against_csrf)


def _load_user(session_id: str) -> User | None:
    """The user of a session or remember-me cookie, if the cookie's session version is still theirs."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def _authenticate_bearer() -> None:
    """A bearer token, when sent, is the only credential of the request (cookies are ignored)."""
    from app.auth.tokens import TokenError, resolve_token

    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return
    g.bearer_attempted = True
    try:
        token = resolve_token(header[7:].strip())
    except TokenError as exc:
        g.bearer_error = exc.reason
        login_manager._update_request_context_with_user(None)
        return
    g.api_token = token
    login_manager._update_request_context_with_user(token.user)


def _refuse_anonymous_api() -> None:
    """An API route that needs a log-in answers 401 JSON to an anonymous caller before its body is read."""
    if not request.path.startswith(JSON_PATHS) or current_user.is_authenticated:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "required_role", "public") != "public":
        abort(401)


# JSON sign-up and token requests present credentials rather than ride on a cookie,
# and their answers cannot be read by another site, so CSRF adds nothing there.
CREDENTIAL_PATHS = {"/users/signup", "/token"}


def _protect_against_csrf() -> None:
    # A bearer token cannot be attached by another site, so it needs no CSRF token;
    # a cookie can, so every other state-changing request must carry one.
    if request.method not in UNSAFE_METHODS or g.get("bearer_attempted") or request.path in CREDENTIAL_PATHS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "csrf_via_form", False):
        return
    csrf.protect()


__all__ = ["CSRFError", "init_security"]
