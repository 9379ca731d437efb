"""An SM-2 schedule (an ease and the interval it gave) as an FSRS memory state.

For a card that comes with a schedule but without the answers that made it (Obsidian Spaced
Repetition's scheduling comments), this is what Anki does for a card whose review log is
missing: fsrs-rs's ``memory_state_from_sm2``, with the retention SM-2 is taken to have
reached, 90 % (Anki's default "historical retention"). At that retention the stability
equals the interval, so FSRS would schedule the next review when SM-2 did; the ease sets the
difficulty.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import fsrs_rs_python as rs

SM2_RETENTION = 0.9


@functools.lru_cache(maxsize=8)
def _model(parameters: tuple[float, ...]) -> rs.FSRS:
    return rs.FSRS(list(parameters))


def memory_state(
    parameters: Sequence[float], ease_percent: float, interval_days: float
) -> tuple[float, float]:
    """``(stability, difficulty)`` for a card SM-2 gave ``interval_days`` at an ease of
    ``ease_percent`` (250 is a factor of 2.5)."""
    state = _model(tuple(parameters)).memory_state_from_sm2(
        ease_percent / 100, interval_days, SM2_RETENTION
    )
    return float(state.stability), float(state.difficulty)
