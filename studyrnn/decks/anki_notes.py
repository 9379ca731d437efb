"""Cards as Anki notes: which note type, which fields (HTML), which deck, tags and guid.

One studyrnn note (one ``##`` heading) becomes one Anki note:

- basic and multiple choice: a basic note, front and back as the app shows them (a choice
  card's front lists the options, its back marks them ✓ or ✗ and explains);
- bidirectional: a basic-and-reversed note, the two sides of the heading in Front and Back and
  the body in Extra, under the answer of both cards;
- cloze: a cloze note, the question in Text with its blanks as ``{{cN::...}}`` and the
  explanation (from ``Why:``, when every blank comes before it) in Back Extra;
- predict and write: a static basic note tagged ``studyrnn-code``, showing one variant
  (seed ``VARIANT_SEED``) of a parametric card. A write card's back is its solution; a predict
  card's back is its expected value, which only the checker can compute: the caller passes
  the values it got, and a card without one shows the code of its ``expect`` fence instead.

The guid comes from the studyrnn note key, so exporting again and importing into Anki updates
the notes instead of adding them twice. A note that cannot be written is a problem, never a
silent loss.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from studyrnn.decks import cloze
from studyrnn.decks.anki_html import ClozeExportError, cloze_html, to_html
from studyrnn.decks.blocks import scan
from studyrnn.decks.keys import direction_key
from studyrnn.decks.model import Card, CardKind, Problem, Severity
from studyrnn.decks.note import WHY_RE, join, shown
from studyrnn.decks.params import ParamError, draw, render
from studyrnn.decks.text import decode

VARIANT_SEED = 1  # the variant of a parametric card that is exported (what `check` runs first)
CODE_TAG = "studyrnn-code"
PROBLEM_CODE = "anki-export"

_WHY_LINE_RE = re.compile(WHY_RE.pattern, re.M)
_SPACE_RE = re.compile(r"\s+")
_BACKTICKS_RE = re.compile(r"`{3,}")


class NoteType(enum.StrEnum):
    BASIC = "basic"
    REVERSED = "reversed"  # basic and reversed card
    CLOZE = "cloze"


#: The fields of each note type, in order (Anki's own names for its standard types).
FIELDS: dict[NoteType, tuple[str, ...]] = {
    NoteType.BASIC: ("Front", "Back"),
    NoteType.REVERSED: ("Front", "Back", "Extra"),
    NoteType.CLOZE: ("Text", "Back Extra"),
}


@dataclass(frozen=True, slots=True)
class AnkiNote:
    note_type: NoteType
    fields: tuple[str, ...]  # HTML, in the order of FIELDS[note_type]
    deck: str  # the Anki deck: "Deck" or "Deck::Section"
    tags: tuple[str, ...]
    guid: str
    key: str  # the studyrnn note key
    kind: CardKind  # the kind of its studyrnn cards
    cards: int  # the Anki cards it makes: 1, 2 when reversed, one per blank number


@dataclass(frozen=True, slots=True)
class AnkiExport:
    notes: tuple[AnkiNote, ...]
    problems: tuple[Problem, ...]  # cards that could not be written, at their heading
    left_out: int  # code cards left out on request


def anki_deck(card: Card) -> str:
    """The deck's name, and its section as a subdeck."""
    return f"{card.deck}::{card.section}" if card.section.strip() else card.deck


def build_notes(
    cards: Sequence[Card], *, code: bool = True, expected: Mapping[str, str] | None = None
) -> AnkiExport:
    """The Anki notes of ``cards`` (siblings grouped into one note), in deck order.

    ``code=False`` leaves predict and write cards out. ``expected`` maps a predict card's key
    to the repr of its value on variant ``VARIANT_SEED``.
    """
    builder = _Builder(expected or {})
    notes: list[AnkiNote] = []
    left_out = 0
    for group in _notes_of(cards):
        first = group[0]
        if first.kind.is_code and not code:
            left_out += len(group)
            continue
        try:
            notes.append(builder.note(group))
        except (ValueError, ParamError) as exc:  # a ClozeExportError is a ValueError
            message = exc.message if isinstance(exc, ParamError) else str(exc)
            builder.problems.append(
                Problem(
                    first.path,
                    first.line,
                    Severity.ERROR,
                    PROBLEM_CODE,
                    f"{first.note_key}: not exported to Anki: {message}",
                )
            )
    return AnkiExport(tuple(notes), tuple(builder.problems), left_out)


