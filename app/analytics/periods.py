"""The period a class report covers: whole days in the school's time zone, so a cached report stays
valid all day and its days are the days the school's pages show (app/dates.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Mapping
from zoneinfo import ZoneInfo

DEFAULT_DAYS = 14
MAX_DAYS = 366


class PeriodError(ValueError):
    """A period the teacher asked for that makes no sense; the message is shown as it is."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Period:
    first: date  # inclusive
    last: date  # inclusive
    zone: str = "UTC"  # the school's IANA time zone: where each day starts

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(self.zone)).astimezone(timezone.utc)

    @property
    def start(self) -> datetime:
        """Midnight at the start of the first day, school time, in UTC."""
        return self._midnight(self.first)

    @property
    def end(self) -> datetime:
        """Exclusive upper bound: midnight after the last day."""
        return self._midnight(self.last + timedelta(days=1))

    def local_day(self, moment: datetime) -> date:
        """The school's day *moment* falls on."""
        return moment.astimezone(ZoneInfo(self.zone)).date()

    @property
    def key(self) -> str:
        days = f"{self.first.isoformat()}..{self.last.isoformat()}"
        return days if self.zone == "UTC" else f"{days}@{self.zone}"

    def previous(self) -> "Period":
        """The period of equal length just before this one, for trends."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1), self.zone)

    def to_json(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "days": self.days, "time_zone": self.zone}


def last_days(days: int, today: date, zone: str = "UTC") -> Period:
    return Period(today - timedelta(days=days - 1), today, zone)


def parse_period(args: Mapping[str, str], today: date, zone: str = "UTC") -> Period:
    """``?days=N`` (default 14) or ``?from=YYYY-MM-DD&to=YYYY-MM-DD``; PeriodError on anything else."""
    first, last = args.get("from"), args.get("to")
    if first or last:
        if args.get("days"):
            raise PeriodError("Give either days or a from/to range, not both.", "days")
        if not (first and last):
            raise PeriodError("Give both a from and a to date.", "from" if not first else "to")
        period = Period(_date(first, "from"), _date(last, "to"), zone)
        if period.last < period.first:
            raise PeriodError("The from date must not be after the to date.", "to")
        if period.days > MAX_DAYS:
            raise PeriodError(f"Choose a range of at most {MAX_DAYS} days.", "from")
        if period.first > today:
            raise PeriodError("The range starts in the future.", "from")
        return period
    raw = args.get("days") or str(DEFAULT_DAYS)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
        raise PeriodError(f"Days must be a whole number from 1 to {MAX_DAYS}.", "days")
    return last_days(int(raw), today, zone)


def _date(value: str, field: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"{value!r} is not a date; use YYYY-MM-DD.", field) from None
