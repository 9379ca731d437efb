"""Headless Neovim, its built-in LSP client and the real server: a diagnostic shows on the
unterminated fence's line in ``vim.diagnostic.get()`` and clears once the fence is closed.
Needs ``nvim`` (CI: ``apt-get install neovim``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "nvim" / "diagnostics.lua"

UNTERMINATED = """# Code

## What is `1 + 1`?
```python expect
1 + 1

## Another card
Its answer.
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("nvim") is None, reason="needs Neovim (apt-get install neovim)")
def test_neovim_shows_and_clears_the_diagnostic(decks: Path, tmp_path: Path) -> None:
    deck = decks / "code.md"
    deck.write_text(UNTERMINATED, encoding="utf-8")
    out = tmp_path / "nvim.out"
    env = dict(
        os.environ,
        STUDYRNN_PYTHON=sys.executable,
        STUDYRNN_DECKS_DIR=str(decks),
        STUDYRNN_DECK_FILE=str(deck),
        STUDYRNN_REPO=str(REPO),
        STUDYRNN_NVIM_OUT=str(out),
    )
    subprocess.run(
        ["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {SCRIPT}"],
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8").splitlines() == [
        "open 3 unterminated-fence unterminated fence: this ``` never closes (add a closing "
        "``` line after the code)",
        "open count 1",
        "fixed count 0",
    ]
