"""Interval fuzz, as Anki applies it to review intervals (``rslib/src/scheduler/states/fuzz.rs``).

Every review interval of 2.5 days or more is moved by up to a few days either way, so cards
learned together do not stay together. The range is 1 day plus 15% of the days from 2.5 to 7,
10% of the days from 7 to 20 and 5% of the days above 20, taken around the *unrounded*
interval FSRS gives, then kept within ``[minimum, maximum]``.

The draw within the range is a number in ``[0, 1)`` from a generator seeded with the card and
its review count (Anki seeds its own from the same two), so the buttons show exactly what an
answer then applies, and a replayed history gives the same schedule. ``None`` means no fuzz:
the interval is rounded, as Anki does with fuzz off.
"""

from __future__ import annotations

import math
import random

# (start, end, factor): for each day of the interval within [start, end), fuzz grows by factor.
RANGES: tuple[tuple[float, float, float], ...] = (
    (2.5, 7.0, 0.15),
    (7.0, 20.0, 0.1),
    (20.0, math.inf, 0.05),
)


def round_half_up(value: float) -> int:
    """Rounding as Rust's ``f32::round`` does for the positive values here (0.5 goes up, where
    Python's ``round`` goes to the even neighbour)."""
    return max(0, math.floor(value + 0.5))


def factor(card_id: int, reps: int) -> float:
    """Where in the fuzz range this card's answer falls, the same every time it is asked."""
    return random.Random(f"{card_id}:{reps}").random()


def delta(interval: float) -> float:
    """How far fuzz may move ``interval`` either way, in days."""
    if interval < 2.5:
        return 0.0
    return 1.0 + sum(f * max(min(interval, end) - start, 0.0) for start, end, f in RANGES)


def bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The fuzz range of ``interval`` (both ends included) within ``[minimum, maximum]``. When
    it would be a single day above 2, it is widened by one day (if ``maximum`` allows)."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, float(minimum)), float(maximum))
    spread = delta(interval)
    lower = min(max(round_half_up(interval - spread), minimum), maximum)
    upper = min(max(round_half_up(interval + spread), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def fuzzed(interval: float, minimum: int, maximum: int, draw: float | None) -> int:
    """The interval in whole days: fuzzed by ``draw`` (None: rounded), within the bounds."""
    if draw is None:
        return min(max(round_half_up(interval), minimum), maximum)
    lower, upper = bounds(interval, minimum, maximum)
    return math.floor(lower + draw * (1 + upper - lower))


def keep_at_least(interval: float, previous: int, maximum: int) -> int:
    """The smallest interval a passing review may get, given the card's previous one, so that
    fuzz never shortens an interval that did not shrink (Anki's ``minimum_review_fuzz_interval``):
    past the previous interval when FSRS grew it; at least the previous one when that is still
    within the new fuzz range; no floor when FSRS shrank it (new parameters or retention)."""
    if round_half_up(interval) > previous:
        return previous + 1
    _lower, upper = bounds(interval, 1, maximum)
    return previous if previous <= upper else 0
