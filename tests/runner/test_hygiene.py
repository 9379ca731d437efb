"""The app process never imports torch: the checker only talks to its worker."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.runner.conftest import FIXTURES

pytestmark = pytest.mark.slow

SCRIPT = f"""
import sys
from studyrnn.decks.parser import load
from studyrnn.runner import Checker
cards = {{c.key: c for c in load([{str(FIXTURES / "predict.md")!r}]).cards}}
with Checker(device="auto") as checker:
    info = checker.info()
    result = checker.grade(cards["lstm-hn-shape"], "(2, 32, 20)", seed=1)
print(result.verdict.value, info["device"], "torch" in sys.modules, "numpy" in sys.modules)
"""


def test_the_app_process_never_imports_torch() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout == "pass cpu False False\n"


def test_closing_a_warming_checker_ends_its_whole_process_group() -> None:
    """Quitting right after start: the worker is still importing torch and reads nothing, so
    it is killed at once, with its process group, and reaped before ``close`` returns."""
    from studyrnn.runner import Checker

    checker = Checker(device="cpu")
    worker = checker._cpu
    assert worker is not None
    checker.close()
    assert worker.proc.returncode == -9
    with pytest.raises(ProcessLookupError):
        os.killpg(worker.proc.pid, 0)  # nothing is left in the worker's group
    assert not worker._reader.is_alive()
