"""A limit a user has reached: answered with its status (429 for quotas), a Retry-After header and a
message that says when to try again, as JSON on API paths and as a page in the browser."""
from __future__ import annotations

import math

from flask import Flask, render_template

from app.extensions import db
from app.http import json_error, wants_json


class LimitReached(Exception):
    """Refused until *retry_after* seconds have passed; *message* is written for the person asking."""

    def __init__(self, message: str, retry_after: float, *, code: str, status: int = 429) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status
        self.retry_after = max(1, math.ceil(retry_after))


def init_limit_errors(app: Flask) -> None:
    app.register_error_handler(LimitReached, handle_limit_reached)


def handle_limit_reached(exc: LimitReached):
    db.session.rollback()
    headers = {"Retry-After": str(exc.retry_after)}
    if wants_json():
        response, status = json_error(exc.status, exc.message, code=exc.code, retry_after=exc.retry_after)
        return response, status, headers
    return render_template("errors/error.html", status=exc.status, message=exc.message), exc.status, headers


def wait_in_words(seconds: float) -> str:
    """"45 seconds", "12 minutes", "3 hours", "2 days": how long a wait is, rounded up."""
    seconds = max(1, math.ceil(seconds))
    for unit, size, below in (("second", 1, 90), ("minute", 60, 90 * 60), ("hour", 3600, 36 * 3600)):
        if seconds < below:
            return _count(math.ceil(seconds / size), unit)
    return _count(math.ceil(seconds / 86400), "day")


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"
