"""Which cards a lint error dropped: for ``studyrnn check``, which checks only the cards that
were read and must say which ones it could not check.

The parser drops a note whose reading found an error and reports the error at its line (a
fence, a metadata comment, the heading). Here each error is put back in its note, the ``## ``
heading above it, as the parser's own block scan sees the file, so that three errors in one
card count as one skipped card. A file that could not be read at all (not UTF-8, unreadable)
is skipped whole; an error outside every card (front matter, a fence before the first card)
drops no card and is left to ``studyrnn lint``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from studyrnn.decks.blocks import scan
from studyrnn.decks.model import DeckSet, Problem, Severity
from studyrnn.decks.text import decode

WHOLE_FILE = ("not-utf8", "unreadable")


@dataclass(frozen=True, slots=True)
class Skipped:
    """One card (``heading`` is its 1-based heading line) or one whole file (``heading`` 0)
    that was not read, with the errors that dropped it, in line order."""

    path: str
    heading: int
    errors: tuple[Problem, ...]


def skipped(decks: DeckSet) -> list[Skipped]:
    """The cards and files the lint errors of ``decks`` dropped, in file and line order."""
    found: list[Skipped] = []
    for deck_file in decks.files:
        errors = [p for p in deck_file.problems if p.severity is Severity.ERROR]
        if not errors:
            continue
        whole = [p for p in errors if p.code in WHOLE_FILE]
        if whole:
            found.append(Skipped(deck_file.path, 0, tuple(whole)))
            continue
        starts, ends = _notes(deck_file.path)
        by_note: dict[int, list[Problem]] = {}
        for problem in errors:
            index = bisect_right(starts, problem.line) - 1
            if index >= 0 and problem.line <= ends[index]:
                by_note.setdefault(starts[index], []).append(problem)
        found.extend(Skipped(deck_file.path, n, tuple(by_note[n])) for n in sorted(by_note))
    return found


def _notes(path: str) -> tuple[list[int], list[int]]:
    """The 1-based first and last lines of every note (an H2 up to the next H1 or H2)."""
    text, _ = decode(Path(path).read_bytes())
    if text is None:
        return [], []
    lines = text.split("\n")
    headings = scan(text, lines).headings
    starts: list[int] = []
    ends: list[int] = []
    for index, heading in enumerate(headings):
        if heading.level != 2:
            continue
        following = headings[index + 1].line if index + 1 < len(headings) else len(lines)
        starts.append(heading.line + 1)
        ends.append(following)
    return starts, ends
