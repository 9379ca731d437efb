"""The back of a cloze card with the blank just asked made to stand out.

The parser fills every blank in the back as plain text, so a blank inside inline code
(`` `φ(X_t W_x + {{c1::Ŷ_{t-1} W_ŷ}} + b)` ``) would read in the colour of the code around
it. Here the blank asked is strong (``**…**``), which the review paints bold and underlined
on the accent colour: a code span holding it is split in three, so that the answer is a code
span of its own inside ``**``.

Markdown gives no positions for inline code, so the code spans are found by CommonMark's rule
for them (a run of backticks closed by the next run of the same length, in one paragraph,
never inside a fenced block). A blank inside a fence stays as it is: a fence has no styles.
"""

from __future__ import annotations

import re

from studyrnn.decks import cloze
from studyrnn.decks.model import Card, CardKind

OPEN, CLOSE = "\ue000", "\ue001"  # private-use marks around the answer while rewriting
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_TICKS_RE = re.compile(r"`+")


def revealed_back(card: Card) -> str:
    """``card.back`` with the blank of this card strong; ``card.back`` unchanged when it does
    not end with the note's body (a blank in the heading, say)."""
    if card.kind is not CardKind.CLOZE or card.cloze is None:
        return card.back
    blanks, errors = cloze.scan(card.body)
    if errors or not any(b.number == card.cloze for b in blanks):
        return card.back
    plain = cloze.back_text(card.body, blanks)
    if not card.back.endswith(plain):
        return card.back
    marked = cloze.replace_blanks(
        card.body,
        blanks,
        lambda b: f"{OPEN}{b.answer}{CLOSE}" if b.number == card.cloze else b.answer,
    )
    return card.back[: len(card.back) - len(plain)] + strong_marks(marked)


def strong_marks(text: str) -> str:
    """Turn each ``OPEN answer CLOSE`` into strong markdown, splitting a code span around it."""
    out: list[str] = []
    pos = 0
    for start, end, ticks in _code_spans(text):
        out.append(_plain(text[pos:start]))
        out.append(_in_code(text[start + len(ticks) : end - len(ticks)], ticks))
        pos = end
    out.append(_plain(text[pos:]))
    return "".join(out)


def _plain(text: str) -> str:
    """Outside code: the marks become ``**``; inside a fence they are dropped."""
    pieces: list[str] = []
    pos = 0
    for start, end in _fences(text):
        pieces.append(text[pos:start].replace(OPEN, "**").replace(CLOSE, "**"))
        pieces.append(text[start:end].replace(OPEN, "").replace(CLOSE, ""))
        pos = end
    pieces.append(text[pos:].replace(OPEN, "**").replace(CLOSE, "**"))
    return "".join(pieces)


def _in_code(content: str, ticks: str) -> str:
    """One code span's content, cut around each marked answer: ``a + **`b`** + c``."""
    if OPEN not in content:
        return f"{ticks}{content}{ticks}"
    out: list[str] = []
    for i, piece in enumerate(re.split(f"[{OPEN}{CLOSE}]", content)):
        if not piece:
            continue
        span = f"{ticks}{piece}{ticks}"
        out.append(f"**{span}**" if i % 2 else span)
    return "".join(out)


def _fences(text: str) -> list[tuple[int, int]]:
    """The fenced code blocks of ``text``, as offsets (an open fence runs to the end)."""
    found: list[tuple[int, int]] = []
    matches = list(_FENCE_RE.finditer(text))
    i = 0
    while i < len(matches):
        opener = matches[i]
        fence = opener.group(1)
        closer = next(
            (
                m
                for m in matches[i + 1 :]
                if m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
            ),
            None,
        )
        end = text.find("\n", closer.end()) if closer else -1
        found.append((opener.start(), len(text) if end < 0 else end))
        if closer is None:
            break
        i = matches.index(closer) + 1
    return found


def _code_spans(text: str) -> list[tuple[int, int, str]]:
    """Inline code spans outside fences: (start, end, backticks), by CommonMark's rule."""
    fences = _fences(text)
    spans: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        run = _TICKS_RE.search(text, pos)
        if run is None:
            return spans
        fence = next(((s, e) for s, e in fences if s <= run.start() < e), None)
        if fence is not None:
            pos = fence[1]
            continue
        if run.start() > 0 and text[run.start() - 1] == "\\":  # an escaped backtick
            pos = run.start() + 1
            continue
        paragraph_end = text.find("\n\n", run.end())
        limit = len(text) if paragraph_end < 0 else paragraph_end
        closer = next(
            (
                m
                for m in _TICKS_RE.finditer(text, run.end(), limit)
                if len(m.group(0)) == len(run.group(0))
            ),
            None,
        )
        if closer is None:
            pos = run.end()
            continue
        spans.append((run.start(), closer.end(), run.group(0)))
        pos = closer.end()
