"""Asked before editing a bundled card: copy its deck into the learner's folder first?

A bundled deck lives inside the installed package, where an upgrade would overwrite an edit,
so the review never opens it. The dialog says where the copy would go; y copies (the cards
keep their ids and progress), n or Esc leaves everything as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class CopyDeckDialog(ModalScreen[bool]):
    """Returns True when the learner agrees to copy the deck."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Copy and edit", id="copy-deck"),
        Binding("n,escape", "answer(False)", "Cancel", id="cancel-copy"),
    ]

    def __init__(self, deck_file: Path, target: Path) -> None:
        super().__init__()
        self.deck_file = deck_file
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-box", classes="dialog"):
            yield Static("This card is in a bundled deck", classes="dialog-title", markup=False)
            yield Static(
                f"{self.deck_file.name} is part of the installed studyrnn, where an upgrade "
                f"would overwrite your edits. Copy it to {self.target} and edit the copy? "
                "The cards keep their ids and their progress, and studyrnn reads the copy "
                "from now on (the same as `studyrnn decks copy "
                f"{self.deck_file.stem}`).",
                id="copy-message",
                markup=False,
            )
            yield Static("y copies and opens the editor · n or Esc cancels", classes="dim")

    def action_answer(self, copy: bool) -> None:
        self.dismiss(copy)
