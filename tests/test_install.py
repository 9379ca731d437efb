"""A regular (non-editable) install carries the bundled decks and finds them.

Builds the wheel, installs it into a scratch folder, and asks the installed studyrnn, from a
folder that has no ``decks/``, where its bundled decks are and what ``studyrnn lint`` sees.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DECKS = sorted(p.name for p in (REPO / "decks").glob("*.md"))

pytestmark = pytest.mark.slow


def test_wheel_install_finds_the_bundled_decks(tmp_path: Path) -> None:
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Build from a copy, so leftovers of a local build (build/, *.egg-info) cannot leak in.
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("studyrnn-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYRNN_")}
    env["PYTHONPATH"] = str(target)  # the installed copy, never the checkout
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # no copies of the learner's (decks copy)
    probe = (
        "import json, studyrnn, sys\n"
        "from studyrnn import config\n"
        "from studyrnn.commands.lint import lint\n"
        "d = config.bundled_decks_dir()\n"
        "print(json.dumps({'package': studyrnn.__file__, 'dir': str(d),"
        " 'decks': sorted(p.name for p in d.glob('*.md')),"
        " 'configured': [str(p) for p in config.deck_paths()]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["package"].startswith(str(target))
    assert found["dir"] == str(target / "studyrnn" / "bundled_decks")
    assert found["decks"] == DECKS
    assert found["configured"] == [found["dir"]]
    # ``studyrnn help format`` shows the deck format from the installed package.
    shown = subprocess.run(
        [sys.executable, "-c", "from studyrnn.cli import main; main(['help', 'format'])"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (REPO / "docs" / "deck-format.md").read_text(encoding="utf-8")
    # ``studyrnn serve``'s start page is package data too.
    page = target / "studyrnn" / "serve" / "index.html"
    assert "studyrnn is starting…" in page.read_text(encoding="utf-8")
