"""The UI process never imports torch: not at the first frame, not once the checker is warm,
not after a code card was judged. Run in a fresh interpreter, since this test process may
have imported torch for other tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES

SCRIPT = r"""
import asyncio, json, sys, time
from pathlib import Path

import studyrnn.ui
light = {m: m in sys.modules for m in ("textual", "sqlalchemy", "torch")}

from studyrnn.ui.app import StudyApp
from studyrnn.ui.backend import Backend
from studyrnn.ui.widgets.deck_tree import DeckTree

async def until(pilot, cond, timeout=180):
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        await pilot.pause(0.05)

async def main():
    decks, db = Path(sys.argv[1]), sys.argv[2]
    app = StudyApp(Backend(db, [decks], device="cpu"))
    seen = {}
    async with app.run_test(size=(100, 30)) as pilot:
        seen["first_screen"] = "torch" in sys.modules
        tree = app.screen.query_one(DeckTree)
        await until(pilot, lambda: len(tree.root.children) == 3)
        seen["synced"] = "torch" in sys.modules
        await until(pilot, lambda: app.checker_state == "ready")
        seen["checker_ready"] = "torch" in sys.modules
        await pilot.press("down", "down", "enter")  # the Code deck: a predict card
        await until(pilot, lambda: getattr(app.screen, "item", None) is not None)
        await pilot.press(*"(2, 32, 20)", "enter")
        await until(pilot, lambda: getattr(app.screen, "verdict", None) is not None)
        seen["verdict"] = app.screen.verdict
        seen["after_check"] = "torch" in sys.modules
    print(json.dumps({"light": light, "seen": seen}))

asyncio.run(main())
"""


def test_the_ui_process_never_imports_torch(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(FIXTURES), f"sqlite:///{tmp_path / 'db.sqlite'}"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["light"] == {"textual": False, "sqlalchemy": False, "torch": False}
    assert result["seen"] == {
        "first_screen": False,
        "synced": False,
        "checker_ready": False,
        "verdict": "pass",
        "after_check": False,
    }
