"""An Anki package -> studyrnn decks, with each imported card's review history.

- **Note types** are mapped by their shape, not their name, so a renamed or copied stock type
  still maps: a standard type with two fields whose templates each ask one of them is basic
  (one template) or basic-and-reversed (two); a cloze type whose template asks
  ``{{cloze:}}`` of its first field, with one more field for the back, is cloze. Anything
  else (three fields, image occlusion, ...) is reported per note, never dropped silently.
- **Cards.** A reversed note whose two sides are one line each is a bidirectional card
  (``left <-> right``); otherwise each of its cards is a basic card. A cloze note keeps its
  ``{{cN::...}}`` blanks (renumbered 1, 2, ... when Anki's skip a number), its second field
  becomes the ``Why:`` line shown after the answer, and its heading is its deck's name.
- **Decks.** The first two levels of an Anki deck name a file (``A.md``, ``A/B.md``, deck
  ``A::B``); deeper levels are its sections (``# C::D``). A note goes where its first card is.
- **Ids** come from the note's guid, so importing again gives the same ids, and Anki's card
  ``ord`` picks the studyrnn card: the direction (``:fwd``, ``:rev``) or the blank (``#cN``).
- **HTML** becomes markdown with markdownify; images and sounds are linked to ``media/``.
- **Reviews**: each answer of an imported card, in time order. Manual changes (set due date,
  forget) and answers in a filtered deck that did not reschedule are not answers to replay.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from urllib.parse import quote

from markdownify import markdownify

from studyrnn.decks.anki_reader import Answer, Card, Note, NoteType, Package
from studyrnn.decks.convert import Conversion, ImportedCard, _escape, _one_line, convert
from studyrnn.decks.keys import cloze_key, direction_key

MEDIA = "media"  # the folder of DIR the media files are copied to
_REFERENCE = re.compile(r"\{\{([^{}]+)\}\}")
_NOT_FIELDS = ("#", "^", "/", "!")
_IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")
_PLACEHOLDER = re.compile(r"\{\{(?==)")
_DANGLING_BREAK = re.compile(r"\\(?=\n\n|\Z)")
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True, slots=True)
class CardHistory:
    """What the store needs to continue one imported card's schedule."""

    answers: tuple[tuple[int, datetime, int], ...]  # (rating 1-4, aware UTC time, duration ms)
    due_day: int | None  # Anki's day number of a review card's due day (from ``created``)
    suspended: bool


@dataclass(frozen=True, slots=True)
class DeckText:
    path: PurePosixPath  # relative to the output folder
    text: str
    cards: int


@dataclass
class AnkiImport:
    decks: list[DeckText] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    histories: dict[str, CardHistory] = field(default_factory=dict)  # studyrnn card key ->
    not_imported: int = 0  # Anki cards that became no studyrnn card
    reviews_left: int = 0  # review log entries of those cards
    log_left: int = 0  # entries of imported cards that are no answer to replay (see replayed)


def _references(template: str, *, typed: bool = True) -> set[str]:
    """The field names a template shows (``{{Front}}``, ``{{text:Back}}``, ``{{cloze:Text}}``),
    without the conditionals (``{{#Front}}``); ``typed=False`` leaves out ``{{type:Back}}``,
    the box the answer is typed in (it asks nothing)."""
    out = set()
    for ref in _REFERENCE.findall(template):
        parts = [p.strip() for p in ref.strip().split(":")]
        if parts[0].startswith(_NOT_FIELDS) or (not typed and "type" in parts[:-1]):
            continue
        out.add(parts[-1])
    return out


def _shown(kind: NoteType) -> set[str]:
    """The fields any template shows (a field used only as a condition is not shown)."""
    return {r for q, a in kind.templates for r in _references(q) | _references(a)} & set(
        kind.fields
    )


