"""FSRS parameters checked before they are stored: the ranges ``fsrs`` accepts.

fsrs-rs clamps some fitted parameters at bounds held in 32-bit floats, so a bound of 0.8
comes back as 0.800000011920929, which ``fsrs`` rejects; stored unchecked, one such fit would
make every later answer fail. Values a hair outside a bound are clamped to it; anything else
wrong (the wrong count, a value that is not a finite number, one far outside its range) is an
error, so a broken fit is refused rather than quietly bent into shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

COUNT = len(LOWER_BOUNDS_PARAMETERS)  # FSRS-6: 21
SLACK = 1e-4  # how far outside a bound a value may be and still be clamped (float32 noise)


class BadParameters(ValueError):
    """Parameters that cannot be made valid by clamping."""


def checked(parameters: Sequence[float]) -> tuple[float, ...]:
    """``parameters`` within the ranges ``fsrs`` accepts, float32 noise at a bound clamped."""
    if len(parameters) != COUNT:
        raise BadParameters(f"expected {COUNT} FSRS parameters, got {len(parameters)}")
    out: list[float] = []
    for index, (value, low, high) in enumerate(
        zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    ):
        number = float(value)
        if not math.isfinite(number):
            raise BadParameters(f"parameter w{index} is {number}")
        if not low - SLACK <= number <= high + SLACK:
            raise BadParameters(f"parameter w{index} = {number} is outside [{low}, {high}]")
        out.append(min(max(number, low), high))
    return tuple(out)
