"""Anki's fuzz ranges and its floor for passing reviews, with the examples of Anki's own tests
(rslib/src/scheduler/states/fuzz.rs)."""

from __future__ import annotations

import pytest

from studyrnn.schedule.fuzz import bounds, factor, fuzzed, keep_at_least, round_half_up


@pytest.mark.parametrize(
    ("interval", "minimum", "maximum", "expected"),
    [
        (1.0, 1, 1000, (1, 1)),  # no fuzz under 2.5 days
        (2.49, 1, 1000, (2, 2)),
        (2.5, 1, 1000, (2, 4)),  # 1 day either way from 2.5
        (7.0, 1, 1000, (5, 9)),  # plus 15% of 2.5..7
        (17.0, 1, 1000, (14, 20)),  # plus 10% of 7..20
        (37.0, 1, 1000, (33, 41)),  # plus 5% above 20
        (2.0, 3, 1000, (3, 4)),  # widened to two days when it can be
        (2.0, 3, 3, (3, 3)),
        (100.0, 101, 1000, (101, 108)),
        (100.0, 1, 99, (92, 99)),
        (100.0, 97, 103, (97, 103)),
    ],
)
def test_bounds(interval: float, minimum: int, maximum: int, expected: tuple[int, int]) -> None:
    assert bounds(interval, minimum, maximum) == expected


def test_the_draw_picks_evenly_within_the_bounds() -> None:
    assert [fuzzed(7.0, 1, 1000, d) for d in (0.0, 0.5, 0.99)] == [5, 7, 9]
    assert [fuzzed(100.0, 101, 1000, d) for d in (0.0, 0.5, 0.99)] == [101, 105, 108]


def test_without_fuzz_the_interval_is_rounded_half_up() -> None:
    assert [fuzzed(x, 1, 100, None) for x in (0.1, 1.5, 2.5, 101.0)] == [1, 2, 3, 100]
    assert [round_half_up(x) for x in (0.5, 1.49, 2.5)] == [1, 1, 3]


def test_a_passing_review_keeps_at_least_its_previous_interval() -> None:
    assert keep_at_least(4.591988, 4, 36500) == 5  # grew: past the previous interval
    assert keep_at_least(2.7269483, 4, 36500) == 4  # 4 is in the new range: not shortened
    assert keep_at_least(2.7269483, 5, 36500) == 0  # shrank past its range: no floor


def test_the_draw_depends_on_card_and_review_only() -> None:
    assert factor(3, 7) == factor(3, 7)
    assert len({factor(3, reps) for reps in range(20)}) == 20
    assert all(0.0 <= factor(c, 1) < 1.0 for c in range(100))
