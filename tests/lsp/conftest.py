"""The lsp tests run the real server in a subprocess, on a copy of the fixture decks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lsp"


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A copy of ``tests/fixtures/lsp/decks`` (rnn.md, twin.md), free to edit."""
    target = tmp_path / "decks"
    shutil.copytree(FIXTURES / "decks", target)
    return target
