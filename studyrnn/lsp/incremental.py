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
opened inside a list or a quote, a backtick in a fence's info string, a line of raw HTML other
than a one-line comment, CRLF or a BOM, a first line that starts with ``---`` and goes on,
front matter that does not close with ``---``), the whole text is parsed instead.

The cut itself is redone only where an edit could change it: when the lines an edit touches
neither look like a heading nor open or close a fence, the headings below it only move
(``_recut``), so a keystroke is not a walk over every fence and heading of the file.
``tests/lsp/test_incremental.py`` holds the cut parse equal to the whole parse on every fixture
and bundled deck and after random edits, and the quick re-cut equal to the whole one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import re
from typing import TypeVar

from studyrnn.decks.model import Card, CodeSpec, DeckFile, Fence, Problem, Severity
from studyrnn.decks.parser import combine, parse_text

_HEADING_RE = re.compile(r"^#{1,2}(?:[ \t]|$)")
_LOOKS_RE = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")  # what the parser resumes at
_CANDIDATE_RE = re.compile(r"^(?: {0,3}#{1,2}(?:[ \t]|$)| {0,3}(?:`{3,}|~{3,}))", re.M)
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_NESTED_FENCE_RE = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)]|>)[ \t>]*(?:`{3,}|~{3,})", re.M)
# a line of raw HTML, other than a comment closed on its line (``<!-- id: ... -->``): the HTML
# block it starts can run over a heading's line, which is then no heading
_HTML_LINE_RE = re.compile(r"^ {0,3}<(?!!--.*-->)", re.M)

# "the first is on line N" (a second fence), "contradicts `k=v` on line N" (an attribute)
_LINE_NAMED_RE = re.compile(r"(?<=\(the first is on line )\d+|(?<=` on line )\d+")
_T = TypeVar("_T")

FILE_LEVEL = "foreign-format"  # a problem that depends on the whole file, not one note


class IncrementalParser:
    """The parse of one document, kept between its versions."""

    def __init__(self) -> None:
        self._pieces: dict[tuple[str, str], DeckFile] = {}  # parsed, by (prefix, text)
        self._placed: dict[tuple[str, str, int], DeckFile] = {}  # at their line in the file
        self._last: tuple[str, str, DeckFile] | None = None
        self._cut: _Cut | None = None  # where the last text was cut

    def parse(self, text: str, path: str) -> DeckFile:
        """What ``parse_text(text, path)`` returns, from the pieces that did not change."""
        if self._last is not None and self._last[:2] == (text, path):
            return self._last[2]  # hover, outline and actions ask again for the same text
        # The first text too is parsed piece by piece: slower than whole (about twice),
        # but then the first keystroke is as quick as the others, which it was not while the
        # pieces were parsed after the whole text (and the two parses cost more than one).
        parsed = self.by_notes(text, path)
        self._last = (text, path, parsed)
        return parsed

    def by_notes(self, text: str, path: str) -> DeckFile:
        """Parse ``text`` piece by piece, re-using the pieces of the last text."""
        cut = _recut(self._cut, text) if self._cut is not None else None
        self._cut = cut = cut or _cut_whole(text)
        if cut is None:
            self._pieces, self._placed = {}, {}
            return parse_text(text, path)
        pieces: dict[tuple[str, str], DeckFile] = {}
        placed: dict[tuple[str, str, int], DeckFile] = {}
        files: list[DeckFile] = []
        for start, prefix, body in cut.pieces():
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


@dataclasses.dataclass(frozen=True, slots=True)
class _Cut:
    """Where a text is cut: its front matter (the prefix of every heading's piece) and the
    offset where that ends, and the line and offset of each heading that starts a piece."""

    text: str
    front: str
    front_end: int
    heads: list[tuple[int, int]]

    def pieces(self) -> list[tuple[int, str, str]]:
        """``(first line, prefix, text)`` of each piece. Each is sliced from the text at the
        offsets of its heading lines."""
        text, front = self.text, self.front
        bounds = [(0, 0), *self.heads, (-1, len(text))]
        pieces: list[tuple[int, str, str]] = []
        section = ""
        for index in range(len(bounds) - 1):
            (start, begin), stop = bounds[index], bounds[index + 1][1]
            if begin == stop:
                continue
            body = text[begin:stop]
            if index == 0:
                pieces.append((0, "", body))
                continue
            newline = body.find("\n")
            heading = body if newline < 0 else body[:newline]
            if heading.startswith("# ") or heading.rstrip() == "#":
                section = heading + "\n"
                pieces.append((start, front, body))
            else:
                pieces.append((start, front + section, body))
        return pieces