def _directions(kind: NoteType) -> list[bool] | None:
    """For a basic or reversed type, per template: True when it asks field 0, False field 1.
    None unless the templates show only the first two fields and each asks one of them."""
    if kind.cloze or len(kind.fields) < 2 or not 1 <= len(kind.templates) <= 2:
        return None
    if not _shown(kind) <= set(kind.fields[:2]):
        return None
    out = []
    for question, _answer in kind.templates:
        asked = _references(question, typed=False) & set(kind.fields[:2])
        if len(asked) != 1:
            return None
        out.append(asked == {kind.fields[0]})
    return out


def _is_cloze(kind: NoteType) -> bool:
    """A cloze type asking ``{{cloze:}}`` of its first field, showing at most one more."""
    return (
        kind.cloze
        and len(kind.fields) >= 2
        and len(kind.templates) == 1
        and f"cloze:{kind.fields[0]}" in kind.templates[0][0].replace(" ", "")
        and _shown(kind) <= set(kind.fields[:2])
    )


def _unmapped(kind: NoteType) -> str:
    shape = "cloze type" if kind.cloze else "type"
    others = sorted(_shown(kind) - set(kind.fields[:2]), key=kind.fields.index)
    why = (
        f"its cards also show {', '.join(others)}"
        if others
        else "its templates do not each ask one of its first two fields"
    )
    return (
        f'note type "{kind.name}" does not map to a studyrnn card: {why} (a {shape} maps when '
        "its cards show two fields: a question and an answer, or a cloze text and an extra)"
    )


def _file_of(deck: tuple[str, ...]) -> tuple[PurePosixPath, str, str]:
    """(deck file, deck name, section) for an Anki deck."""
    safe = [_UNSAFE.sub("-", part).strip(" .") or "deck" for part in deck[:2]]
    path = PurePosixPath(*safe[:-1], f"{safe[-1]}.md")
    return path, "::".join(deck[:2]), "::".join(deck[2:])


def _markdown(html: str, media_prefix: str) -> str:
    """A field's HTML as markdown, its images and sounds pointing into the media folder."""

    def image(m: re.Match[str]) -> str:
        if ":" in m.group(3):  # a web address or a data: URL, not a media file
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{media_prefix}{quote(m.group(3))}{m.group(2)}"

    html = _IMG_SRC.sub(image, html)
    html = _SOUND.sub(
        lambda m: f'<a href="{media_prefix}{quote(m.group(1))}">{m.group(1)}</a>', html
    )
    text = markdownify(html, heading_style="ATX", bullets="-", newline_style="BACKSLASH")
    text = text.replace("\xa0", " ")
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    # a line break (``<br>``) before a blank line or the end breaks nothing: drop its ``\``
    return _DANGLING_BREAK.sub("", text)


def _heading(text: str) -> str:
    """A side as a heading line: studyrnn syntax in it stays text, and so does a ``<->``,
    which would make a basic card bidirectional (``<\\->`` shows as ``<->``)."""
    return _escape(text).replace("<->", "<\\->")


def _note_id(note: Note) -> str:
    return f"anki-{hashlib.sha256(note.guid.encode()).hexdigest()[:12]}"


@dataclass
class _Pending:
    """Cards of one note waiting to be written: what goes into the deck, and for each
    studyrnn card key the Anki card it continues."""

    card: ImportedCard | None  # None: this card cannot be imported, for ``problem``
    keys: list[tuple[str, Card]]
    problem: str = ""


