"""The red-team suite's fixtures: a warm checker, the attack deck, and bait on the host.

The suite runs three times in CI (.ci/run): as root, as an unprivileged user, and with
namespaces refused by a seccomp filter (``refuse.py``), twice: once where Landlock takes
over, once where it is refused too and code cards must be skipped. ``STUDYRNN_EXPECT_SANDBOX``
names the mechanism the run expects (``namespaces`` unless set), so a machine that silently
lost its isolation fails instead of passing on less.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyrnn.decks.model import Card
from studyrnn.decks.parser import load
from studyrnn.runner import Checker
from studyrnn.runner.protections import Bait, bait

DECK = Path(__file__).resolve().parent / "attacks.md"
EXPECTED = os.environ.get("STUDYRNN_EXPECT_SANDBOX", "namespaces")
MEMORY_MB = 512


def confined_run() -> bool:
    return EXPECTED != "none"


needs_confinement = pytest.mark.skipif(
    not confined_run(), reason="code cards are skipped where nothing confines them"
)


@pytest.fixture(scope="module")
def checker() -> Iterator[Checker]:
    c = Checker(device="cpu", memory_mb=MEMORY_MB)
    try:
        assert c.wait_ready(180), "the worker did not start"
        assert c.info()["mechanism"] == EXPECTED
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def cards() -> dict[str, Card]:
    decks = load([DECK])
    assert [p for p in decks.problems if p.severity.value == "error"] == []
    return {c.key: c for c in decks.cards}


@pytest.fixture
def host_bait() -> Iterator[Bait]:
    with bait() as b:
        yield b
