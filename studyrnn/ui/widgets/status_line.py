"""The start-up line on Home: deck sync and checker warm-up, each with its progress.

Both run in workers; this widget only shows where they are, so the learner sees that the app
is alive while torch loads in the checker's own process.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import LoadingIndicator, Static

CHECKER_WORDS = {
    "starting": "checker: waiting to start",
    "warming": "checker: warming up",
    "ready": "checker: ready",
    "failed": "checker: unavailable",
}


class StatusLine(Horizontal):
    """``[spinner] syncing decks…   checker: warming up (cpu)``."""

    def compose(self) -> ComposeResult:
        yield LoadingIndicator(id="busy")
        yield Static("syncing decks…", id="sync-status")
        yield Static("", id="checker-status")

    def set_sync(self, text: str, *, busy: bool) -> None:
        self.query_one("#sync-status", Static).update(text)
        self.query_one("#busy", LoadingIndicator).display = busy

    def set_checker(self, state: str, detail: str) -> None:
        words = CHECKER_WORDS.get(state, f"checker: {state}")
        if detail:
            words = f"{words} ({detail})"
        self.query_one("#checker-status", Static).update(words)
        self.set_class(state == "failed", "-failed")
