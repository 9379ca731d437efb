"""Typed answers on the real checker: read in the app, never run, judged as values; the judge
gives a verdict for anything, and what reaches the screen carries no terminal escapes."""

from __future__ import annotations

import pytest

from studyrnn.decks.model import Card
from studyrnn.runner import Checker, CheckResult, Verdict

pytestmark = pytest.mark.slow

CALL = (
    "studyrnn cannot read this answer: '{name}(...)' is a call: an answer is a value such as "
    "(2, 3) or tensor([1., 2.]), and studyrnn never runs it at column 1"
)


@pytest.mark.parametrize(
    ("answer", "name"), [("len(loader)", "len"), ('exec("import os") or 4242.0', "exec")]
)
def test_an_expression_is_unreadable_and_no_job_is_sent(
    predict_cards: dict[str, Card], answer: str, name: str
) -> None:
    """A closed checker cannot send a job: the verdict comes from the app alone."""
    closed = Checker(device="cpu")
    closed.close()
    result = closed.grade(predict_cards["lstm-hn-shape"], answer, seed=1)
    assert result.verdict is Verdict.UNREADABLE
    assert result.message == f"{CALL.format(name=name)}\n  {answer}\n  ^"
    assert (result.expected, result.got, result.elapsed_ms) == ("", "", 0.0)
    with pytest.raises(RuntimeError, match="the checker is closed"):
        closed.grade(predict_cards["lstm-hn-shape"], "(2, 32, 20)", seed=1)


def test_huge_numbers_get_a_verdict_not_internal(
    checker: Checker, hostile_cards: dict[str, Card], predict_cards: dict[str, Card]
) -> None:
    two = hostile_cards["one-plus-one"]
    result = checker.grade(two, "10**400", seed=1)
    assert result.verdict is Verdict.UNREADABLE
    assert result.message.splitlines()[0] == (
        "studyrnn cannot read this answer: unexpected '**': an answer is a value, such as "
        "(2, 3) or 0.5, not an expression at column 3"
    )
    digits = "7" * 400
    result = checker.grade(two, digits, seed=1)
    assert (result.verdict, result.message) == (Verdict.WRONG, f"expected 2, got {digits}")
    # Against a float, an int beyond any float is simply different (no OverflowError).
    result = checker.grade(predict_cards["pi-third"], digits, seed=1)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        f"expected 1.0471975511965976, got {digits}",
    )
    assert checker.grade(two, "2" + "0" * 0, seed=1).verdict is Verdict.PASS


def test_tensors_typed_as_torch_prints_them(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["float64-grad"]
    shown = checker.expected(card, seed=0).expected
    assert shown == (
        "tensor([[2., 4.],\n        [6., 8.]], dtype=torch.float64, grad_fn=<MulBackward0>)"
    )
    for answer in (
        shown,
        "tensor([[2., 4.], [6., 8.]], dtype=torch.float64)",
        "torch.tensor([[2, 4], [6, 8]])",  # no dtype=: the expected one, since nothing is lost
        "[[2., 4.], [6., 8.]]",
    ):
        result = checker.grade(card, answer, seed=0)
        assert (result.verdict, result.message) == (Verdict.PASS, "right"), answer
    result = checker.grade(card, "tensor([[2., 4.], [6., 8.]], dtype=torch.float32)", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "dtype differs: expected torch.float64, got torch.float32",
    )
    result = checker.grade(card, "tensor([[2., 4.], [6., 8.]], device='cuda:0')", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "device differs: expected cpu, got cuda:0",
    )
    result = checker.grade(predict_cards["arange-div-dtype"], "float32", seed=0)
    assert (result.verdict, result.message) == (Verdict.PASS, "right")
    result = checker.grade(predict_cards["arange-div-dtype"], "torch.double", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.WRONG,
        "expected torch.float32, got torch.float64",
    )


def test_an_expected_exception_is_answered_by_its_name(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["raises-index"]
    assert checker.expected(card, seed=0).expected == "IndexError"
    assert checker.grade(card, "IndexError", seed=0).verdict is Verdict.PASS
    result = checker.grade(card, "KeyError", seed=0)
    assert (result.verdict, result.message) == (Verdict.WRONG, "expected IndexError, got KeyError")
    result = checker.grade(card, "2", seed=0)
    assert (result.verdict, result.mistake) == (Verdict.WRONG, "a list does not wrap around")
    result = checker.grade(card, "'IndexError'", seed=0)
    assert result.message == "expected IndexError, got 'IndexError' (a str, not an exception)"
    [ok] = checker.verify(card, seed=0)
    assert (ok.verdict, ok.message) == (
        Verdict.PASS,
        "expect evaluates and its wrong answer differs",
    )


def test_raises_that_does_not_raise_is_the_cards_bug(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["raises-not"]
    result = checker.grade(card, "RuntimeError", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.INTERNAL,
        f"the card's expect is marked `raises` but gave 2 at {card.path}:{card.code.expect.line}",  # type: ignore[union-attr]
    )


def test_a_name_error_under_raises_is_still_the_cards_bug(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["raises-typo"]
    result = checker.grade(card, "NameError", seed=0)
    assert (result.verdict, result.message) == (
        Verdict.INTERNAL,
        f"the card's expect code failed at {card.path}:{card.code.expect.line + 1}: "  # type: ignore[union-attr]
        "NameError: name 'undefined_name' is not defined",
    )


def test_terminal_escapes_never_reach_the_screen(
    checker: Checker, predict_cards: dict[str, Card]
) -> None:
    result = checker.grade(predict_cards["prints-escapes"], "2", seed=0)
    assert result.verdict is Verdict.WRONG
    assert result.output == ("\\x1b[2J\\x1b[10;10Hmoved \\x1b]52;c;aGFja2Vk\\x07 \\x9b31m\\x08\n")
    card = predict_cards["escapes-in-error"]
    result = checker.grade(card, "1", seed=0)
    assert result.verdict is Verdict.INTERNAL
    assert result.message.endswith("ValueError: \\x1b]52;c;aGk=\\x07")
    assert "\x1b" not in result.message and "\x07" not in result.message


def test_check_result_escapes_every_shown_field() -> None:
    raw = "a\x1b[1A\x1b]52;c;aGk=\x07b\r\nc\td\x85\x7f"
    result = CheckResult(Verdict.WRONG, raw, 0.0, "cpu", 0, raw, raw, raw, raw)
    safe = "a\\x1b[1A\\x1b]52;c;aGk=\\x07b\nc\td\\x85\\x7f"
    assert (result.message, result.expected, result.got, result.mistake, result.output) == (
        (safe,) * 5
    )
