"""The study day starts at the local cutoff, including across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from studyrnn.schedule.day import StudyDay

BERLIN = ZoneInfo("Europe/Berlin")


def test_before_the_cutoff_is_still_yesterday() -> None:
    day = StudyDay(4, BERLIN)
    # 03:59 and 04:00 in Berlin (UTC+1 in January)
    assert day.day_of(datetime(2026, 1, 15, 2, 59, tzinfo=UTC)) == date(2026, 1, 14)
    assert day.day_of(datetime(2026, 1, 15, 3, 0, tzinfo=UTC)) == date(2026, 1, 15)


def test_start_and_end_are_utc_and_follow_daylight_saving() -> None:
    day = StudyDay(4, BERLIN)
    assert day.start(date(2026, 1, 15)) == datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
    # clocks go forward at 02:00 on 2026-03-29: the study day of the 28th is 23 hours long
    assert day.start(date(2026, 3, 28)) == datetime(2026, 3, 28, 3, 0, tzinfo=UTC)
    assert day.end(date(2026, 3, 28)) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_cutoff_zero_is_midnight() -> None:
    day = StudyDay(0, UTC)
    assert day.day_of(datetime(2026, 5, 1, 0, 0, tzinfo=UTC)) == date(2026, 5, 1)
    assert day.end(date(2026, 5, 1)) == datetime(2026, 5, 2, tzinfo=UTC)
