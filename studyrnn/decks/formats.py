"""Recognising other tools' flashcards in a deck file, so a learner who brings them is told
what they are and how to convert them instead of getting "0 cards".

- hashcards: ``Q:`` / ``A:`` lines (a question, then its answer) and ``C:`` cloze lines.
- Obsidian Spaced Repetition: ``question::answer`` and ``question:::answer`` lines, a line of
  only ``?`` or ``??`` between a question and its answer, ``==highlighted==`` clozes, and its
  ``<!--SR:...-->`` scheduling comments.
- Anki: ``{{c1::...}}`` cloze lines outside any card.

``sniff`` looks at the lines of a file that yields no card; ``sniff_body`` only for the strong
signs (a whole question-and-answer pair) in a card's body, where a highlight or an ``SR``
comment alone means nothing. Lines inside fences and inline code are never read: code is full
of ``::`` and ``?``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from studyrnn.decks.blocks import FenceBlock


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    command: str  # how to convert it, "" when by hand


HASHCARDS = Format("hashcards", "studyrnn import hashcards")
OBSIDIAN = Format("Obsidian Spaced Repetition", "studyrnn import obsidian")
ANKI = Format("Anki", "")


@dataclass(frozen=True, slots=True)
class Sighting:
    format: Format
    line: int  # 0-based line of the first sign
    sign: str  # what was seen, for the message


_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")
_HASH_QUESTION = re.compile(r"^Q:(?:\s|$)")
_HASH_ANSWER = re.compile(r"^A:(?:\s|$)")
_HASH_CLOZE = re.compile(r"^C:(?:\s|$)")
# `question::answer`: text on both sides, no `{{` (our cloze), no slice `x[::2]`
_INLINE = re.compile(r"^\s*(?!<!--)([^:\s][^:]*?[^:\s\[(])\s*(:{2,3})\s*([^:\s\])].*)$")
_SEPARATOR = {"?": "a `?` line between question and answer", "??": "a `??` line"}
_HIGHLIGHT = re.compile(r"==[^=\s](?:[^=]*[^=\s])?==")
_SR_COMMENT = re.compile(r"<!--SR:")
_ANKI_CLOZE = re.compile(r"\{\{c\d+::")
# what any of the strong signs needs somewhere: `::` not opening our cloze, `Q:`, a `?` line
_BODY_SIGNS = re.compile(r"(?<!\{\{c\d)(?<!\{\{c\d\d)::|^Q:|^[ \t]*\?\??[ \t]*$", re.M)


def _prose_lines(
    lines: Sequence[str], start: int, end: int, fences: Sequence[FenceBlock]
) -> list[tuple[int, str]]:
    """``(0-based line, text without inline code)`` of ``lines[start:end]`` outside fences."""
    inside: set[int] = set()
    for fence in fences:
        if fence.end > start and fence.line < end:
            inside.update(range(fence.line, fence.end))
    out: list[tuple[int, str]] = []
    for i in range(start, min(end, len(lines))):
        if i in inside:
            continue
        text = lines[i]
        if "`" in text:
            text = _CODE_SPAN.sub("", text)
        out.append((i, text))
    return out


def _inline_card(text: str, strict: bool) -> str | None:
    """``strict`` (inside a card's body): ``word::word`` is taken for a scope (``std::vector``,
    ``Foo::bar``), not a card; only a space or punctuation beside the colons counts."""
    if "::" not in text or "{{" in text or "\\::" in text:
        return None
    m = _INLINE.match(text)
    if m is None:
        return None
    if (
        strict
        and m.end(1) == m.start(2)
        and m.end(2) == m.start(3)
        and m.group(1)[-1].isalnum()
        and m.group(3)[0].isalnum()
    ):
        return None
    return "`question:::answer` lines" if m.group(2) == ":::" else "`question::answer` lines"


def _pairs(prose: list[tuple[int, str]], strict: bool) -> Sighting | None:
    """The strong signs: a hashcards ``Q:`` with an ``A:`` after it, an SR inline card, or a
    question, a ``?``/``??`` line and an answer."""
    question: int | None = None
    for index, (line, text) in enumerate(prose):
        if _HASH_QUESTION.match(text):
            question = line if question is None else question
        elif _HASH_ANSWER.match(text) and question is not None:
            return Sighting(HASHCARDS, question, "`Q:` and `A:` lines")
        sign = _inline_card(text, strict)
        if sign is not None:
            return Sighting(OBSIDIAN, line, sign)
        stripped = text.strip()
        if (
            stripped in _SEPARATOR
            and 0 < index < len(prose) - 1
            and prose[index - 1][1].strip()
            and prose[index + 1][1].strip()
        ):
            return Sighting(OBSIDIAN, line, _SEPARATOR[stripped])
    return None


def sniff(
    lines: Sequence[str], start: int, end: int, fences: Sequence[FenceBlock]
) -> Sighting | None:
    """The first sign of another tool's cards in ``lines[start:end]``, or None."""
    prose = _prose_lines(lines, start, end, fences)
    found = _pairs(prose, strict=False)
    if found is not None:
        return found
    for line, text in prose:
        if _HASH_CLOZE.match(text):
            return Sighting(HASHCARDS, line, "`C:` cloze lines")
        if _SR_COMMENT.search(text):
            return Sighting(OBSIDIAN, line, "`<!--SR:...-->` scheduling comments")
        if "==" in text and _HIGHLIGHT.search(text):
            return Sighting(OBSIDIAN, line, "`==highlighted==` clozes")
        if "{{c" in text and _ANKI_CLOZE.search(text):
            return Sighting(ANKI, line, "`{{c1::...}}` cloze lines outside any card")
    return None


def sniff_body(
    lines: Sequence[str], start: int, end: int, fences: Sequence[FenceBlock]
) -> Sighting | None:
    """Another tool's question-and-answer pairs inside one card's body, or None."""
    body = "\n".join(lines[start:end])
    # the common case, decided without the regex (which tries every position of the body):
    # each sign holds `::`, `Q:` or `?`
    if ("::" not in body and "Q:" not in body and "?" not in body) or _BODY_SIGNS.search(
        body
    ) is None:
        return None
    return _pairs(_prose_lines(lines, start, end, fences), strict=True)


def advice(sighting: Sighting, path: str) -> str:
    """How to convert what was seen, for the end of a message."""
    fmt = sighting.format
    if fmt.command:
        return f"convert them with `{fmt.command} {path} --out DIR`"
    return "put each under a `## question` heading: studyrnn reads the same cloze syntax"
