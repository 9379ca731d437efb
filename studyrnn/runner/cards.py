"""Finding the code card a command names: by id (or key), or by ``path.md:LINE``.

Shared by ``grade`` and ``check``; plain Python, no torch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from studyrnn.decks.model import Card, DeckSet
from studyrnn.decks.parser import load
from studyrnn.errors import UsageError


def code_cards(decks: DeckSet) -> list[Card]:
    return [c for c in decks.cards if c.kind.is_code and c.code is not None]


def _split_location(ref: str) -> tuple[str, int] | None:
    path, sep, line = ref.rpartition(":")
    if not sep or not line.isdigit() or not path.endswith(".md"):
        return None
    return path, int(line)


def find_card(ref: str, deck_paths: Sequence[str | os.PathLike[str]]) -> Card:
    """The code card ``ref`` names. Raises UsageError (exit 2) with a hint when there is none."""
    location = _split_location(ref)
    if location is not None:
        path, line = location
        if not Path(path).is_file():
            raise UsageError(f"no such deck file: {path}", "give a path to a .md deck file")
        target = Path(path).resolve()
        cards = [c for c in load([path]).cards if Path(c.path).resolve() == target]
        found = [c for c in cards if c.line == line]
        if not found:
            lines = ", ".join(str(c.line) for c in cards if c.kind.is_code)[:200]
            raise UsageError(
                f"no card starts at {path}:{line}",
                f"use the line of the card's ## heading (code cards at: {lines})"
                if lines
                else "this file has no code cards",
            )
    else:
        decks = load(list(deck_paths))
        found = [c for c in decks.cards if ref in (c.key, c.explicit_id)]
        if not found:
            raise UsageError(
                f"unknown card `{ref}`", "give a card id (`<!-- id: ... -->`) or path.md:LINE"
            )
    card = found[0]
    if not card.kind.is_code or card.code is None:
        raise UsageError(
            f"`{ref}` is a {card.kind.value} card, not a code card",
            "grade judges predict and write cards only",
        )
    return card
