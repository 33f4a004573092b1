"""Jinja filters and globals shared by every template, and the norms every page reads."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Flask, current_app
from flask_login import current_user

from app.analysis import norms
from app.analysis.rounding import whole
from app.analysis.wording import plural, spoken_time
from app.dates import viewer_calendar
from app.practice import figures
from app.practice.report_view import build_report_view


def init_templating(app: Flask) -> None:
    # Dates in the viewer's school's time zone and format (app/dates.py).
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.globals["school_calendar"] = viewer_calendar
    app.jinja_env.filters["plural"] = plural
    app.jinja_env.filters["spoken_time"] = spoken_time
    app.jinja_env.filters["ago"] = format_ago
    app.jinja_env.filters["duration"] = format_duration
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["password_hint"] = password_hint
    # Every score badge is coloured and worded the way the report bands its scores.
    app.jinja_env.globals["score_band"] = norms.score_band
    # Any template (the teacher's too) hands a session to the report macros through this.
    app.jinja_env.globals["report_view"] = build_report_view
    # The norms and the rules of the practice figures, for the sentences that explain them.
    app.context_processor(lambda: {"norms": norms, "figure_rules": figures})


# Each role's menu, in order.
NAV = {
    "admin": [("school.dashboard", "My school"), ("school.settings", "School settings")],
    "teacher": [("teacher.dashboard", "My classes"), ("batch.page", "Batch analysis")],
    "student": [
        ("student.dashboard", "Practise"),
        ("student.pronunciation", "Pronunciation"),
        ("student.progress", "My Progress"),
        ("student.account", "My account"),
    ],
}


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return NAV[current_user.role]


def password_hint() -> str:
    config = current_app.config
    return (f"{config['PASSWORD_MIN_LENGTH']} to {config['PASSWORD_MAX_LENGTH']} characters, hard to guess: "
            "three or four uncommon words work well.")


def format_when(value: datetime | None) -> str:
    """A moment, as the viewer's school writes it: "18 Mar 2026, 14:05"."""
    return viewer_calendar().datetime_text(value)


def format_day(value: date | datetime | None) -> str:
    """A day, as the viewer's school writes it: "18 Mar 2026"."""
    return viewer_calendar().date_text(value)


def format_ago(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return "never"
    seconds = int(((now or datetime.now(timezone.utc)) - value).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def format_score(value: float | None) -> str:
    # A figure a stored report does not have (an older reading, an engine without prosody) reads as a dash.
    return str(whole(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else "—"
