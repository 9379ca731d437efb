"""The options of a multiple-choice card, lettered so the learner picks them with keys.

Letters pick, digits rate: the two never share a key, so the answer buttons' ``1 Again``
cannot be mistaken for "option 1". A question with one right option shows radio buttons (a
pick replaces the last one); one with several shows checkboxes. After the reveal each line
says in words what it was, so the marks read without colour too.
"""

from __future__ import annotations

from collections.abc import Sequence
from string import ascii_lowercase

from textual.widgets import Static

from studyrnn.decks.model import Choice
from studyrnn.ui.format import choice_line

LETTERS = ascii_lowercase[:10]  # more options than this would not fit a screen anyway


class ChoiceList(Static):
    """Letters pick options; ``reveal`` marks the right ones and the learner's picks."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.choices: tuple[Choice, ...] = ()
        self.picked: set[int] = set()
        self.revealed = False
        self.plain = ""  # the text shown, for tests and screen readers

    def load(self, choices: Sequence[Choice]) -> None:
        self.choices = tuple(choices)[: len(LETTERS)]
        self.picked = set()
        self.revealed = False
        self._draw()

    @property
    def single(self) -> bool:
        """One right option: the learner picks one, with radio buttons."""
        return sum(c.correct for c in self.choices) == 1

    def has(self, letter: str) -> bool:
        """Whether ``letter`` names an option of this card."""
        return letter in LETTERS[: len(self.choices)]

    def pick(self, letter: str) -> bool:
        """Pick (or, with checkboxes, un-pick) the option ``letter``; False when there is
        none or the answer is already shown."""
        if not self.has(letter) or self.revealed:
            return False
        number = LETTERS.index(letter) + 1
        self.picked = {number} if self.single else self.picked ^ {number}
        self._draw()
        return True

    @property
    def picked_letters(self) -> str:
        return ", ".join(LETTERS[n - 1] for n in sorted(self.picked))

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
                LETTERS[i - 1],
                c.text,
                picked=i in self.picked,
                revealed=self.revealed,
                correct=c.correct,
                single=self.single,
            )
            for i, c in enumerate(self.choices, 1)
        ]
        if not self.revealed:
            last = LETTERS[len(self.choices) - 1] if self.choices else "a"
            how = "pick one" if self.single else "pick every right one"
            lines.append("")
            lines.append(f"Press a-{last} to {how}, then Enter to answer.")
        self.plain = "\n".join(lines)
        self.update(self.plain)
