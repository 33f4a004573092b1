"""Per-school settings: each has its default in Config, and a school may store its own value."""
from __future__ import annotations

from typing import Any

from flask import current_app

from app.models import School

# Setting name -> the Config key that holds its default.
SCHOOL_SETTINGS = {
    "student_remember_me": "STUDENT_REMEMBER_ME",
    "audio_retention_days": "AUDIO_RETENTION_DAYS",
    "date_style": "DATE_STYLE",
}


def school_setting(school: School | None, name: str) -> Any:
    """The school's own value of setting *name*, else the default from Config."""
    default = current_app.config[SCHOOL_SETTINGS[name]]
    if school is None:
        return default
    return (school.settings or {}).get(name, default)


def set_school_setting(school: School, name: str, value: Any) -> None:
    if name not in SCHOOL_SETTINGS:
        raise KeyError(name)
    # A new dict, so SQLAlchemy sees the JSON column change.
    school.settings = {**(school.settings or {}), name: value}
