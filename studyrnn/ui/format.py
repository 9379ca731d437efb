"""How the app words things: dates in local time, ratings, and a card's text for one variant.

Pure functions over the engine's values; no widgets here, so they are cheap to test.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from studyrnn.decks.model import Card, CardKind

if TYPE_CHECKING:
    from studyrnn.values import Rating

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def rating_name(rating: Rating | int) -> str:
    return RATING_NAMES.get(int(rating), str(int(rating)))


def local_time(moment: datetime | None) -> str:
    """A stored (UTC) moment as the learner's wall clock, to the minute."""
    if moment is None:
        return "-"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def local_date(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone().strftime("%Y-%m-%d")


def render_params(text: str, values: Mapping[str, object]) -> str:
    """Show a parametric card's drawn values in place of its ``{{=name}}`` placeholders."""
    if not values or "{{=" not in text:
        return text
    from studyrnn.decks.params import render

    return render(text, values)


def variant_line(values: Mapping[str, object]) -> str:
    """``layers = 2 · hidden = 16``: the drawn values, in the order they were declared."""
    return " · ".join(f"{name} = {value!r}" for name, value in values.items())


def question_markdown(card: Card, values: Mapping[str, object]) -> str:
    """What the learner sees before answering. The parser already put a code card's setup
    (and its parameter lines) into the front; a multiple-choice card's plain option list is
    left out, because the app shows the options numbered, for the keys."""
    text = card.front
    if card.kind is CardKind.CHOICE and card.choices:
        options = {f"- {choice.text}".strip() for choice in card.choices}
        text = "\n".join(line for line in text.splitlines() if line.strip() not in options)
    return render_params(text.rstrip(), values)


def answer_markdown(card: Card, values: Mapping[str, object]) -> str:
    """What is shown once the card is revealed: the back (the explanation included)."""
    return render_params(card.back, values)


def choice_line(index: int, text: str, *, picked: bool, revealed: bool, correct: bool) -> str:
    """One option of a multiple-choice card, numbered for the keyboard."""
    box = "[x]" if picked else "[ ]"
    mark = ""
    if revealed:
        mark = "  ✓ right" if correct else ("  ✗ wrong" if picked else "")
    return f"{index}. {box} {text}{mark}"
