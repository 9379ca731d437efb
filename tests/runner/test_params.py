"""Parametric cards on the checker: variants drawn from the seed, replayed exactly, judged for
their own values, with named wrong answers matched per variant."""

from __future__ import annotations

import pytest

from studyrnn.decks.model import Card
from studyrnn.decks.params import draw
from studyrnn.runner import Checker, Verdict

pytestmark = pytest.mark.slow

LABEL = "batch_first does not apply to h_n and c_n: they are (layers, batch, hidden)"


def right_answer(params: dict[str, object]) -> str:
    return f"({params['layers']}, {params['batch']}, {params['hidden']})"


def test_the_variant_is_drawn_from_the_seed(checker: Checker, param_cards: dict[str, Card]) -> None:
    card = param_cards["lstm-hn-param"]
    assert card.code is not None and card.code.params is not None
    result = checker.grade(card, "(0, 0, 0)", seed=5)
    assert result.params == draw(card.code.params.code, 5) == {"layers": 3, "hidden": 6, "batch": 7}
    assert result.expected == "(3, 7, 6)"
    assert result.seed == 5


def test_replay_by_seed_gives_the_same_variant(
    checker: Checker, param_cards: dict[str, Card]
) -> None:
    card = param_cards["lstm-hn-param"]
    first = checker.expected(card, seed=6)
    again = checker.expected(card, seed=6)
    assert (first.params, first.expected) == (again.params, again.expected)
    assert first.expected == "(3, 9, 5)"


def test_each_variant_is_judged_by_its_own_values(
    checker: Checker, param_cards: dict[str, Card]
) -> None:
    card = param_cards["lstm-hn-param"]
    one, two = checker.expected(card, seed=1), checker.expected(card, seed=5)
    assert one.params != two.params
    assert checker.grade(card, right_answer(one.params), seed=1).verdict is Verdict.PASS
    assert checker.grade(card, right_answer(two.params), seed=5).verdict is Verdict.PASS
    # Seed 5's right answer is wrong for seed 1's variant.
    assert checker.grade(card, right_answer(two.params), seed=1).verdict is Verdict.WRONG


def test_given_params_override_the_draw(checker: Checker, param_cards: dict[str, Card]) -> None:
    card = param_cards["lstm-hn-param"]
    params = {"layers": 2, "hidden": 11, "batch": 13}
    result = checker.grade(card, "(2, 13, 11)", seed=1, params=params)
    assert (result.verdict, result.params) == (Verdict.PASS, params)


def test_named_wrong_answer_matches_for_the_variant(
    checker: Checker, param_cards: dict[str, Card]
) -> None:
    card = param_cards["lstm-hn-param"]
    result = checker.grade(card, "(7, 3, 6)", seed=5)  # (batch, layers, hidden)
    assert (result.verdict, result.mistake) == (Verdict.WRONG, LABEL)
    assert result.message == f"{LABEL}\nexpected (3, 7, 6), got (7, 3, 6)"


def test_write_card_sees_the_parameters(checker: Checker, param_cards: dict[str, Card]) -> None:
    card = param_cards["write-param"]
    ok = checker.grade(card, "def rows(x):\n    return x.shape[0]\n", seed=2)
    assert ok.verdict is Verdict.PASS
    assert set(ok.params) == {"r", "c"}
    bad = checker.grade(
        card, "def rows(x):\n    return x.shape[1]\n", seed=2, params={"r": 2, "c": 3}
    )
    assert (bad.verdict, bad.message) == (Verdict.WRONG, "expected 2, got 3")


def test_verify_reports_the_variant_that_breaks(
    checker: Checker, param_cards: dict[str, Card]
) -> None:
    card = param_cards["breaks-on-small-n"]
    [ok] = checker.verify(card, seed=1)  # n = 6
    assert ok.verdict is Verdict.PASS
    [bad] = checker.verify(card, seed=2)  # n = 2: arange(2)[3] fails
    assert bad.verdict is Verdict.INTERNAL
    assert (bad.seed, bad.params) == (2, {"n": 2})
    assert bad.message == (
        f"the card's expect code failed at {card.path}:29: "
        "IndexError: index 3 is out of bounds for dimension 0 with size 2"
    )
