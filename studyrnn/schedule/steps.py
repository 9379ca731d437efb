"""Learning and relearning steps, as Anki times them (``rslib/src/scheduler/states/steps.rs``).

``step`` is the index of the step the card is on (0 for a new card). Again goes back to the
first step; Good moves to the next one (None: no next step, the card graduates); Hard repeats
the current step, except on the first, where it waits between the first and the second (5.5
minutes for Anki's 1m/10m), or 1.5 times the only step (15 minutes for a 10-minute relearning
step), so that Hard always lies between Again and Good.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

DAY = 86_400


def _seconds(step: timedelta) -> int:
    return int(step.total_seconds())


def _round_in_days(seconds: int) -> int:
    # Over a day, a delay is a whole number of days, so it does not depend on the hour.
    if seconds > DAY:
        return max(1, int(seconds / DAY + 0.5)) * DAY
    return seconds


def again_delay(steps: Sequence[timedelta]) -> timedelta | None:
    return steps[0] if steps else None


def hard_delay(steps: Sequence[timedelta], step: int) -> timedelta | None:
    if not steps:
        return None
    index = min(max(step, 0), len(steps) - 1)
    current = _seconds(steps[index])
    if index > 0:
        return timedelta(seconds=current)
    if len(steps) > 1:
        return timedelta(seconds=_round_in_days((current + _seconds(steps[1])) // 2))
    return timedelta(seconds=_round_in_days(min(current * 3 // 2, current + DAY)))


def good_delay(steps: Sequence[timedelta], step: int) -> timedelta | None:
    index = min(max(step, 0), len(steps) - 1) + 1
    return steps[index] if index < len(steps) else None