def convert_package(package: Package, source: str) -> AnkiImport:
    """Everything in ``package``; ``source`` (the package's path) names it in problems."""
    out = AnkiImport()
    by_note: dict[int, list[Card]] = defaultdict(list)
    for card in package.cards:
        by_note[card.note].append(card)
    log: dict[int, list[Answer]] = defaultdict(list)
    for a in package.answers:
        log[a.card].append(a)
    all_answers = {card: len(entries) for card, entries in log.items()}

    files: dict[PurePosixPath, tuple[str, list[tuple[int, _Pending]]]] = {}
    paths: dict[tuple[str, ...], PurePosixPath] = {}
    used: set[str] = set()

    def place(deck: tuple[str, ...], path: PurePosixPath) -> PurePosixPath:
        """The file of a deck: two decks never share one, even where file names ignore case
        or once their names are made safe for a file system."""
        if deck not in paths:
            while path.as_posix().casefold() in used:
                path = path.with_stem(f"{path.stem}-2")
            used.add(path.as_posix().casefold())
            paths[deck] = path
        return paths[deck]

    problem_lines: list[tuple[int, str]] = []

    def reject(note: Note, cards: Sequence[Card], message: str) -> None:
        problem_lines.append((note.id, f"{source}: note {note.id}: error: {message}"))
        out.not_imported += len(cards)
        out.reviews_left += sum(all_answers.get(c.id, 0) for c in cards)

    for order, note in enumerate(package.notes):
        cards = sorted(by_note.get(note.id, ()), key=lambda c: c.ord)
        if not cards:
            continue
        kind = package.notetypes.get(note.notetype)
        if kind is None:
            reject(note, cards, f"its note type {note.notetype} is missing from the package")
            continue
        anki_deck = package.decks.get(cards[0].deck, ("Default",))
        path, deck, section = _file_of(anki_deck)
        path = place(anki_deck[:2], path)
        prefix = "../" * (len(path.parts) - 1) + f"{MEDIA}/"
        fields = [_markdown(f, prefix) for f in note.fields]
        try:
            heading = section.split("::")[-1] if section else deck.split("::")[-1]
            pending = _note_cards(note, kind, cards, fields, heading, section)
        except _NotMapped as exc:
            reject(note, cards, str(exc))
            continue
        entry = files.setdefault(path, (deck, []))
        # a tag is one word in Anki; a comma would split it here
        tags = tuple(sorted({t.replace(",", "_") for t in note.tags if "-->" not in t}))
        for p in pending:
            if p.card is None:
                reject(note, [c for _, c in p.keys], p.problem)
            else:
                p.card = dataclasses.replace(p.card, tags=tags)
                entry[1].append((order, p))

    for path in sorted(files):
        deck, items = files[path]
        placed = [(order, p, p.card) for order, p in items if p.card is not None]
        placed.sort(key=lambda item: (item[2].section != "", item[2].section, item[0]))
        conv = Conversion(source, deck)
        lines: dict[int, tuple[Note, _Pending]] = {}
        for line, (order, p, imported) in enumerate(placed, start=1):
            conv.cards.append(_with_line(imported, line))
            lines[line] = (package.notes[order], p)
        text, count = convert(conv, path.as_posix(), path.as_posix())
        for problem in conv.problems:
            note, p = lines[problem.line]
            reject(note, [c for _, c in p.keys], problem.message)
        for kept in conv.cards:
            _note, p = lines[kept.line]
            out.kinds[kept.kind] += kept.cards
            for key, card in p.keys:
                answers = replayed(log.get(card.id, []))
                out.log_left += len(log.get(card.id, ())) - len(answers)
                out.histories[key] = CardHistory(
                    answers,
                    card.due if card.queue == 2 else None,
                    card.queue == -1,
                )
        if conv.cards:
            out.decks.append(DeckText(path, text, count))
    out.problems = [line for _, line in sorted(problem_lines)]
    return out


def replayed(entries: Sequence[Answer]) -> tuple[tuple[int, datetime, int], ...]:
    """The answers of one card's log (oldest first) that its memory state is computed from,
    chosen as Anki chooses them (``reviews_for_fsrs`` in rslib's ``scheduler/fsrs/params.rs``):
    from the last run of learning answers, or failing that from the first answer after the
    last reset; manual changes (set due date, reset), rescheduling and answers in a filtered
    deck that did not reschedule are no answers."""
    start: int | None = None
    first_graded: int | None = None
    learning = False
    for index in range(len(entries) - 1, -1, -1):
        entry = entries[index]
        if entry.kind == 3 and entry.factor == 0:
            continue
        graded = 1 <= entry.ease <= 4
        if graded:
            first_graded = index
        if graded and entry.kind == 0:
            start, learning = index, True
        elif learning:
            break
        elif entry.kind == 4 and entry.factor == 0:  # a reset to new
            if first_graded is None:
                return ()
            break
    start = start if start is not None else first_graded
    if start is None:
        return ()
    return tuple(
        (e.ease, datetime.fromtimestamp(e.at_ms / 1000, UTC), max(0, e.duration_ms))
        for e in entries[start:]
        if 1 <= e.ease <= 4 and e.kind in (0, 1, 2, 3) and not (e.kind == 3 and e.factor == 0)
    )


