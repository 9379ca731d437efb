"""Fixtures of the checker's tests: the fixture decks, and one warm Checker per test module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyrnn.decks.model import Card
from studyrnn.decks.parser import load
from studyrnn.runner import Checker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "runner"
SECRET_NAME = "STUDYRNN_TEST_SECRET"
SECRET_VALUE = "hunter2-do-not-leak-7f3a"


def cards_of(name: str) -> dict[str, Card]:
    decks = load([FIXTURES / name])
    assert [p for p in decks.problems if p.severity.value == "error"] == []
    return {c.key: c for c in decks.cards}


@pytest.fixture(scope="module")
def checker() -> Iterator[Checker]:
    # The parent holds a secret in its environment; no snippet may ever see it.
    os.environ[SECRET_NAME] = SECRET_VALUE
    c = Checker(device="cpu", memory_mb=512)
    try:
        assert c.wait_ready(180), "the worker did not start"
        yield c
    finally:
        c.close()
        os.environ.pop(SECRET_NAME, None)


@pytest.fixture(scope="module")
def predict_cards() -> dict[str, Card]:
    return cards_of("predict.md")


@pytest.fixture(scope="module")
def write_cards() -> dict[str, Card]:
    return cards_of("write.md")


@pytest.fixture(scope="module")
def param_cards() -> dict[str, Card]:
    return cards_of("params.md")


@pytest.fixture(scope="module")
def hostile_cards() -> dict[str, Card]:
    return cards_of("hostile.md")
