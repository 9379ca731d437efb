"""The options of a multiple-choice card, numbered so the learner picks them with keys."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static

from studyrnn.decks.model import Choice
from studyrnn.ui.format import choice_line


class ChoiceList(Static):
    """Digits toggle options; ``reveal`` marks right and wrong ones."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.choices: tuple[Choice, ...] = ()
        self.picked: set[int] = set()
        self.revealed = False

    def load(self, choices: Sequence[Choice]) -> None:
        self.choices = tuple(choices)
        self.picked = set()
        self.revealed = False
        self._draw()

    def toggle(self, number: int) -> bool:
        """Toggle option ``number`` (1-based); False when there is no such option."""
        if not 1 <= number <= len(self.choices) or self.revealed:
            return False
        self.picked ^= {number}
        self._draw()
        return True

    @property
    def all_right(self) -> bool:
        """True when the picks are exactly the right options."""
        right = {i for i, c in enumerate(self.choices, 1) if c.correct}
        return self.picked == right

    def reveal(self) -> None:
        self.revealed = True
        self._draw()

    def _draw(self) -> None:
        lines = [
            choice_line(
                i, c.text, picked=i in self.picked, revealed=self.revealed, correct=c.correct
            )
            for i, c in enumerate(self.choices, 1)
        ]
        if not self.revealed:
            lines.append("")
            lines.append("Press an option's number to pick it, then Enter to answer.")
        self.update("\n".join(lines))
