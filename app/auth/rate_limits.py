"""Per-client-address limits on the pages where credentials and codes are guessed.

Log-in, join codes and invite or password links count failed attempts only (a view calls
``count_failure()``), so a whole class logging in at once behind the school's one address is never
refused; sign-up counts every attempt. The limits live in Config and are shared between a page
and its JSON twin, so a guesser gains nothing by switching between them.
"""
from __future__ import annotations

import math
import time

from flask import Flask, current_app, g, render_template
from flask_limiter import RateLimitExceeded

from app.extensions import limiter
from app.http import json_error, wants_json
from app.limits.errors import wait_in_words


def count_failure() -> None:
    """Count this request against its failure-only limits."""
    g.credential_attempt_failed = True


def _failed(_response) -> bool:
    return bool(g.get("credential_attempt_failed"))


def _setting(name: str):
    return lambda: current_app.config[name]


login_attempts = limiter.shared_limit(
    _setting("LOGIN_RATE_LIMIT"), scope="login", methods=["POST"], deduct_when=_failed
)
join_attempts = limiter.shared_limit(_setting("JOIN_RATE_LIMIT"), scope="join", methods=["POST"], deduct_when=_failed)
link_attempts = limiter.shared_limit(_setting("LINK_RATE_LIMIT"), scope="link", deduct_when=_failed)
signup_attempts = limiter.shared_limit(_setting("SIGNUP_RATE_LIMIT"), scope="signup", methods=["POST"])


def init_rate_limits(app: Flask) -> None:
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)


def retry_after_seconds() -> int:
    breached = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    return max(1, math.ceil(max(breached, default=time.time() + 60) - time.time()))


def handle_rate_limited(_exc: RateLimitExceeded):
    wait = retry_after_seconds()
    message = f"Too many tries from this network. Wait {wait_in_words(wait)} and try again."
    if wants_json():
        response, status = json_error(429, message, retry_after=wait)
    else:
        response, status = render_template("errors/error.html", status=429, message=message), 429
    return response, status, {"Retry-After": str(wait)}
