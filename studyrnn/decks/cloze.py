"""Finding cloze blanks (``{{c1::answer}}``, ``{{c1::answer::hint}}``) without mistaking code.

Only ``{{c`` + digits + ``::`` opens a blank, so Python braces (``{"a": 1}``, an f-string's
``{{x}}``, ``{{c}}``) stay text. Inside a blank, brackets ``()[]{}`` are counted: the hint
separator is the first ``::`` outside brackets and the blank ends at the first ``}}`` outside
brackets, so ``{{c1::x[::2]}}`` and ``{{c1::{"a": 1}}}`` work. ``)`` and ``]`` close
either ``(`` or ``[``, so an interval such as ``[0, ∞)`` works too. ``\\::`` is a literal ``::``
in an answer, and ``\\{{c1::`` is a literal ``{{c1::`` that opens nothing. Quotes are not
tracked: a bracket inside a string literal still counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

OPEN_RE = re.compile(r"\{\{c(\d+)::")
ESCAPED_OPEN_RE = re.compile(r"\\(\{\{c\d+::)")

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {")", "]", "}"}
_SPECIAL_RE = re.compile(r"[\\{}()\[\]:]")


@dataclass(frozen=True, slots=True)
class Blank:
    number: int
    answer: str  # with ``\::`` already turned into ``::``
    hint: str
    start: int  # offset of ``{{`` in the scanned text
    end: int  # offset just after the closing ``}}``


@dataclass(frozen=True, slots=True)
class ClozeError:
    offset: int  # where the bad blank opens, in the scanned text
    message: str


def has_opener(text: str) -> bool:
    """Whether ``text`` has a blank opener that is not escaped. Cheap when it has none, as it
    runs on every card."""
    if "{{c" not in text:
        return False
    return any(not _escaped(text, m.start()) for m in OPEN_RE.finditer(text))


def _escaped(text: str, pos: int) -> bool:
    """True when ``text[pos]`` is preceded by an odd number of backslashes."""
    count = 0
    i = pos - 1
    while i >= 0 and text[i] == "\\":
        count += 1
        i -= 1
    return count % 2 == 1


def scan(text: str) -> tuple[list[Blank], list[ClozeError]]:
    """Every blank of ``text`` in order, and every malformed one."""
    blanks: list[Blank] = []
    errors: list[ClozeError] = []
    pos = 0
    n = len(text)
    while True:
        m = OPEN_RE.search(text, pos)
        if m is None:
            break
        start = m.start()
        if _escaped(text, start):
            pos = m.end()
            continue
        number = int(m.group(1))
        i = m.end()
        depth: list[str] = []
        sep = -1
        close = -1
        nested = False
        while True:
            special = _SPECIAL_RE.search(text, i)  # jump over plain text in one step
            if special is None:
                break
            i = special.start()
            ch = text[i]
            if ch == "\\" and i + 1 < n:
                i += 2  # an escaped character never counts as a bracket or separator
                continue
            if ch == "{" and OPEN_RE.match(text, i):
                nested = True
                break
            if ch == "}" and not depth and i + 1 < n and text[i + 1] == "}":
                close = i
                break
            if ch in _OPENERS:
                depth.append(_OPENERS[ch])
            elif ch in _CLOSERS:
                # `)` and `]` close either `(` or `[`, so an interval such as `[0, ∞)` works;
                # `}` closes only `{`; any other closer is just text
                if depth and (depth[-1] == ch or (ch != "}" and depth[-1] != "}")):
                    depth.pop()
            elif ch == ":" and not depth and sep < 0 and i + 1 < n and text[i + 1] == ":":
                sep = i
                i += 2
                continue
            i += 1
        if nested and not _closes_after(text, i):
            # `{{c1::x ... {{c2::y}}`: the first blank was left open, it is not nesting
            errors.append(
                ClozeError(start, f"cloze `{m.group(0)}` never closes (end it with `}}}}`)")
            )
            pos = m.end()
            continue
        if nested:
            errors.append(
                ClozeError(
                    start,
                    "a cloze blank inside a blank (close the first "
                    "one with `}}` before opening another)",
                )
            )
            pos = i
            continue
        if close < 0:
            hint = (
                " (an unmatched bracket keeps it open: brackets inside a blank must pair up)"
                if depth
                else " (end it with `}}`)"
            )
            errors.append(ClozeError(start, f"cloze `{m.group(0)}` never closes{hint}"))
            pos = m.end()
            continue
        raw_answer = text[m.end() : sep if sep >= 0 else close]
        hint_text = text[sep + 2 : close] if sep >= 0 else ""
        answer = raw_answer.replace("\\::", "::")
        pos = close + 2
        if number < 1:
            errors.append(ClozeError(start, f"cloze number c{number} (numbers start at c1)"))
            continue
        if not answer.strip():
            errors.append(
                ClozeError(
                    start, f"empty cloze `c{number}` (write the answer between `::` and `}}}}`)"
                )
            )
            continue
        blanks.append(Blank(number, answer, hint_text.strip(), start, close + 2))
    return blanks, errors


_OPEN_OR_CLOSE_RE = re.compile(r"\{\{c\d+::|\}\}")


def _closes_after(text: str, inner: int) -> bool:
    """Whether the blank holding the opener at ``inner`` ends after that inner blank (two
    ``}}`` more than openers): a blank inside a blank, rather than one left open."""
    depth = 2  # the outer blank and the inner one
    for m in _OPEN_OR_CLOSE_RE.finditer(text, inner + 3):
        depth += 1 if m.group(0) != "}}" else -1
        if depth == 0:
            return True
    return False


def numbering_gap(numbers: set[int]) -> int | None:
    """The first missing number of 1..max, or None when they do not skip."""
    for expected in range(1, max(numbers, default=0) + 1):
        if expected not in numbers:
            return expected
    return None


def unescape(text: str) -> str:
    """``\\{{c1::`` -> ``{{c1::``: what the learner sees of an escaped opener."""
    if "\\{{c" not in text:
        return text
    return ESCAPED_OPEN_RE.sub(r"\1", text)


def replace_blanks(text: str, blanks: list[Blank], show: Callable[[Blank], str]) -> str:
    """``text`` with each blank replaced by ``show(blank)``, escapes removed."""
    out: list[str] = []
    pos = 0
    for blank in blanks:
        out.append(unescape(text[pos : blank.start]))
        out.append(show(blank))
        pos = blank.end
    out.append(unescape(text[pos:]))
    return "".join(out)


def front_text(text: str, blanks: list[Blank], number: int) -> str:
    """The question for blank ``number``: its blanks hidden, the others filled in."""
    return replace_blanks(
        text,
        blanks,
        lambda b: (f"[{b.hint}]" if b.hint else "[...]") if b.number == number else b.answer,
    )


def back_text(text: str, blanks: list[Blank]) -> str:
    """The note with every blank filled in."""
    return replace_blanks(text, blanks, lambda b: b.answer)
