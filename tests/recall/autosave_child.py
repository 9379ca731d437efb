"""Run by ``test_recall_autosave.py`` in a subprocess that the test then kills with SIGKILL.

It opens the real app headless on an interrupted session, continues it, types a paragraph
into the recall editor, says ``TYPED`` on stdout, and keeps the app running (its autosave
timer ticking) until it is killed. Nothing here saves explicitly: only the autosave can.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from recall_helpers import DECKS, IdleChecker, wait_until

from studyrnn.ui.app import StudyApp
from studyrnn.ui.backend import Backend
from studyrnn.ui.screens.recall import ResumeDialog
from studyrnn.ui.screens.recall_write import RecallWriteScreen


async def main(db_url: str, text: str) -> None:
    backend = Backend(db_url, [DECKS], device="cpu", checker_factory=lambda _d: IdleChecker())
    app = StudyApp(backend, start="recall")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ResumeDialog), "the offer")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallWriteScreen), "writing")
        await pilot.press(*text)
        print("TYPED", flush=True)
        await asyncio.sleep(120)  # the parent kills us long before this ends


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
