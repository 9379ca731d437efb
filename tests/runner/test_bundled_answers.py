"""Every bundled predict card is answerable: its expected value, as studyrnn shows it, reads
back with the answer grammar and is judged ``pass``."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyrnn.decks.model import CardKind
from studyrnn.decks.parser import load
from studyrnn.runner import Checker, Verdict
from studyrnn.runner.answer import parse_answer

pytestmark = pytest.mark.slow

DECKS = Path(__file__).resolve().parents[2] / "decks"


def test_every_bundled_predict_card_is_answerable_as_shown(checker: Checker) -> None:
    cards = [c for c in load([DECKS]).cards if c.kind is CardKind.PREDICT]
    assert len(cards) == 121
    failures: list[str] = []
    for card in cards:
        shown = checker.expected(card, seed=1)
        if shown.verdict is not Verdict.PASS:
            failures.append(f"{card.key}: expected: {shown.verdict}: {shown.message}")
            continue
        parse_answer(shown.expected)  # raises, with the reason, if it cannot be typed
        result = checker.grade(card, shown.expected, seed=1)
        if (result.verdict, result.message) != (Verdict.PASS, "right"):
            failures.append(f"{card.key}: {shown.expected!r}: {result.verdict}: {result.message}")
    assert failures == []
