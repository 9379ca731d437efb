"""The Textual app. ``launch`` is the only entry point the CLI needs.

This module imports nothing heavy: Textual is imported inside ``launch``, and the engine and
the checker only in the app's worker threads, so the first frame is on screen in well under a
second and the UI process never imports torch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

STARTS = ("home", "review", "recall")


def launch(
    deck_dirs: Sequence[str | Path],
    db: str | None,
    device: str = "auto",
    start: str = "home",
    *,
    clock: Callable[[], datetime] | None = None,
    recall_decks: Sequence[str] = (),
    deck: str | None = None,
) -> None:
    """Open the app on the given deck folders (else the configured ones) and database.

    ``start`` is the first screen: "home", "review" (all decks) or "recall".
    ``recall_decks`` are the decks (or "deck › section") the recall screen pre-selects.
    ``deck`` limits the review started by ``start="review"`` to one deck (its display name).
    """
    from studyrnn import config
    from studyrnn.errors import UsageError

    if start not in STARTS:
        raise UsageError(f"unknown start screen {start!r}", f"use one of {', '.join(STARTS)}")
    paths = config.deck_paths([str(p) for p in deck_dirs])
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(
            f"deck path not found: {missing[0]}", "pass a deck folder or a .md file that exists"
        )
    from studyrnn.ui.app import StudyApp
    from studyrnn.ui.backend import Backend

    backend = Backend(config.db_url(db), paths, device=device, clock=clock)
    app = StudyApp(backend, start=start, recall_decks=recall_decks, review_deck=deck)
    try:
        app.run()
    finally:
        backend.close()
    if app.return_code:  # a crash: Textual printed the readable report; tell the shell too
        raise SystemExit(app.return_code)
