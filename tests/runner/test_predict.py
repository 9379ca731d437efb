"""Predict cards: the comparison rules, named wrong answers, every verdict a typed value gets."""

from __future__ import annotations

import pytest

from studyrnn.decks.model import Card
from studyrnn.runner import Checker, Verdict

pytestmark = pytest.mark.slow


def test_size_equals_the_same_tuple_and_list(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["lstm-hn-shape"]
    for answer in ("(2, 32, 20)", "[2, 32, 20]", "2, 32, 20", "torch.Size([2, 32, 20])"):
        result = checker.grade(card, answer, seed=3)
        assert (result.verdict, result.message) == (Verdict.PASS, "right"), answer
        assert result.expected == "(2, 32, 20)"


def test_named_wrong_answer_leads_the_message(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    result = checker.grade(predict_cards["lstm-hn-shape"], "(32, 2, 20)", seed=3)
    assert result.verdict is Verdict.WRONG
    label = "batch_first does not apply to h_n and c_n: they are (layers, batch, hidden)"
    assert result.mistake == label
    assert result.message == f"{label}\nexpected (2, 32, 20), got (32, 2, 20)"
    assert result.got == "(32, 2, 20)"


def test_plain_wrong_shape_shows_both_values(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    result = checker.grade(predict_cards["lstm-hn-shape"], "(1, 32, 20)", seed=3)
    assert result.verdict is Verdict.WRONG
    assert result.mistake == ""
    assert result.message == "expected (2, 32, 20), got (1, 32, 20)"


def test_dtype_mismatch_is_wrong(checker: Checker, predict_cards: dict[str, Card]) -> None:
    card = predict_cards["arange-div-dtype"]
    assert checker.grade(card, "torch.float32", seed=0).verdict is Verdict.PASS
    result = checker.grade(card, "torch.int64", seed=0)
    assert result.verdict is Verdict.WRONG
    assert result.message == "expected torch.float32, got torch.int64"
    result = checker.grade(card, "'float32'", seed=0)
    assert result.verdict is Verdict.WRONG
    assert result.message == "expected torch.float32, got 'float32' (a str, not a dtype)"


def test_tensor_rules_shape_then_dtype_no_broadcasting(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["ones-times-two"]
    assert checker.grade(card, "torch.tensor([2., 2., 2.])", seed=0).verdict is Verdict.PASS
    # Broadcasting would make these equal; the checker must not.
    result = checker.grade(card, "torch.tensor([[2., 2., 2.]])", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "shape differs: expected (3,), got (1, 3)",
    )
    result = checker.grade(card, "torch.tensor(2.)", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "shape differs: expected (3,), got ()",
    )
    result = checker.grade(card, "tensor([2, 2, 2], dtype=torch.int64)", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "dtype differs: expected torch.float32, got torch.int64",
    )
    result = checker.grade(card, "torch.tensor([2., 2., 2.5])", seed=0)
    assert result.verdict is Verdict.WRONG
    assert result.message.startswith("values differ (Mismatched elements: 1 / 3 (33.3%)")


def test_typed_literals_stand_for_a_tensor_of_the_expected_dtype(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["ones-times-two"]  # tensor([2., 2., 2.]), float32
    for answer in ("[2., 2., 2.]", "[2, 2, 2]", "(2, 2, 2)"):
        result = checker.grade(card, answer, seed=0)
        assert (result.verdict, result.message) == (Verdict.PASS, "right"), answer
    # Still no broadcasting, and no silent cast of a bool.
    result = checker.grade(card, "[2., 2.]", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "shape differs: expected (3,), got (2,)",
    )
    result = checker.grade(card, "2.", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "shape differs: expected (3,), got ()",
    )
    result = checker.grade(card, "[True, True, True]", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "dtype differs: expected torch.float32, got torch.bool",
    )
    result = checker.grade(card, "[2., 2., 3.]", seed=0)
    assert result.verdict is Verdict.WRONG
    assert result.message.startswith("values differ (Mismatched elements: 1 / 3 (33.3%)")
    # A literal that would lose something in the cast keeps its own dtype.
    int_card = predict_cards["arange-three"]  # tensor([0, 1, 2]), int64
    assert checker.grade(int_card, "[0, 1, 2]", seed=0).verdict is Verdict.PASS
    result = checker.grade(int_card, "[0., 1., 2.5]", seed=0)
    assert result.message == "dtype differs: expected torch.int64, got torch.float32"
    # As torch prints it; without dtype= it follows the literal rule, with it the dtype counts.
    assert checker.grade(card, "tensor([2., 2., 2.])", seed=0).verdict is Verdict.PASS
    assert checker.grade(card, "torch.tensor([2, 2, 2])", seed=0).verdict is Verdict.PASS
    result = checker.grade(card, "tensor([2., 2., 2.], dtype=torch.float64)", seed=0)
    assert result.message == "dtype differs: expected torch.float32, got torch.float64"


def test_float_tolerance(checker: Checker, predict_cards: dict[str, Card]) -> None:
    card = predict_cards["pi-third"]  # rtol=1e-5
    assert checker.grade(card, "1.047197", seed=0).verdict is Verdict.PASS
    assert checker.grade(card, "1.0472", seed=0).verdict is Verdict.PASS
    result = checker.grade(card, "1.05", seed=0)
    assert result.verdict is Verdict.WRONG
    assert result.message == "expected 1.0471975511965976, got 1.05"


def test_bool_never_equals_int(checker: Checker, predict_cards: dict[str, Card]) -> None:
    card = predict_cards["bool-answer"]
    assert checker.grade(card, "True", seed=0).verdict is Verdict.PASS
    result = checker.grade(card, "1", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "expected True, got 1 (an int, not a bool)",
    )


def test_an_expression_is_unreadable_and_never_counts(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["lstm-hn-shape"]
    result = checker.grade(card, "h_n.shape[7]", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.UNREADABLE,
        "studyrnn cannot read this answer: 'h_n.shape' is an expression: type the value it "
        "has, such as (2, 3) at column 1\n"
        "  h_n.shape[7]\n"
        "  ^",
    )
    assert not result.verdict.counts_against_learner
    result = checker.grade(card, "(2, 32,", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.UNREADABLE,
        "studyrnn cannot read this answer: expected a value after ',' at column 8\n"
        "  (2, 32,\n"
        "         ^",
    )


def test_empty_answer_is_unreadable(checker: Checker, predict_cards: dict[str, Card]) -> None:
    result = checker.grade(predict_cards["lstm-hn-shape"], "  \n", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.UNREADABLE,
        "studyrnn cannot read this answer: the answer is empty: type a value such as "
        "(2, 32, 20) at column 1",
    )


def test_broken_card_is_internal_never_the_learners_fault(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["broken-expect"]
    result = checker.grade(card, "1", seed=0)
    assert result.verdict is Verdict.INTERNAL
    assert not result.verdict.counts_against_learner
    assert result.message == (
        f"the card's expect code failed at {card.path}:62: "
        "NameError: name 'undefined_name' is not defined"
    )


def test_cuda_card_is_skipped_without_cuda(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    result = checker.grade(predict_cards["needs-cuda"], "'cuda'", seed=0)
    assert result.verdict is Verdict.SKIPPED
    assert result.message == "this card needs cuda, which this machine does not have"
    assert not result.verdict.counts_against_learner


def test_expected_shows_the_answer(checker: Checker, predict_cards: dict[str, Card]) -> None:
    result = checker.expected(predict_cards["lstm-hn-shape"], seed=0)
    assert (result.verdict, result.expected) == (Verdict.PASS, "(2, 32, 20)")


def test_verify_catches_a_wrong_answer_that_is_right(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["wrong-equals-right"]
    [result] = checker.verify(card, seed=1)
    assert result.verdict is Verdict.WRONG
    assert result.message == (
        f'the wrong answer "this is actually right" ({card.path}:73) equals the right answer (2, 3)'
    )
    [ok] = checker.verify(predict_cards["lstm-hn-shape"], seed=1)
    assert (ok.verdict, ok.message) == (
        Verdict.PASS,
        "expect evaluates and its wrong answer differs",
    )
