"""Emacs in batch mode, eglot and flymake, with the setup of docs/editors.md, and the real
server: a diagnostic shows on the unterminated fence's line in ``(flymake-diagnostics)`` and
clears once the fence is closed. Needs ``emacs`` with eglot and markdown-mode (CI: Debian's
``emacs-nox elpa-eglot elpa-markdown-mode``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lsp.test_neovim import UNTERMINATED

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "emacs" / "diagnostics.el"


def _has_eglot() -> bool:
    if shutil.which("emacs") is None:
        return False
    probe = "(progn (package-initialize) (require 'eglot) (require 'markdown-mode))"
    found = subprocess.run(
        ["emacs", "--batch", "--eval", probe], capture_output=True, timeout=60, check=False
    )
    return found.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(
    not _has_eglot(),
    reason="needs Emacs with eglot and markdown-mode (apt-get install "
    "emacs-nox elpa-eglot elpa-markdown-mode)",
)
def test_emacs_shows_and_clears_the_diagnostic(decks: Path, tmp_path: Path) -> None:
    deck = decks / "code.md"
    deck.write_text(UNTERMINATED, encoding="utf-8")
    out = tmp_path / "emacs.out"
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONPATH=str(REPO),
        STUDYRNN_DECKS=str(decks),
        STUDYRNN_DECK_FILE=str(deck),
        STUDYRNN_EMACS_OUT=str(out),
    )
    subprocess.run(
        ["emacs", "--batch", "-l", str(SCRIPT)],
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8").splitlines() == [
        "open 4 eglot-error studyrnn [unterminated-fence]: unterminated fence: this ``` never "
        "closes (add a closing ``` line after the code)",
        "open count 1",
        "fixed count 0",
    ]
