"""Queue order and limits, as pure functions."""

from __future__ import annotations

from studyrnn.schedule.queue import interleave, limits, ordered


def test_new_cards_are_spread_evenly_among_reviews() -> None:
    reviews = [f"r{i}" for i in range(10)]
    assert interleave(reviews, ["n0", "n1"]) == [
        "r0", "r1", "r2", "n0", "r3", "r4", "r5", "n1", "r6", "r7", "r8", "r9",
    ]  # fmt: skip
    assert interleave([], ["n0", "n1"]) == ["n0", "n1"]
    assert interleave(["r0"], []) == ["r0"]
    assert interleave(["r0", "r1", "r2"], ["n0", "n1", "n2"]) == [
        "n0", "r0", "n1", "r1", "n2", "r2",
    ]  # fmt: skip


def test_learning_cards_lead() -> None:
    assert ordered(["l0"], ["r0", "r1"], ["n0"]) == ["l0", "r0", "n0", "r1"]


def test_limits_never_go_negative() -> None:
    left = limits(20, 200, new_done=25, reviews_done=10)
    assert (left.new_left, left.reviews_left) == (0, 190)
