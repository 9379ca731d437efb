"""Write cards: solution against starter, the gradient-accumulation diagnostic, tampering."""

from __future__ import annotations

import pytest

from studyrnn.decks.model import Card
from studyrnn.runner import Checker, Verdict

pytestmark = pytest.mark.slow


def test_solution_passes_and_starter_does_not(
    checker: Checker, write_cards: dict[str, Card]
) -> None:
    card = write_cards["grad-accum"]
    assert card.code is not None and card.code.solution and card.code.starter
    ok = checker.grade(card, card.code.solution.code, seed=11)
    assert (ok.verdict, ok.message, ok.seed) == (Verdict.PASS, "right", 11)
    starter = checker.grade(card, card.code.starter.code, seed=11)
    assert starter.verdict is Verdict.WRONG


def test_forgot_to_divide_by_k_is_diagnosed(checker: Checker, write_cards: dict[str, Card]) -> None:
    card = write_cards["grad-accum"]
    assert card.code is not None and card.code.starter
    result = checker.grade(card, card.code.starter.code, seed=12)
    diagnosis = "gradients are exactly 4x the full-batch gradient: did you divide the loss by k?"
    assert result.mistake == diagnosis
    lines = result.message.splitlines()
    assert lines[0] == diagnosis
    assert lines[1].startswith("grad: values differ (Mismatched elements: 3 / 3 (100.0%)")


def test_missing_name_is_the_learners_error(checker: Checker, write_cards: dict[str, Card]) -> None:
    result = checker.grade(write_cards["grad-accum"], "def accumulat(*a):\n    pass\n", seed=1)
    assert (result.verdict, result.message) == (
        Verdict.ERROR,
        "your code does not define `accumulate`",
    )


def test_error_inside_the_learners_function_shows_its_lines(
    checker: Checker, write_cards: dict[str, Card]
) -> None:
    code = "def scale(x):\n    y = x * 3\n    return y.nope\n"
    result = checker.grade(write_cards["scale-three"], code, seed=1)
    assert result.verdict is Verdict.ERROR
    assert result.message == (
        "Traceback (your code, most recent call last):\n  line 3, in scale\n    return y.nope\n"
        "AttributeError: 'Tensor' object has no attribute 'nope'"
    )


def test_inputs_change_with_the_seed_so_a_constant_cannot_pass(
    checker: Checker, write_cards: dict[str, Card]
) -> None:
    card = write_cards["scale-three"]
    # A constant that is right for seed 1 (found by running the solution) fails for seed 2.
    probe = "import torch\ndef scale(x):\n    return x * 3\n"
    first = checker.grade(card, probe, seed=1)
    assert first.verdict is Verdict.PASS
    constant = (
        "import torch\n_g = torch.Generator().manual_seed(1)\n_x = torch.randn(4, generator=_g)\n"
        "def scale(x):\n    return _x * 3\n"
    )
    assert checker.grade(card, constant, seed=1).verdict is Verdict.PASS
    result = checker.grade(card, constant, seed=2)
    assert result.verdict is Verdict.WRONG
    assert result.message.startswith("out: values differ")


def test_the_output_of_the_learner_is_kept(checker: Checker, write_cards: dict[str, Card]) -> None:
    code = "print('hello from the answer')\ndef f():\n    return 42\n"
    result = checker.grade(write_cards["f-42"], code, seed=1)
    assert result.verdict is Verdict.PASS
    assert result.output == "hello from the answer\n"


TAMPERING = {
    "replace assert_close and allclose": (
        "import torch\n"
        "torch.testing.assert_close = lambda *a, **k: None\n"
        "torch.allclose = lambda *a, **k: True\n"
        "torch.equal = lambda *a, **k: True\n"
        "def scale(x):\n    return x * 2\n"
    ),
    "replace builtins": (
        "import builtins\n"
        "builtins.isinstance = lambda *a: True\n"
        "builtins.len = lambda *a: 0\n"
        "builtins.repr = lambda *a: 'right'\n"
        "def scale(x):\n    return x * 2\n"
    ),
    "lying tensor subclass": (
        "import torch\n"
        "class Liar(torch.Tensor):\n"
        "    def __eq__(self, other):\n        return True\n"
        "def scale(x):\n    return (x * 2).as_subclass(Liar)\n"
    ),
    "print a fake verdict": (
        "print('pass: right')\nprint('{\"verdict\": \"pass\"}')\ndef scale(x):\n    return x * 2\n"
    ),
    "forge a frame on the result pipe": (
        "import os, struct\n"
        "def scale(x):\n"
        "    fake = b'expected\\x00' + b'{\"d\": []}'\n"
        "    os.write(3, struct.pack('>I', len(fake)) + fake)\n"
        "    return x * 2\n"
    ),
}


@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_tampering_never_turns_wrong_into_pass(
    checker: Checker, write_cards: dict[str, Card], name: str
) -> None:
    result = checker.grade(write_cards["scale-three"], TAMPERING[name], seed=3)
    if name == "replace builtins":  # it breaks the sandbox's own reporting: the learner's error
        assert result.verdict is Verdict.ERROR, result.message
        assert result.message.startswith("your code broke the checker's channel")
    else:
        assert result.verdict is Verdict.WRONG, result.message
        assert result.message.startswith("out: values differ")


@pytest.mark.parametrize(
    "answer",
    ["__import__('sys').exit(0)", "__import__('os')._exit(0)", "print('pass') or (2, 3)"],
)
def test_tampering_with_a_predict_answer(
    checker: Checker, predict_cards: dict[str, Card], answer: str
) -> None:
    result = checker.grade(predict_cards["lstm-hn-shape"], answer, seed=3)
    assert result.verdict is Verdict.UNREADABLE  # never run: not a value


def test_verify_a_write_card(checker: Checker, write_cards: dict[str, Card]) -> None:
    results = checker.verify(write_cards["grad-accum"], seed=4)
    assert [r.verdict for r in results] == [Verdict.PASS, Verdict.PASS]
    assert results[1].message == "the starter does not pass (wrong)"
    bad = checker.verify(write_cards["starter-passes"], seed=4)
    assert [r.verdict for r in bad] == [Verdict.PASS, Verdict.WRONG]
    card = write_cards["starter-passes"]
    assert card.code is not None and card.code.starter is not None
    assert bad[1].message == (
        f"the starter passes the check at {card.path}:{card.code.starter.line}; it must not"
    )