def _cut(text: str) -> list[tuple[int, str, str]] | None:
    """``(first line, prefix, text)`` of each piece, or None when the text must be parsed
    whole."""
    cut = _cut_whole(text)
    return None if cut is None else cut.pieces()


def _cut_whole(text: str) -> _Cut | None:
    if "\r" in text or text.startswith("\ufeff") or "\x00" in text:
        return None
    if _NESTED_FENCE_RE.search(text) or _HTML_LINE_RE.search(text):
        return None
    lines = text.split("\n")
    front_end = 0
    if lines[0].startswith("---") and lines[0] != "---":
        return None  # front matter or not: the parser knows its rules, the cut does not
    if lines[0] == "---":
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if closing is None or any(lines[i].strip() == "..." for i in range(1, closing)):
            return None
        front_end = closing + 1
    heads = _heading_lines(text, lines, front_end)
    if heads is None:
        return None
    front = "".join(line + "\n" for line in lines[:front_end])
    return _Cut(text, front, min(len(front), len(text)), heads)


def _recut(before: _Cut, text: str) -> _Cut | None:
    """The cut of ``text``, an edit of ``before.text``, from ``before``'s, when the lines the
    edit touches can neither open nor close a fence nor start a piece, before and after it
    (or are headings of the same level at the same place): then the heads below the edit only
    move by the lines and characters it adds. None when the whole text must be looked at."""
    old = before.text
    same = _common_prefix(old, text)
    tail = _common_suffix(old, text, min(len(old), len(text)) - same)
    cut = _recut_at(before, text, same, tail)
    size = abs(len(text) - len(old))
    if cut is not None or size == 0 or min(len(old), len(text)) != same + tail:
        return cut
    # Text only added or only removed can be said to be at other places: Enter at the end of
    # a line above a heading adds a line break before the heading's line (which touches the
    # heading) or at the end of the line (which does not). Slide it back, within a line.
    longer = text if len(text) > len(old) else old
    stop = longer.rfind("\n", 0, same - 1) + 1
    while same > stop and longer[same - 1] == longer[same + size - 1]:
        same, tail = same - 1, tail + 1
    return _recut_at(before, text, same, tail)