def _notes_of(cards: Iterable[Card]) -> list[list[Card]]:
    """Cards grouped by note, in the order of each note's first card."""
    groups: dict[str, list[Card]] = {}
    for card in cards:
        groups.setdefault(card.note_key, []).append(card)
    return list(groups.values())


class _Builder:
    def __init__(self, expected: Mapping[str, str]) -> None:
        self.expected = expected
        self.problems: list[Problem] = []
        self._headings: dict[str, dict[int, str]] = {}

    def note(self, group: list[Card]) -> AnkiNote:
        first = group[0]
        kind = first.kind
        if kind is CardKind.CLOZE:
            text, extra = self._cloze_parts(sorted(group, key=lambda c: c.cloze or 0))
            return self._make(group, NoteType.CLOZE, (cloze_html(text), to_html(extra)))
        if kind is CardKind.BIDIRECTIONAL:
            by_key = {c.key: c for c in group}
            fwd = by_key.get(direction_key(first.note_key, True))
            rev = by_key.get(direction_key(first.note_key, False))
            if fwd is not None and rev is not None:
                sides = (fwd.front, rev.front, shown(first.body))
                return self._make(group, NoteType.REVERSED, tuple(to_html(s) for s in sides))
        if kind.is_code:
            front, back = self._code_sides(first)
            return self._make(group, NoteType.BASIC, (to_html(front), to_html(back)), CODE_TAG)
        return self._make(group, NoteType.BASIC, (to_html(first.front), to_html(first.back)))

    @staticmethod
    def _make(
        group: list[Card], note_type: NoteType, fields: tuple[str, ...], *extra_tags: str
    ) -> AnkiNote:
        first = group[0]
        tags = sorted({_SPACE_RE.sub("_", t.strip()) for t in first.tags if t.strip()})
        return AnkiNote(
            note_type=note_type,
            fields=fields,
            deck=anki_deck(first),
            tags=(*tags, *extra_tags),
            guid=genanki.guid_for(first.note_key),
            key=first.note_key,
            kind=first.kind,
            cards=len(group),
        )

    # --- cloze ----------------------------------------------------------------------------
    def _cloze_parts(self, group: list[Card]) -> tuple[str, str]:
        """The note's question with its blanks, and its explanation, in deck markdown.

        A card holds its blanks already hidden or filled, so the blanks are read again from
        the heading (in the deck file) and the body. Where the question stops is the one of
        the body's ``Why:`` cuts that gives back exactly the card's front, as the parser
        made it."""
        first = group[0]
        heading = self._heading(first)
        number = first.cloze or 1
        head_blanks, _ = cloze.scan(heading)
        body = first.body
        cuts = [m.start() for m in _WHY_LINE_RE.finditer(body)]
        for asked in (body, *(body[:cut].rstrip() for cut in cuts)):
            blanks, _ = cloze.scan(asked)
            front = join(
                cloze.front_text(heading, head_blanks, number),
                cloze.front_text(asked, blanks, number),
            )
            if front == first.front:
                return join(heading, asked), body[len(asked) :].strip()
        raise ClozeExportError("its question could not be read again from the deck file")

    def _heading(self, card: Card) -> str:
        """The raw text of the card's ``##`` heading, blanks and all."""
        if card.path not in self._headings:
            try:
                text, _ = decode(Path(card.path).read_bytes())
            except OSError:
                text = None
            found: dict[int, str] = {}
            if text is not None:
                lines = text.split("\n")
                found = {h.line + 1: h.text for h in scan(text, lines).headings if h.level == 2}
            self._headings[card.path] = found
        heading = self._headings[card.path].get(card.line)
        if heading is None:
            raise ClozeExportError(f"its heading is no longer at line {card.line}")
        return heading

    # --- code -----------------------------------------------------------------------------
    def _code_sides(self, card: Card) -> tuple[str, str]:
        """Front and back of a code card on variant VARIANT_SEED, as markdown."""
        values: dict[str, object] = {}
        if card.code is not None and card.code.params is not None:
            values = draw(card.code.params.code, VARIANT_SEED)
        front = render(card.front, values)
        back = render(card.back, values)
        if card.kind is not CardKind.PREDICT:
            return front, back
        value = self.expected.get(card.key)
        if value is not None:
            return front, join("Expected value:", _fenced(value, ""), back)
        expect = card.code.expect.code if card.code and card.code.expect else ""
        return front, join("The value of:", _fenced(render(expect, values), "python"), back)


def _fenced(code: str, language: str) -> str:
    """``code`` in a fence longer than any run of backticks in it."""
    longest = max((len(m.group(0)) for m in _BACKTICKS_RE.finditer(code)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"
