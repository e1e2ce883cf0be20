"""Slots from a weekly availability: pure arithmetic on Asia/Shanghai wall-clock times.

Asia/Shanghai has had no daylight saving since 1991, so every weekly range maps to the same UTC
times all year; the arithmetic still goes through zoneinfo so it stays right for any zone.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .zones import FACTORY_ZONE

# How far ahead a streamer may book, and how soon: the cancellation cut-off is 2 h, so a slot
# closer than that could not be cancelled at all.
BOOKING_HORIZON_DAYS = 60
MIN_LEAD = timedelta(hours=3)
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class WeeklyRange:
    weekday: int  # 0 = Monday
    starts: time
    ends: time


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # aware
    ends_at: datetime
    free: int = 0


def slot_starts(
    *, ranges: Iterable[WeeklyRange], minutes: int, first: date, last: date, blackouts: set[date]
) -> Iterator[tuple[datetime, datetime]]:
    """Every (start, end) of a call in [first, last] (Asia/Shanghai dates), in time order."""
    length = timedelta(minutes=minutes)
    by_day: dict[int, list[WeeklyRange]] = {}
    for r in ranges:
        by_day.setdefault(r.weekday, []).append(r)
    day = first
    while day <= last:
        if day not in blackouts:
            starts = set()
            for r in by_day.get(day.weekday(), []):
                start = datetime.combine(day, r.starts, tzinfo=FACTORY_ZONE)
                end = datetime.combine(day, r.ends, tzinfo=FACTORY_ZONE)
                while start + length <= end:
                    starts.add(start)
                    start += length
            for start in sorted(starts):
                yield start, start + length
        day += timedelta(days=1)
