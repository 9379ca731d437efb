"""The ``#`` and ``##`` headings of a deck's text, found the way the parser finds them: at the
start of a line, outside fences (a fence that never closes ends before the next heading) and
outside the front matter. The outline, hover and code actions need every heading, also those
of notes whose cards were dropped for an error, which the parsed cards alone do not give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING_RE = re.compile(r"^ {0,3}(#{1,2})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True)
class Heading:
    line: int  # 0-based
    level: int  # 1 (a section) or 2 (a note)
    text: str
    end: int  # 0-based line after the heading's stretch: the next heading of any level, or EOF


def headings(lines: list[str]) -> list[Heading]:
    found: list[tuple[int, int, str]] = []
    never_closed: dict[str, int] = {}  # a fence with no closing line after this row
    row = _after_front_matter(lines)
    while row < len(lines):
        line = lines[row]
        opener = _FENCE_RE.match(line)
        if opener:
            row = _fence_end(lines, row, opener.group(1), never_closed) + 1
            continue
        match = _HEADING_RE.match(line.rstrip("\r"))
        if match:
            found.append((row, len(match.group(1)), (match.group(2) or "").strip()))
        row += 1
    ends = [row for row, _, _ in found[1:]] + [len(lines)]
    return [
        Heading(row, level, text, end) for (row, level, text), end in zip(found, ends, strict=True)
    ]


def _fence_end(lines: list[str], row: int, fence: str, never_closed: dict[str, int]) -> int:
    """The closing line of the fence opened on ``row``. One that never closes ends before the
    next line that looks like a heading, as the parser reads it (a card after a fence left
    open is still a card). ``never_closed`` remembers, for each fence, the row after which
    nothing closes it, so that a file of fences left open is read in one pass."""
    if row < never_closed.get(fence, len(lines)):
        for end in range(row + 1, len(lines)):
            marker = _FENCE_RE.match(lines[end])
            if marker and _closes(marker.group(1), fence, lines[end]):
                return end
        never_closed[fence] = row
    for end in range(row + 1, len(lines)):
        if _HEADING_RE.match(lines[end].rstrip("\r")):
            return end - 1
    return len(lines)


def heading_at(lines: list[str], row: int) -> Heading | None:
    """The H2 whose stretch holds ``row`` (its heading line included)."""
    for heading in headings(lines):
        if heading.level == 2 and heading.line <= row < heading.end:
            return heading
    return None


def _after_front_matter(lines: list[str]) -> int:
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        return 0
    for row in range(1, len(lines)):
        if lines[row].rstrip() in ("---", "..."):
            return row + 1
    return 0


def _closes(marker: str, fence: str, line: str) -> bool:
    """A closing fence: the opener's character, at least as many, and nothing else."""
    return marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip().strip(fence[0])