def _with_line(card: ImportedCard, line: int) -> ImportedCard:
    return dataclasses.replace(card, line=line)


class _NotMapped(Exception):
    pass


def _note_cards(
    note: Note, kind: NoteType, cards: list[Card], fields: list[str], heading: str, section: str
) -> list[_Pending]:
    base = _note_id(note)
    if _is_cloze(kind):
        return _cloze(base, cards, fields, heading, section)
    directions = _directions(kind)
    if directions is None:
        raise _NotMapped(_unmapped(kind))
    if any(c.ord >= len(directions) for c in cards):
        raise _NotMapped(f'a card of note type "{kind.name}" has no template')
    sides = [_one_line(f.split("\n")) for f in fields[:2]]
    asked = {directions[c.ord]: c for c in cards}
    if len(asked) == 2 and all(sides) and len(cards) == 2:
        left, right = (_heading(s or "") for s in sides)
        front = f"{left} <-> {right}"
        keys = [
            (direction_key(base, True), asked[True]),
            (direction_key(base, False), asked[False]),
        ]
        pair = ImportedCard("bidirectional", front, "", 0, section, 2, fixed_id=base)
        return [_Pending(pair, keys)]
    out = []
    for card in cards:
        forward = directions[card.ord]
        question, answer = (0, 1) if forward else (1, 0)
        asks = sides[question]
        card_id = base if forward else f"{base}-rev"
        if asks is None or not fields[answer]:
            why = (
                "the answer is empty"
                if asks is not None
                else "the question has several paragraphs, and a studyrnn question is one "
                "heading line (make it one paragraph in Anki)"
            )
            out.append(_Pending(None, [(card_id, card)], f"card {card.ord + 1}: {why}"))
            continue
        imported = ImportedCard(
            "basic", _heading(asks), _escape(fields[answer]), 0, section, 1, fixed_id=card_id
        )
        out.append(_Pending(imported, [(card_id, card)]))
    return out


def _cloze(
    base: str, cards: list[Card], fields: list[str], heading: str, section: str
) -> list[_Pending]:
    """A cloze note, its blanks renumbered 1, 2, ... in the order of Anki's numbers; a card
    whose number is no longer in the text (Anki's "empty card") is reported."""
    text = _PLACEHOLDER.sub(r"\\{{", fields[0])
    numbers = sorted({int(n) for n in _CLOZE_NUMBER.findall(text)})
    if not numbers:
        raise _NotMapped("the cloze note has no {{c1::...}} blank")
    renumber = {old: new for new, old in enumerate(numbers, start=1)}
    text = _CLOZE_NUMBER.sub(lambda m: f"{{{{c{renumber[int(m.group(1))]}::", text)
    extra = _PLACEHOLDER.sub(r"\\{{", fields[1])
    body = f"{text}\n\nWhy: {extra}" if extra else text
    keys = [(cloze_key(base, renumber[c.ord + 1]), c) for c in cards if c.ord + 1 in renumber]
    note = ImportedCard("cloze", heading, body, 0, section, len(numbers), fixed_id=base)
    empty = [
        _Pending(None, [("", c)], f"card {c.ord + 1}: the note has no {{{{c{c.ord + 1}::...}}}}")
        for c in cards
        if c.ord + 1 not in renumber
    ]
    return [_Pending(note, keys), *empty]
