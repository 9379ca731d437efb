"""Fitted parameters are checked against the ranges fsrs accepts before they are stored."""

from __future__ import annotations

import math

import fsrs
import pytest

from studyrnn.schedule.optimizer import DEFAULT_PARAMETERS
from studyrnn.schedule.parameter_bounds import BadParameters, checked


def test_float32_noise_at_a_bound_is_clamped_and_fsrs_accepts_the_result() -> None:
    fitted = list(DEFAULT_PARAMETERS)
    fitted[9] = fitted[19] = fitted[20] = 0.800000011920929  # fsrs-rs's 0.8 in float32
    with pytest.raises(ValueError, match="out of bounds"):
        fsrs.Scheduler(parameters=fitted)
    clean = checked(fitted)
    assert (clean[9], clean[19], clean[20]) == (0.8, 0.8, 0.8)
    assert clean[:9] == tuple(DEFAULT_PARAMETERS[:9])
    fsrs.Scheduler(parameters=clean)  # accepted


def test_what_clamping_cannot_mend_is_refused() -> None:
    with pytest.raises(BadParameters, match="expected 21 FSRS parameters, got 19"):
        checked(DEFAULT_PARAMETERS[:19])
    broken = list(DEFAULT_PARAMETERS)
    broken[4] = math.nan
    with pytest.raises(BadParameters, match="w4 is nan"):
        checked(broken)
    broken[4] = 12.0
    with pytest.raises(BadParameters, match=r"w4 = 12.0 is outside \[1.0, 10.0\]"):
        checked(broken)
