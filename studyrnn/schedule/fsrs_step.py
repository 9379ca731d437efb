"""One FSRS step for one card, with fuzz that is deterministic per card and review.

fsrs draws its interval fuzz from the global ``random``; we seed it from the card id and its
review count instead, so that ``preview`` (the intervals on the buttons) gives exactly what
``answer`` then applies, and a replayed history gives the same schedule. Our own card id is
always passed to fsrs (its default is a timestamp-based id).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import fsrs
from fsrs.scheduler import FUZZ_RANGES

from studyrnn.values import Rating

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Memory:
    """A card's schedule as the store keeps it (state 0 is "new", fsrs has no such state)."""

    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None


class SeededScheduler(fsrs.Scheduler):
    """fsrs' scheduler with the fuzz drawn from a seeded generator instead of ``random()``."""

    def __init__(self, *args: object, fuzz_seed: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._rng = random.Random(fuzz_seed)

    def _get_fuzzed_interval(self, *, interval: timedelta) -> timedelta:
        # Same range as fsrs (and Anki): wider for longer intervals, none under 2.5 days.
        days = interval.days
        if days < 2.5:
            return interval
        delta = 1.0
        for fuzz_range in FUZZ_RANGES:
            span = min(float(days), fuzz_range["end"]) - fuzz_range["start"]
            delta += fuzz_range["factor"] * max(span, 0.0)
        low = max(2, round(days - delta))
        high = min(round(days + delta), self.maximum_interval)
        low = min(low, high)
        return timedelta(days=self._rng.randint(low, high))


@dataclass(frozen=True, slots=True)
class SchedulerConfig:
    parameters: tuple[float, ...] | None = None  # None: fsrs' defaults
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500


def _scheduler(config: SchedulerConfig, card_id: int, reps: int) -> SeededScheduler:
    kwargs: dict[str, object] = {
        "desired_retention": config.desired_retention,
        "learning_steps": config.learning_steps,
        "relearning_steps": config.relearning_steps,
        "maximum_interval": config.maximum_interval,
        "enable_fuzzing": True,
    }
    if config.parameters is not None:
        kwargs["parameters"] = config.parameters
    return SeededScheduler(fuzz_seed=f"{card_id}:{reps}", **kwargs)


def _to_fsrs(card_id: int, memory: Memory, now: datetime) -> fsrs.Card:
    if memory.state == NEW:
        return fsrs.Card(card_id=card_id, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due or now,
        last_review=memory.last_review,
    )


def step(
    config: SchedulerConfig,
    card_id: int,
    reps: int,
    memory: Memory,
    rating: Rating,
    now: datetime,
) -> Memory:
    """The card's schedule after answering ``rating`` at ``now`` (aware UTC)."""
    card = _to_fsrs(card_id, memory, now)
    after, _log = _scheduler(config, card_id, reps).review_card(card, fsrs.Rating(int(rating)), now)
    return Memory(
        state=int(after.state),
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
        last_review=after.last_review,
    )


def preview(
    config: SchedulerConfig, card_id: int, reps: int, memory: Memory, now: datetime
) -> dict[Rating, timedelta]:
    """The interval each rating would give, computed exactly as ``step`` computes it."""
    out: dict[Rating, timedelta] = {}
    for rating in Rating:
        after = step(config, card_id, reps, memory, rating, now)
        assert after.due is not None
        out[rating] = after.due - now
    return out


def replay(
    config: SchedulerConfig,
    card_id: int,
    answers: Sequence[tuple[Rating, datetime]],
) -> list[tuple[Memory, Memory]]:
    """(before, after) for each answer of a history, in order: used to import a review log."""
    memory = Memory()
    out: list[tuple[Memory, Memory]] = []
    for reps, (rating, when) in enumerate(answers):
        after = step(config, card_id, reps, memory, rating, when)
        out.append((memory, after))
        memory = after
    return out


__all__ = ["Memory", "SchedulerConfig", "preview", "replace", "replay", "step"]
