"""One FSRS step: learning steps, our card id, and fuzz that is the same every time it is
computed for the same card and review, so the buttons show what is applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from studyrnn.schedule.fsrs_step import (
    LEARNING,
    NEW,
    REVIEW,
    Memory,
    SchedulerConfig,
    preview,
    step,
)
from studyrnn.values import Rating

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CONFIG = SchedulerConfig()


def test_new_card_uses_the_learning_steps() -> None:
    again = step(CONFIG, 7, 0, Memory(), Rating.AGAIN, NOW)
    good = step(CONFIG, 7, 0, Memory(), Rating.GOOD, NOW)
    assert (again.state, again.due) == (LEARNING, NOW + timedelta(minutes=1))
    assert (good.state, good.step, good.due) == (LEARNING, 1, NOW + timedelta(minutes=10))
    easy = step(CONFIG, 7, 0, Memory(), Rating.EASY, NOW)
    assert easy.state == REVIEW and easy.last_review == NOW


def reviewed(card_id: int) -> Memory:
    memory = step(CONFIG, card_id, 0, Memory(state=NEW), Rating.EASY, NOW)
    for reps in range(1, 4):
        assert memory.due is not None
        memory = step(CONFIG, card_id, reps, memory, Rating.GOOD, memory.due)
    return memory


def test_fuzz_is_deterministic_per_card_and_review() -> None:
    memory = reviewed(11)
    assert memory.due is not None
    later = memory.due + timedelta(days=1)
    first = step(CONFIG, 11, 4, memory, Rating.GOOD, later)
    second = step(CONFIG, 11, 4, memory, Rating.GOOD, later)
    assert first == second
    assert preview(CONFIG, 11, 4, memory, later)[Rating.GOOD] == first.due - later  # type: ignore[operator]
    unfuzzed = {step(CONFIG, cid, 4, memory, Rating.GOOD, later).due for cid in range(40)}
    assert len(unfuzzed) > 1  # other cards get other fuzz: the seed is really per card


def test_desired_retention_changes_intervals() -> None:
    memory = reviewed(3)
    assert memory.due is not None
    later = memory.due
    loose = step(SchedulerConfig(desired_retention=0.75), 3, 4, memory, Rating.GOOD, later)
    tight = step(SchedulerConfig(desired_retention=0.97), 3, 4, memory, Rating.GOOD, later)
    assert loose.due is not None and tight.due is not None and loose.due > tight.due
