"""Per-account lockout: after a run of wrong passwords an account refuses every password for a while.

The wait is stored on the user row, so it holds across processes and hosts, and it doubles with each
wrong password tried after a wait has run out. Passwords tried while an account waits are not checked
and do not count, so the answer and the work done are the same as for a wrong password.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from app.models import User


def lockout_seconds(failures: int) -> int:
    """How long an account waits after *failures* wrong passwords in a row (0 below the threshold)."""
    config = current_app.config
    over = failures - config["LOGIN_LOCKOUT_THRESHOLD"]
    if over < 0:
        return 0
    return min(config["LOGIN_LOCKOUT_BASE_SECONDS"] * 2 ** min(over, 20), config["LOGIN_LOCKOUT_MAX_SECONDS"])


def record_failure(user: User, now: datetime) -> None:
    if user.is_locked(now):
        return
    user.failed_logins = (user.failed_logins or 0) + 1
    wait = lockout_seconds(user.failed_logins)
    if wait:
        user.locked_until = now + timedelta(seconds=wait)


def record_success(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
