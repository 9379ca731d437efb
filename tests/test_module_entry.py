"""``python -m studyrnn`` runs the command line, as the ``studyrnn`` script does: a checkout
run without installing it (``scripts/first-day.sh`` does) has no other way in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from studyrnn import __version__

REPO = Path(__file__).resolve().parent.parent


def test_python_dash_m_runs_the_command_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "studyrnn", "--version"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"studyrnn, version {__version__}\n",
        "",
    )
