"""Dates as a school reads them: its time zone, its format, its week (app/dates.py)."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from app.dates import SchoolCalendar, calendar_for, zone_for
from tests.factories import make_school

LATE = datetime(2026, 3, 18, 23, 30, tzinfo=timezone.utc)  # Wednesday night in London, Thursday in Auckland


@pytest.mark.parametrize(("style", "day", "moment"), [
    ("day_month", "18 Mar 2026", "18 Mar 2026, 23:30"),
    ("month_day", "Mar 18, 2026", "Mar 18, 2026, 11:30 pm"),
    ("iso", "2026-03-18", "2026-03-18 23:30"),
])
def test_each_style(style, day, moment):
    calendar = SchoolCalendar(ZoneInfo("UTC"), style)
    assert (calendar.date_text(LATE), calendar.datetime_text(LATE)) == (day, moment)


def test_the_schools_zone_decides_the_day_and_the_week():
    auckland = SchoolCalendar(ZoneInfo("Pacific/Auckland"))
    assert auckland.date_text(LATE) == "19 Mar 2026" and auckland.datetime_text(LATE) == "19 Mar 2026, 12:30"
    # Auckland's Monday 16 March began at 11:00 UTC on Sunday 15 March.
    assert auckland.week(LATE).start == datetime(2026, 3, 15, 11, tzinfo=timezone.utc)
    # The week with a clock change (Sunday 29 March 2026 in London) is seven local days, an hour short.
    london = SchoolCalendar(ZoneInfo("Europe/London")).week(datetime(2026, 3, 25, 12, tzinfo=timezone.utc))
    assert (london.start.hour, london.end.hour) == (0, 23) and (london.end - london.start).days == 6


def test_midnight_and_nothing():
    calendar = SchoolCalendar(ZoneInfo("UTC"))
    assert calendar.date_text(None) == "—" and calendar.datetime_text(None) == "—"
    assert calendar.date_text(date(2026, 1, 5)) == "5 Jan 2026"
    assert SchoolCalendar(ZoneInfo("UTC"), "month_day").datetime_text(datetime(2026, 1, 5, tzinfo=timezone.utc)) \
        == "Jan 5, 2026, 12:00 am"


def test_a_school_gets_its_zone_and_style_and_unknown_zones_read_as_utc(app_ctx):
    school = make_school(time_zone="America/New_York")
    school.settings = {"date_style": "month_day"}
    calendar = calendar_for(school)
    assert (calendar.zone_name, calendar.style) == ("America/New_York", "month_day")
    assert calendar_for(None).zone_name == "UTC" and calendar_for(None).style == "day_month"
    assert zone_for("Not/AZone").key == "UTC"
