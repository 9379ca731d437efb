"""The CUDA/MPS code path (the spawned device worker that owns the device, then the CPU
judge), driven on the CPU: this machine has no GPU, so the checks are routed there on purpose.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from studyrnn.decks.model import Card
from studyrnn.runner import Checker, Verdict

pytestmark = pytest.mark.slow

LABEL = "batch_first does not apply to h_n and c_n: they are (layers, batch, hidden)"


@pytest.fixture(scope="module")
def routed() -> Iterator[Checker]:
    checker = Checker(device="cpu")
    checker._device_worker_for = {"cpu"}  # the device-worker path, on the CPU
    assert checker.wait_ready(180)
    yield checker
    checker.close()


def test_predict_is_judged_outside_the_device_worker(
    routed: Checker, predict_cards: dict[str, Card]
) -> None:
    card = predict_cards["lstm-hn-shape"]
    ok = routed.grade(card, "(2, 32, 20)", seed=1)
    assert (ok.verdict, ok.expected, ok.device) == (Verdict.PASS, "(2, 32, 20)", "cpu")
    bad = routed.grade(card, "(32, 2, 20)", seed=1)
    assert (bad.verdict, bad.mistake) == (Verdict.WRONG, LABEL)
    assert bad.message == f"{LABEL}\nexpected (2, 32, 20), got (32, 2, 20)"
    [verified] = routed.verify(predict_cards["wrong-equals-right"], seed=1)
    assert verified.verdict is Verdict.WRONG
    assert routed.expected(card, seed=1).expected == "(2, 32, 20)"


def test_write_card_and_its_diagnosis(routed: Checker, write_cards: dict[str, Card]) -> None:
    card = write_cards["grad-accum"]
    assert card.code is not None and card.code.solution and card.code.starter
    assert routed.grade(card, card.code.solution.code, seed=2).verdict is Verdict.PASS
    wrong = routed.grade(card, card.code.starter.code, seed=2)
    assert wrong.verdict is Verdict.WRONG
    assert wrong.mistake.startswith("gradients are exactly 4x the full-batch gradient")


def test_timeout_restarts_the_device_worker(routed: Checker, write_cards: dict[str, Card]) -> None:
    card = write_cards["f-42"]  # timeout=2
    start = time.monotonic()
    result = routed.grade(card, "while True:\n    pass\n", seed=1)
    assert result.verdict is Verdict.TIMEOUT
    assert time.monotonic() - start < 2 + 3  # its limit, the judge's start, the kill
    assert routed.grade(card, "def f():\n    return 42\n", seed=1).verdict is Verdict.PASS


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        ("import os\nos._exit(0)\n", Verdict.ERROR),
        ("import sys\nsys.exit(0)\n", Verdict.ERROR),
        (
            "import torch\ntorch.testing.assert_close = lambda *a, **k: None\n"
            "def f():\n    return 41\n",
            Verdict.WRONG,
        ),
    ],
)
def test_exits_and_tampering_never_pass(
    routed: Checker, write_cards: dict[str, Card], code: str, verdict: Verdict
) -> None:
    card = write_cards["f-42"]
    assert routed.grade(card, code, seed=1).verdict is verdict
    assert routed.grade(card, "def f():\n    return 42\n", seed=1).verdict is Verdict.PASS
