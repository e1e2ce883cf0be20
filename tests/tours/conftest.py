from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import makers
from tours.services.availability import WindowInput, tour_availability_save

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 1 March 2027, 08:00 in Shanghai: the clock of most tests here.
MONDAY = date(2027, 3, 1)
T0 = datetime(2027, 3, 1, 8, 0, tzinfo=SHANGHAI)
MEETING = "https://meeting.tencent.com/dm/abc123"


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def publish(factory, *, parallel_calls=1, slot_minutes=30, windows=None, blackouts=()):
    """Weekdays 14:00–16:00 Shanghai by default."""
    windows = windows or [WindowInput(d, time(14), time(16)) for d in range(5)]
    return tour_availability_save(
        actor=factory.owner,
        meeting_url=MEETING,
        slot_minutes=slot_minutes,
        parallel_calls=parallel_calls,
        windows=windows,
        blackouts=list(blackouts),
    )


@pytest.fixture
def factory(db):
    return makers.FactoryMaker()


@pytest.fixture
def product(factory):
    return makers.ProductMaker(factory=factory)


@pytest.fixture
def buyer(db):
    return makers.BuyerMaker()


@pytest.fixture
def other_buyer(db):
    return makers.BuyerMaker()


@pytest.fixture
def availability(factory, clock):
    return publish(factory)
