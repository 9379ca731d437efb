"""Keeping card identities unique: ids, keys and questions seen so far.

Used for one file (``parse_text``) and again across every file loaded together (``load``):
- an explicit id used twice is an error naming both places, and the later note is dropped;
- the same question twice in one deck is a warning (the learner could not tell them apart);
- two notes without ids whose derived keys collide (same deck, same front) keep both, the
  later one's key getting ``~2`` (``~3``, ...), in file order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from studyrnn.decks.model import Card, CardKind, Problem, Severity
from studyrnn.decks.text import normalize_front


def question(card: Card) -> str:
    """What "the same question" compares, from the first card of a note: the heading, or for
    a cloze note its whole filled-in text (cloze notes often share a generic heading)."""
    if card.kind is CardKind.CLOZE:
        return card.back
    if card.kind is CardKind.BIDIRECTIONAL:
        return f"{card.front} <-> {card.back.split(chr(10) * 2, 1)[0]}"
    return card.front.split("\n\n", 1)[0]


def notes_of(cards: Sequence[Card]) -> Iterator[list[Card]]:
    """The cards grouped by note (siblings are always next to each other)."""
    group: list[Card] = []
    for card in cards:
        if group and card.note_key != group[0].note_key:
            yield group
            group = []
        group.append(card)
    if group:
        yield group


class Identities:
    """What has been seen so far; ``admit`` each note in order.

    ``across_files``: the notes were already admitted file by file, so a question repeated
    inside one file was reported then and is not reported again.
    """

    def __init__(self, *, across_files: bool = False) -> None:
        self.across_files = across_files
        self.ids: dict[str, tuple[str, int]] = {}
        self.questions: dict[tuple[str, str], tuple[str, int]] = {}
        self.keys: set[str] = set()
        # the next `~N` to try for a key: many notes with one front stay linear
        self.next_suffix: dict[str, int] = {}

    def admit(self, note: list[Card]) -> tuple[list[Card], list[Problem]]:
        """The note's cards as they are to be kept (none, renamed, or unchanged), and the
        problems found."""
        first = note[0]
        problems: list[Problem] = []
        if first.explicit_id is not None:
            place = self.ids.get(first.explicit_id)
            if place is not None:
                problems.append(
                    Problem(
                        first.path,
                        first.line,
                        Severity.ERROR,
                        "duplicate-id",
                        f"duplicate id `{first.explicit_id}`: also used at {place[0]}:{place[1]} "
                        "(ids are unique across all decks; rename one, this card is skipped)",
                    )
                )
                return [], problems
            self.ids[first.explicit_id] = (first.path, first.line)
        asked = (first.deck, normalize_front(question(first)))
        other = self.questions.get(asked)
        if other is None:
            self.questions[asked] = (first.path, first.line)
        elif not (self.across_files and other[0] == first.path):
            where = f"line {other[1]}" if other[0] == first.path else f"{other[0]}:{other[1]}"
            problems.append(
                Problem(
                    first.path,
                    first.line,
                    Severity.WARNING,
                    "duplicate-question",
                    f"the same question as {where} in deck `{first.deck}` "
                    "(reword one so the learner can tell them apart)",
                )
            )
        if first.explicit_id is None and first.note_key in self.keys:
            suffix = self.next_suffix.get(first.note_key, 2)
            while f"{first.note_key}~{suffix}" in self.keys:
                suffix += 1
            self.next_suffix[first.note_key] = suffix + 1
            new_key = f"{first.note_key}~{suffix}"
            note = [
                dataclasses.replace(c, note_key=new_key, key=new_key + c.key[len(c.note_key) :])
                for c in note
            ]
        self.keys.add(note[0].note_key)
        return note, problems
