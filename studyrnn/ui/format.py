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


def neutral_params(text: str) -> str:
    """A parametric card's text with no variant drawn: each ``{{=name}}`` reads as its name
    (``x * {{=s}}`` -> ``x * s``), so a list never shows template braces."""
    if "{{=" not in text:
        return text
    from studyrnn.decks.params import PLACEHOLDER_RE

    return PLACEHOLDER_RE.sub(lambda m: m.group(1), text)


def card_title(card: Card, values: Mapping[str, object] | None = None, width: int = 60) -> str:
    """The card's first line, for a message or a list: the drawn variant when ``values``
    are given, else the neutral form; cut to ``width`` with an ellipsis."""
    text = render_params(card.front, values) if values else card.front
    text = neutral_params(text)
    line = next((part.strip("# ").strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


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


def answer_markdown(
    card: Card, values: Mapping[str, object], *, options_shown: bool = False
) -> str:
    """What is shown once the card is revealed: the back (the explanation included). With
    ``options_shown`` (the review marks a multiple-choice card's options in place), the back's
    own ``- ✓``/``- ✗`` list of them is left out, as it would say the same twice."""
    text = card.back
    if options_shown and card.kind is CardKind.CHOICE and card.choices:
        marked = {f"- {'✓' if c.correct else '✗'} {c.text}".strip() for c in card.choices}
        text = "\n".join(line for line in text.splitlines() if line.strip() not in marked)
        text = text.strip("\n")
    return render_params(text, values)


def choice_line(
    letter: str, text: str, *, picked: bool, revealed: bool, correct: bool, single: bool = False
) -> str:
    """One option of a multiple-choice card, lettered for the keyboard: a radio button when
    the question has one right option, a checkbox when it has several. After the reveal the
    marks are words and glyphs, never colour alone."""
    box = ("◉" if picked else "◯") if single else "☒" if picked else "☐"
    mark = ""
    if revealed:
        if correct:
            mark = "  ✓ right · your pick" if picked else "  ✓ right"
        elif picked:
            mark = "  ✗ your pick, wrong"
    return f"{letter}) {box} {text}{mark}"
