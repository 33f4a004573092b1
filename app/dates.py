"""Dates as a school reads them: its time zone, its date format, its week.

Every date a person reads goes through a ``SchoolCalendar``: templates through the ``when`` and
``day`` filters (app/templating.py, the viewer's school), Python (the class report, CSV exports,
the command line) through ``calendar_for(school)``. "This week" and a report's days are whole
days in the school's time zone, so the roster, My Progress and the class report count the same
sessions. Stored times stay UTC; only what is shown and how days are cut is local.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app

from app.models import School, utcnow

# How a school writes a day and a time of day; the keys are the choices of the school's setting.
DATE_STYLES: dict[str, str] = {
    "day_month": "18 Mar 2026, 14:05",
    "month_day": "Mar 18, 2026, 2:05 pm",
    "iso": "2026-03-18 14:05",
}


@dataclass(frozen=True)
class Span:
    """A half-open stretch of time [start, end), in UTC: a week, a report's days."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class SchoolCalendar:
    zone: ZoneInfo
    style: str = "day_month"

    @property
    def zone_name(self) -> str:
        return self.zone.key

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def today(self, now: datetime | None = None) -> date:
        return self.local(now or utcnow()).date()

    def day_start(self, day: date) -> datetime:
        """Midnight at the start of *day* in the school's zone, as a UTC time."""
        return datetime.combine(day, time.min, tzinfo=self.zone).astimezone(timezone.utc)

    def days(self, first: date, last: date) -> Span:
        """Whole school days from *first* to *last*, both included."""
        return Span(self.day_start(first), self.day_start(last + timedelta(days=1)))

    def week(self, now: datetime | None = None) -> Span:
        """This week as a school timetable reads it: Monday 00:00 to the next Monday, local time."""
        today = self.today(now)
        monday = today - timedelta(days=today.weekday())
        return self.days(monday, monday + timedelta(days=6))

    def date_text(self, value: date | datetime | None) -> str:
        """A day as the school writes it: "18 Mar 2026", "Mar 18, 2026" or "2026-03-18"."""
        if value is None:
            return "—"
        day = self.local(value).date() if isinstance(value, datetime) else value
        if self.style == "month_day":
            return f"{day:%b} {day.day}, {day.year}"
        if self.style == "iso":
            return day.isoformat()
        return f"{day.day} {day:%b} {day.year}"

    def short_date_text(self, value: date | datetime) -> str:
        """A day without its year, for chart axes: "18 Mar", "Mar 18" or "03-18"."""
        day = self.local(value).date() if isinstance(value, datetime) else value
        if self.style == "month_day":
            return f"{day:%b} {day.day}"
        if self.style == "iso":
            return f"{day:%m-%d}"
        return f"{day.day} {day:%b}"

    def datetime_text(self, value: datetime | None) -> str:
        """A moment as the school writes it, in its own time zone: "18 Mar 2026, 14:05"."""
        if value is None:
            return "—"
        local = self.local(value)
        if self.style == "month_day":
            hour = local.hour % 12 or 12
            return f"{self.date_text(local)}, {hour}:{local:%M} {'am' if local.hour < 12 else 'pm'}"
        separator = " " if self.style == "iso" else ", "
        return f"{self.date_text(local)}{separator}{local:%H:%M}"

    def key(self) -> str:
        """What cached text written with this calendar depends on."""
        return f"{self.zone_name}|{self.style}"


def calendar_for(school: School | None) -> SchoolCalendar:
    """The calendar of *school*; without one (a student who signed up alone), DEFAULT_TIME_ZONE."""
    from app.school.settings import school_setting

    config = current_app.config
    name = school.time_zone if school is not None and school.time_zone else config["DEFAULT_TIME_ZONE"]
    style = school_setting(school, "date_style")
    return SchoolCalendar(zone_for(name), style if style in DATE_STYLES else config["DATE_STYLE"])


def calendar_of(user) -> SchoolCalendar:
    """The calendar of *user*'s school (by id, so a user loaded in an earlier request works too)."""
    from app.extensions import db

    school_id = getattr(user, "school_id", None)
    return calendar_for(db.session.get(School, school_id) if school_id else None)


def zone_for(name: str) -> ZoneInfo:
    """The IANA zone called *name*; a name the zone database lacks (a removed alias) reads as UTC."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def viewer_calendar() -> SchoolCalendar:
    """The calendar of whoever is asking (their school's), for pages and JSON; worked out once a request."""
    from flask import g, has_request_context
    from flask_login import current_user

    user = current_user if getattr(current_user, "is_authenticated", False) else None
    key = f"school_calendar_{getattr(user, 'school_id', None)}"
    if has_request_context() and key in g:
        return g.get(key)
    calendar = calendar_of(user)
    if has_request_context():
        setattr(g, key, calendar)
    return calendar
