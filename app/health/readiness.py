"""Is this host ready to serve? The database, the broker and the recordings store, each asked briefly.

Checks run side by side, each given READY_TIMEOUT_SECONDS, so one server that hangs
(a Redis behind a dropped firewall rule) makes the answer slow by seconds, not minutes.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable

from flask import Flask, current_app
from sqlalchemy import text


def check_database(app: Flask) -> None:
    from app.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def check_broker(app: Flask) -> None:
    timeout = app.config["READY_TIMEOUT_SECONDS"]
    with app.extensions["celery"].connection_for_write(connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)


def check_storage(app: Flask) -> None:
    app.extensions["storage"].ping()


CHECKS: dict[str, Callable[[Flask], None]] = {
    "database": check_database, "broker": check_broker, "storage": check_storage,
}


def readiness() -> dict[str, str]:
    """What failed, by check name, with a short reason; empty when everything answered."""
    app = current_app._get_current_object()  # noqa: SLF001 - the checks run in other threads
    timeout = app.config["READY_TIMEOUT_SECONDS"]
    failed: dict[str, str] = {}
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="ready")
    futures = {name: pool.submit(check, app) for name, check in CHECKS.items()}
    for name, future in futures.items():
        try:
            future.result(timeout=timeout + 1)
        except FutureTimeout:
            failed[name] = f"no answer within {timeout:g} s"
        except Exception as exc:  # noqa: BLE001 - any failure of a check is what /ready reports
            failed[name] = _reason(exc)
    pool.shutdown(wait=False, cancel_futures=True)
    return failed


def _reason(exc: Exception) -> str:
    # The exception's type and first line: enough for an operator, and never a password from a URL.
    first_line = (str(exc).splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
