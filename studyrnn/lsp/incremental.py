"""Re-parse only the notes that changed: how a 2,000-card deck is linted within a keystroke.

The text is cut at its ``#``/``##`` headings into the preamble (front matter and the notes
before the first heading) and one piece per heading. Each piece is parsed on its own by the
real parser (``parse_text``), behind the front matter and, for a card, its section's heading,
so that it reads as it does in the whole file; its lines are then shifted back to where they
are in the file. Pieces are remembered by their text, so a keystroke re-parses one note. The
checks across notes (duplicate ids and questions, derived keys made unique) run over the
pieces in order with ``combine``, which applies the same rules to them as the parser does
inside one file.

Where the cut could differ from the parser's reading (a heading indented into a list, a fence
opened inside a list or a quote, a backtick in a fence's info string, CRLF or a BOM, front
matter that does not close with ``---``), the whole text is parsed instead. ``tests/lsp/
test_incremental.py`` holds the cut parse equal to the whole parse on every fixture and
bundled deck.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from studyrnn.decks.model import Card, DeckFile, Fence, Problem, Severity
from studyrnn.decks.parser import combine, parse_text

_HEADING_RE = re.compile(r"^#{1,2}(?:[ \t]|$)")
_LOOKS_RE = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")  # what the parser resumes at
_CANDIDATE_RE = re.compile(r"^(?: {0,3}#{1,2}(?:[ \t]|$)| {0,3}(?:`{3,}|~{3,}))", re.M)
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_NESTED_FENCE_RE = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)]|>)[ \t>]*(?:`{3,}|~{3,})", re.M)

FILE_LEVEL = "foreign-format"  # a problem that depends on the whole file, not one note


class IncrementalParser:
    """The parse of one document, kept between its versions."""

    def __init__(self) -> None:
        self._pieces: dict[tuple[str, str], DeckFile] = {}  # parsed, by (prefix, text)
        self._placed: dict[tuple[str, str, int], DeckFile] = {}  # at their line in the file
        self._last: tuple[str, str, DeckFile] | None = None

    def parse(self, text: str, path: str) -> DeckFile:
        """What ``parse_text(text, path)`` returns, from the pieces that did not change."""
        if self._last is not None and self._last[:2] == (text, path):
            return self._last[2]  # hover, outline and actions ask again for the same text
        # the first text is parsed whole, which is quicker than piece by piece; ``warm``
        # parses its pieces afterwards, off the path of the first diagnostics
        parsed = parse_text(text, path) if self._last is None else self.by_notes(text, path)
        self._last = (text, path, parsed)
        return parsed

    def warm(self) -> None:
        """Parse the pieces of the first text, so that the first change is quick too."""
        if self._last is not None and not self._pieces:
            self.by_notes(*self._last[:2])

    def by_notes(self, text: str, path: str) -> DeckFile:
        """Parse ``text`` piece by piece, re-using the pieces of the last text."""
        cut = _cut(text)
        if cut is None:
            self._pieces, self._placed = {}, {}
            return parse_text(text, path)
        pieces: dict[tuple[str, str], DeckFile] = {}
        placed: dict[tuple[str, str, int], DeckFile] = {}
        files: list[DeckFile] = []
        for start, prefix, body in cut:
            key, where = (prefix, body), (prefix, body, start)
            parsed = self._pieces.get(key) or pieces.get(key)
            if parsed is None:
                parsed = parse_text(prefix + body, path)
            pieces[key] = parsed
            at = self._placed.get(where) or placed.get(where)
            if at is None:  # new, or moved by lines added or removed above it
                at = _shifted(parsed, prefix.count("\n"), start)
            placed[where] = at
            files.append(at)
        self._pieces, self._placed = pieces, placed
        whole = combine(files)
        problems = sorted((p for f in whole.files for p in f.problems), key=_line_key)
        cards = [c for f in whole.files for c in f.cards]
        if not cards or any(p.code == FILE_LEVEL for p in problems):
            # Another tool's cards are judged against the whole file (a file with no cards
            # at all reads differently from a piece with none): those rare texts are parsed
            # whole.
            return parse_text(text, path)
        first = files[0]
        return DeckFile(
            path,
            first.deck,
            tuple(cards),
            tuple(problems),
            first.front_matter,
            hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        )


def _cut(text: str) -> list[tuple[int, str, str]] | None:
    """``(first line, prefix, text)`` of each piece, or None when the text must be parsed
    whole."""
    if "\r" in text or text.startswith("\ufeff") or "\x00" in text:
        return None
    if _NESTED_FENCE_RE.search(text):
        return None
    lines = text.split("\n")
    front_end = 0
    if lines[0] == "---":
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if closing is None or any(lines[i].strip() == "..." for i in range(1, closing)):
            return None
        front_end = closing + 1
    starts = _heading_lines(text, lines, front_end)
    if starts is None:
        return None
    front = "".join(line + "\n" for line in lines[:front_end])
    bounds = [0, *starts, len(lines)]
    pieces: list[tuple[int, str, str]] = []
    section = ""
    for index in range(len(bounds) - 1):
        start, end = bounds[index], bounds[index + 1]
        if start == end:
            continue
        body = "\n".join(lines[start:end]) + ("\n" if end < len(lines) else "")
        if index == 0:
            pieces.append((0, "", body))
            continue
        heading = lines[start]
        if heading.startswith("# ") or heading.rstrip() == "#":
            section = heading + "\n"
            pieces.append((start, front, body))
        else:
            pieces.append((start, front + section, body))
    return pieces


def _heading_lines(text: str, lines: list[str], start: int) -> list[int] | None:
    """The 0-based lines of the H1/H2 headings the parser sees, reading fences as it does: a
    fence that never closes ends before the next line that looks like a heading. Only the
    lines that can open or close a fence or look like a heading are visited."""
    rows: list[int] = []
    row, pos = 0, 0
    for match in _CANDIDATE_RE.finditer(text):
        row += text.count("\n", pos, match.start())
        pos = match.start()
        if row >= start:
            rows.append(row)
    found: list[int] = []
    index = 0
    while index < len(rows):
        line = lines[rows[index]]
        opener = _FENCE_RE.match(line)
        if opener is not None:
            marker = opener.group(1)
            if marker[0] == "`" and "`" in opener.group(2):
                return None  # not a fence to markdown, and the parser reports it
            close = next(
                (j for j in range(index + 1, len(rows)) if _closes(lines[rows[j]], marker)),
                None,
            )
            if close is None:  # cut before the next line that looks like a heading
                close = next(
                    (j - 1 for j in range(index + 1, len(rows)) if _LOOKS_RE.match(lines[rows[j]])),
                    len(rows),
                )
            index = close + 1
            continue
        if _HEADING_RE.match(line):
            found.append(rows[index])
        elif _LOOKS_RE.match(line):
            return None  # indented: a heading to the parser, or a list's; only it knows
        index += 1
    return found


def _closes(line: str, marker: str) -> bool:
    stripped = line.strip()
    indent = len(line) - len(line.lstrip(" "))
    return (
        indent <= 3
        and stripped.startswith(marker[0] * len(marker))
        and not stripped.strip(marker[0])
    )


def _shifted(parsed: DeckFile, prefix_lines: int, start: int) -> DeckFile:
    """The piece's cards and problems at their lines in the whole file; what lies in the
    prefix (the front matter, the section heading) is reported by its own piece."""
    if prefix_lines == 0 and start == 0:
        return parsed
    offset = start - prefix_lines
    problems = tuple(
        dataclasses.replace(p, line=p.line + offset)
        for p in parsed.problems
        if p.line > prefix_lines
    )
    cards = tuple(_shift_card(card, offset) for card in parsed.cards)
    return dataclasses.replace(parsed, cards=cards, problems=problems)


def _shift_card(card: Card, offset: int) -> Card:
    code = card.code
    if code is not None:
        changes: dict[str, object] = {}
        for field in dataclasses.fields(code):  # every fence, whatever roles the model grows
            name, value = field.name, getattr(code, field.name)
            if isinstance(value, Fence):
                changes[name] = _shift_fence(value, offset)
            elif isinstance(value, tuple) and value and isinstance(value[0], Fence):
                changes[name] = tuple(_shift_fence(f, offset) for f in value)
        code = dataclasses.replace(code, **changes)  # type: ignore[arg-type]
    return dataclasses.replace(card, line=card.line + offset, code=code)


def _shift_fence(fence: Fence, offset: int) -> Fence:
    return dataclasses.replace(fence, line=fence.line + offset)


def _line_key(problem: Problem) -> tuple[int, int]:
    return (problem.line, 0 if problem.severity is Severity.ERROR else 1)
