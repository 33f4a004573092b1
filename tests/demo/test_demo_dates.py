"""The demo is dated relative to the day it is seeded: whatever the day and hour, this week shows
the last week's practice, nothing is in the future and each student's order is kept."""
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.dates import SchoolCalendar
from app.demo.sessions import DEMO_DATA, demo_time

SPEECHES = json.loads((DEMO_DATA / "speeches.json").read_text())
MONDAY = datetime(2026, 3, 16, tzinfo=timezone.utc)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
@pytest.mark.parametrize("hours", [0.2, 1, 9, 23.9, 30, 75, 120, 167.9])  # from Monday 00:12 to Sunday 23:54
def test_recent_demo_speeches_fall_in_this_week(zone, hours):
    calendar = SchoolCalendar(ZoneInfo(zone))
    now = calendar.week(MONDAY + timedelta(days=2)).start + timedelta(hours=hours)
    week = calendar.week(now)
    times = {id(s): demo_time(s["days_ago"], now, week.start) for s in SPEECHES}
    assert all(t < now for t in times.values())
    recent = [s for s in SPEECHES if s["days_ago"] < 7]
    assert recent and all(week.start <= times[id(s)] for s in recent)
    for student in {s["student"] for s in SPEECHES}:
        own = sorted((s for s in SPEECHES if s["student"] == student), key=lambda s: -s["days_ago"])
        assert [times[id(s)] for s in own] == sorted(times[id(s)] for s in own), student