def _recut_at(before: _Cut, text: str, same: int, tail: int) -> _Cut | None:
    """``_recut`` where ``text`` is ``before.text`` with what lies between its first ``same``
    and its last ``tail`` characters replaced."""
    old = before.text
    first = old.rfind("\n", 0, same) + 1  # the start of the first line touched
    if first == 0 or first < before.front_end:
        return None  # the first line decides on front matter; the front matter, on pieces
    old_end, new_end = _line_end(old, len(old) - tail), _line_end(text, len(text) - tail)
    touched = text[first:new_end]
    if "\r" in touched or "\x00" in touched:
        return None
    if _NESTED_FENCE_RE.search(touched) or _HTML_LINE_RE.search(touched):
        return None
    marks = _marks(old, first, old_end)
    if marks is None or marks != _marks(text, first, new_end):
        return None
    old_lines, new_lines = old.count("\n", first, old_end), touched.count("\n")
    if marks and (old_lines or new_lines):
        return None  # a heading is edited on its line only, and stays at its offset
    lines, chars = new_lines - old_lines, len(text) - len(old)
    heads = [
        head if head[1] <= first else (head[0] + lines, head[1] + chars) for head in before.heads
    ]
    return _Cut(text, before.front, before.front_end, heads)


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]] | None:
    """Where the lines from ``start`` to ``end`` look like a heading, and its ``#`` marks;
    None when one can open or close a fence or is an indented heading."""
    marks = []
    for match in _CANDIDATE_RE.finditer(text, start, end):
        if not _HEADING_RE.match(match.group()):
            return None
        marks.append((match.start() - start, match.group().strip()))
    return marks


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _common_prefix(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` start with in common: halving the unsure part,
    each comparison is one C-level compare, so a 300 KB text takes a few dozen."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, most: int) -> int:
    """How many characters ``a`` and ``b`` end with in common, at most ``most``."""
    low, high = 0, most
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid : len(a) - low] == b[len(b) - mid : len(b) - low]:
            low = mid
        else:
            high = mid - 1
    return low


def _heading_lines(text: str, lines: list[str], start: int) -> list[tuple[int, int]] | None:
    """The 0-based line and the offset in ``text`` of each H1/H2 heading the parser sees,
    reading fences as it does: a fence that never closes ends before the next line that looks
    like a heading. Only the lines that can open or close a fence or look like a heading are
    visited."""
    rows: list[tuple[int, int, str]] = []  # (line, offset, text) of each candidate
    row, pos = 0, 0
    for match in _CANDIDATE_RE.finditer(text):
        row += text.count("\n", pos, match.start())
        pos = match.start()
        if row >= start:
            rows.append((row, pos, lines[row]))
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(rows):
        line = rows[index][2]
        opener = _FENCE_RE.match(line)
        if opener is not None:
            marker = opener.group(1)
            if marker[0] == "`" and "`" in opener.group(2):
                return None  # not a fence to markdown, and the parser reports it
            close = next(
                (j for j in range(index + 1, len(rows)) if _closes(rows[j][2], marker)),
                None,
            )
            if close is None:  # cut before the next line that looks like a heading
                close = next(
                    (j - 1 for j in range(index + 1, len(rows)) if _LOOKS_RE.match(rows[j][2])),
                    len(rows),
                )
            index = close + 1
            continue
        if _HEADING_RE.match(line):
            found.append(rows[index][:2])
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
        _copy(p, line=p.line + offset, message=_shift_lines_named(p.message, offset))
        for p in parsed.problems
        if p.line > prefix_lines
    )
    cards = tuple(_shift_card(card, offset) for card in parsed.cards)
    return _copy(parsed, cards=cards, problems=problems)


def _shift_lines_named(message: str, offset: int) -> str:
    """A problem that names another line of its note (a second fence, a contradicting
    attribute) names it as the whole file numbers it."""
    return _LINE_NAMED_RE.sub(lambda m: str(int(m.group()) + offset), message)


def _shift_card(card: Card, offset: int) -> Card:
    code = card.code
    if code is not None:
        changes: dict[str, object] = {}
        names, get = _layout(CodeSpec)
        for name, value in zip(names, get(code), strict=True):  # every fence, whatever roles
            if isinstance(value, Fence):
                changes[name] = _copy(value, line=value.line + offset)
            elif isinstance(value, tuple) and value and isinstance(value[0], Fence):
                changes[name] = tuple(_copy(f, line=f.line + offset) for f in value)
        code = _copy(code, **changes)
    return _copy(card, line=card.line + offset, code=code)


def _copy(obj: _T, **changes: object) -> _T:
    """``dataclasses.replace`` in half the time: a line shift copies every card below an
    added line, 2,000 of them on a large deck, on the keystroke's path."""
    names, get = _layout(type(obj))
    values = list(get(obj))
    for name, value in changes.items():
        values[names.index(name)] = value
    made: _T = type(obj)(*values)
    return made


_Layout = tuple[tuple[str, ...], "operator.attrgetter[tuple[object, ...]]"]
_LAYOUTS: dict[type, _Layout] = {}


def _layout(cls: type) -> _Layout:
    """The field names of a model dataclass, in the order its constructor takes them, and a
    getter of all their values at once."""
    found = _LAYOUTS.get(cls)
    if found is None:
        fields = dataclasses.fields(cls)
        assert all(f.init and not f.kw_only for f in fields), cls  # positional, in order
        names = tuple(f.name for f in fields)
        found = _LAYOUTS[cls] = (names, operator.attrgetter(*names))
    return found


def _line_key(problem: Problem) -> tuple[int, int]:
    return (problem.line, 0 if problem.severity is Severity.ERROR else 1)
