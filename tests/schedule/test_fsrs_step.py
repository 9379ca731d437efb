"""One FSRS step as Anki takes it: learning steps, study-day gaps, button order, daylight
saving, and fuzz that is the same every time it is computed for the same card and review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studyrnn.schedule import fuzz
from studyrnn.schedule.day import StudyDay
from studyrnn.schedule.fsrs_step import (
    LEARNING,
    RELEARNING,
    REVIEW,
    Memory,
    SchedulerConfig,
    elapsed_days,
    next_states,
    preview,
    scheduled_days,
    step,
)
from studyrnn.values import Rating

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UTC_DAY = StudyDay(4, UTC)
CONFIG = SchedulerConfig(day=UTC_DAY)
EXACT = SchedulerConfig(day=UTC_DAY, fuzz=False)


def answered(
    config: SchedulerConfig, ratings: Sequence[int], start: datetime, card_id: int = 1
) -> Memory:
    """The card after ``ratings``, ten minutes apart from ``start``."""
    memory = Memory()
    for reps, rating in enumerate(ratings):
        memory = step(config, card_id, reps, memory, Rating(rating), start)
        start += timedelta(minutes=10)
    return memory


def test_new_card_uses_the_learning_steps() -> None:
    shown = preview(CONFIG, 7, 0, Memory(), NOW)
    assert shown[Rating.AGAIN] == timedelta(minutes=1)
    assert shown[Rating.HARD] == timedelta(minutes=5, seconds=30)
    assert shown[Rating.GOOD] == timedelta(minutes=10)
    good = step(CONFIG, 7, 0, Memory(), Rating.GOOD, NOW)
    assert (good.state, good.step, good.due) == (LEARNING, 1, NOW + timedelta(minutes=10))
    easy = step(CONFIG, 7, 0, Memory(), Rating.EASY, NOW)
    assert easy.state == REVIEW and easy.last_review == NOW
    exact = preview(EXACT, 7, 0, Memory(), NOW)[Rating.EASY]
    assert exact == timedelta(days=8)  # FSRS-6's first Easy stability, 8.30, rounded
    assert timedelta(days=6) <= shown[Rating.EASY] <= timedelta(days=10)  # its fuzz range


def test_a_lapse_goes_through_the_relearning_step() -> None:
    card = answered(EXACT, [3, 3], NOW)
    later = NOW + timedelta(days=2)
    shown = preview(EXACT, 1, 2, card, later)
    assert shown[Rating.AGAIN] == timedelta(minutes=10)
    lapsed = step(EXACT, 1, 2, card, Rating.AGAIN, later)
    assert (lapsed.state, lapsed.step) == (RELEARNING, 0)
    relearn = preview(EXACT, 1, 3, lapsed, later + timedelta(minutes=10))
    assert relearn[Rating.HARD] == timedelta(minutes=15)  # 1.5 times the only step
    back = step(EXACT, 1, 3, lapsed, Rating.GOOD, later + timedelta(minutes=10))
    assert back.state == REVIEW and scheduled_days(UTC_DAY, back) == 1


def test_elapsed_time_is_counted_in_study_days() -> None:
    evening = datetime(2026, 3, 2, 22, 10, tzinfo=UTC)
    assert elapsed_days(UTC_DAY, evening, datetime(2026, 3, 3, 3, 59, tzinfo=UTC)) == 0
    assert elapsed_days(UTC_DAY, evening, datetime(2026, 3, 3, 4, 0, tzinfo=UTC)) == 1
    assert elapsed_days(UTC_DAY, evening, datetime(2026, 3, 3, 9, 0, tzinfo=UTC)) == 1
    assert elapsed_days(UTC_DAY, None, evening) == 0


def test_evening_graduation_then_a_morning_review_counts_a_full_day() -> None:
    """Anki: S 7.32 and 7 days (the 24-hour count gave S 2.31 and 2 days)."""
    card = answered(EXACT, [3, 3], datetime(2026, 3, 2, 22, 0, tzinfo=UTC))
    good = next_states(EXACT, 1, 2, card, datetime(2026, 3, 3, 9, 0, tzinfo=UTC))[Rating.GOOD]
    assert good.memory.stability == pytest.approx(7.3192, abs=1e-4)
    assert good.interval == timedelta(days=7)


def test_hard_on_a_one_day_card_the_next_day_grows_it() -> None:
    """Anki: S 2.81 and 3 days (the 24-hour count gave S 1.38 and 1 day)."""
    card = answered(EXACT, [2, 2, 3, 3], datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    assert scheduled_days(UTC_DAY, card) == 1
    hard = next_states(EXACT, 1, 4, card, datetime(2026, 3, 3, 19, 0, tzinfo=UTC))[Rating.HARD]
    assert hard.memory.stability == pytest.approx(2.8066, abs=1e-4)
    assert hard.interval == timedelta(days=3)


def test_good_every_evening_at_eight_matches_anki() -> None:
    card = answered(EXACT, [3, 3], datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    intervals = []
    for reps in range(2, 7):
        intervals.append(scheduled_days(UTC_DAY, card))
        assert card.due is not None
        card = step(EXACT, 1, reps, card, Rating.GOOD, card.due.replace(hour=20))
    assert intervals == [2, 11, 46, 163, 498]


def test_review_buttons_are_always_hard_before_good_before_easy() -> None:
    seen = 0
    for card_id in range(40):
        for history in ([3, 3], [2, 2, 3, 3], [1, 3, 3], [4]):
            card = answered(CONFIG, history, NOW, card_id)
            for late in (0, 1, 5):
                assert card.due is not None
                shown = preview(CONFIG, card_id, len(history), card, card.due + timedelta(late))
                assert shown[Rating.HARD] < shown[Rating.GOOD] < shown[Rating.EASY]
                seen += 1
    assert seen == 480


def test_fuzz_is_deterministic_per_card_and_review() -> None:
    card = answered(CONFIG, [4], NOW, 11)
    assert card.due is not None
    later = card.due + timedelta(days=1)
    first = step(CONFIG, 11, 1, card, Rating.GOOD, later)
    assert first == step(CONFIG, 11, 1, card, Rating.GOOD, later)
    shown = preview(CONFIG, 11, 1, card, later)[Rating.GOOD]
    assert first.due == UTC_DAY.start(UTC_DAY.day_of(later) + shown)
    lengths = {preview(CONFIG, cid, 1, card, later)[Rating.GOOD] for cid in range(40)}
    assert len(lengths) > 1  # other cards get other fuzz: the seed is really per card
    unfuzzed = preview(EXACT, 11, 1, card, later)[Rating.GOOD].days
    low, high = fuzz.bounds(
        next_states(EXACT, 11, 1, card, later)[Rating.GOOD].memory.stability, 1, 36500
    )
    assert all(low <= d.days <= high for d in lengths) and low < unfuzzed < high


def test_desired_retention_changes_intervals() -> None:
    card = answered(EXACT, [3, 3], NOW)
    later = NOW + timedelta(days=2)
    loose = SchedulerConfig(desired_retention=0.75, day=UTC_DAY, fuzz=False)
    tight = SchedulerConfig(desired_retention=0.97, day=UTC_DAY, fuzz=False)
    assert preview(loose, 1, 2, card, later)[Rating.GOOD] == timedelta(days=61)
    assert preview(EXACT, 1, 2, card, later)[Rating.GOOD] == timedelta(days=11)
    assert preview(tight, 1, 2, card, later)[Rating.GOOD] == timedelta(days=3)


NEW_YORK = StudyDay(4, ZoneInfo("America/New_York"))


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK.tz)


def test_clocks_going_back_do_not_bring_a_card_back_the_same_study_day() -> None:
    """2026-11-01 02:00 EDT becomes 01:00 EST: 24 hours after Saturday 04:40 is Sunday 03:40,
    still Saturday's study day. A 1-day card is due at the start of Sunday's."""
    config = SchedulerConfig(day=NEW_YORK, fuzz=False)
    card = answered(config, [2, 2, 3, 3], local(date(2026, 10, 31), 4, 10))
    assert card.last_review == local(date(2026, 10, 31), 4, 40)
    assert card.due == local(date(2026, 11, 1), 4)  # EST by then
    assert scheduled_days(NEW_YORK, card) == 1
    assert elapsed_days(NEW_YORK, card.last_review, local(date(2026, 11, 1), 4)) == 1


def test_clocks_going_forward_keep_a_one_day_interval_one_day() -> None:
    """2026-03-08 02:00 EST becomes 03:00 EDT: 24 hours after Saturday 03:30 (Friday's study
    day) is Sunday 04:30, two study days later. The card is due at the start of Saturday's."""
    config = SchedulerConfig(day=NEW_YORK, fuzz=False)
    card = answered(config, [2, 2, 3, 3], local(date(2026, 3, 7), 3, 0))
    assert NEW_YORK.day_of(card.last_review or NOW) == date(2026, 3, 6)
    assert card.due == local(date(2026, 3, 7), 4)
    assert scheduled_days(NEW_YORK, card) == 1
