"""Other tools' markdown flashcards -> studyrnn decks: hashcards and Obsidian Spaced Repetition.

Every source card becomes a card of the written deck or a problem naming its line; nothing is
dropped quietly. Each card gets an explicit id from a hash of its content, so importing the
same file again gives the same ids. The source files are only read.

- hashcards (``Q:``/``A:`` and ``C:`` lines, ``[deletions]``): a basic card per ``Q:``, a cloze
  note per ``C:`` with one blank per deletion (hashcards makes a card of each). A TOML ``name``
  in the front matter names the deck; markdown headings become sections.
- Obsidian SR: ``q::a`` and a ``?`` line between question and answer are basic cards,
  ``q:::a`` and ``??`` bidirectional ones, a paragraph with ``==highlights==`` or
  ``{{curly braces}}`` a cloze note.
  The nearest heading is the section.
  Its ``<!--SR:...-->`` scheduling comments (``decks.sr_comments``) are read, each segment
  matched to the studyrnn card it schedules (a cloze note's blanks in order, a reversed card
  forward first): ``Conversion.carried`` maps card keys to schedules, and every segment that
  is not carried over is counted with the reason. A comment belongs to the card on its line,
  or above it when it stands on a line of its own.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from studyrnn.decks import sr_comments
from studyrnn.decks.frontmatter import default_deck_name
from studyrnn.decks.keys import slugify
from studyrnn.decks.model import Card, CardKind, Problem, Severity
from studyrnn.decks.parser import parse_text
from studyrnn.decks.text import decode

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DELETION = re.compile(r"(?<!!)\[([^\[\]]*)\]")
_SR_COMMENT = re.compile(r"\s*" + sr_comments.COMMENT.pattern)
_HIGHLIGHT = re.compile(r"==([^=\n]+?)==")
# Obsidian SR's clozes: ==highlight== and {{curly braces}} (never our {{c1:: or {{=)
_SR_CLOZE = re.compile(r"==([^=\n]+?)==|\{\{(?!c\d+::|=)([^{}\n]+?)\}\}")
_INLINE = re.compile(r"^(.+?)\s*(:::|::)\s*(.+)$")
_BLANK_MARKS = re.compile(r"\{\{c\d+::|\}\}")
_OUR_SYNTAX = re.compile(r"\{\{(?=c\d+::|=)")


@dataclass(frozen=True, slots=True)
class ImportedCard:
    kind: str  # "basic", "bidirectional" or "cloze"
    front: str  # the heading line
    body: str  # the answer, or the cloze text with {{cN::...}} blanks
    line: int  # 1-based line in the source
    section: str
    cards: int  # how many studyrnn cards it makes (cloze blanks, two directions)
    # Obsidian SR: a schedule (or why there is none) per card, in the order of the cards
    schedules: tuple[sr_comments.SrSchedule | str, ...] = ()
    fixed_id: str = ""  # an id the source tool's own identity gives (Anki's note guid)
    tags: tuple[str, ...] = ()

    def id(self, source: str) -> str:
        """A readable slug and a hash of the card and its source file's name: the same on
        every import, and distinct for the same card in two files."""
        if self.fixed_id:
            return self.fixed_id
        key = f"{source}\n{self.kind}\n{self.front}\n{self.body}"
        digest = hashlib.sha256(key.encode()).hexdigest()
        words = self.front if self.kind != "cloze" else _BLANK_MARKS.sub(" ", self.body)
        return f"{slugify(words, 5, 32)}-{digest[:8]}"


@dataclass
class Conversion:
    """One source file, read."""

    path: str
    deck: str
    cards: list[ImportedCard] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    schedules: int = 0  # Obsidian SR scheduling comments seen
    carried: dict[str, sr_comments.SrSchedule] = field(default_factory=dict)  # card key ->
    not_carried: Counter[str] = field(default_factory=Counter)  # why -> how many segments
    # comments that could not be matched to a card, shown as warnings (nothing is lost)
    notes: list[Problem] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, Severity.ERROR, "not-imported", message))

    def unmatched(self, line: int, reason: str, count: int, message: str) -> None:
        self.not_carried[reason] += count
        self.notes.append(Problem(self.path, line, Severity.WARNING, "schedule-left", message))

    @property
    def source_cards(self) -> int:
        return sum(c.cards for c in self.cards)


def _escape(text: str) -> str:
    """studyrnn syntax that is plain text in the source (``{{c1::``, ``{{=``) stays text."""
    return _OUR_SYNTAX.sub(r"\\{{", text)


def _blanks(pattern: re.Pattern[str], text: str) -> tuple[str, int]:
    """``text`` with each match of ``pattern`` (its group 1 the answer) made a numbered cloze
    blank, and how many there are."""
    count = 0

    def blank(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        answer = m.group(m.lastindex or 1)
        return f"{{{{c{count}::{answer.replace('::', chr(92) + '::')}}}}}"

    return pattern.sub(blank, text), count


def _one_line(lines: list[str]) -> str | None:
    """A question as one heading line: the lines of one paragraph (markdown shows their line
    breaks as spaces), or None when it has several blocks."""
    kept = [line.strip() for line in lines]
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    if (
        not kept
        or "" in kept
        or any(_FENCE.match(x) or x.startswith(("- ", "* ", "!")) for x in kept)
    ):
        return None
    return " ".join(kept)


# --- hashcards ---------------------------------------------------------------------------------


def _opened(data: bytes | str, path: str) -> tuple[Conversion, list[str] | None]:
    """A conversion for ``path`` and its lines, or no lines (and the problem) if not UTF-8."""
    text = decode(data)[0]
    conv = Conversion(path, default_deck_name(path))
    if text is None:
        conv.problem(1, "not UTF-8 text (save it as UTF-8)")
        return conv, None
    return conv, text.split("\n")


def _front_matter_close(lines: list[str]) -> int | None:
    """The line of the `---` that closes leading front matter; None when there is none."""
    if not lines or lines[0].strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)


def read_hashcards(data: bytes | str, path: str) -> Conversion:
    conv, lines = _opened(data, path)
    if lines is None:
        return conv
    start = 0
    if lines and lines[0].strip() == "---":
        close = _front_matter_close(lines)
        if close is None:
            conv.problem(1, "front matter never closes (end it with a `---` line)")
            return conv
        try:
            name = tomllib.loads("\n".join(lines[1:close])).get("name")
        except tomllib.TOMLDecodeError as exc:
            conv.problem(2, f"front matter is not TOML ({exc}); the deck keeps its file name")
            name = None
        if isinstance(name, str) and name.strip():
            conv.deck = name.strip()
        start = close + 1

    section = ""
    kind = ""  # "Q", "A" or "C" while a card is open
    first = 0
    question: list[str] = []
    answer: list[str] = []

    def finish() -> None:
        nonlocal kind
        if kind == "Q":
            conv.problem(first, "a `Q:` without an `A:` (add the answer)")
        elif kind == "A":
            _hashcards_basic(conv, question, answer, first, section)
        elif kind == "C":
            _hashcards_cloze(conv, question, first, section)
        kind = ""

    in_fence = ""
    for i in range(start, len(lines)):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence and (not in_fence or fence.group(1)[0] == in_fence):
            in_fence = "" if in_fence else fence.group(1)[0]
        heading = None if in_fence else _HEADING.match(line)
        tag = line[:2] if not in_fence else ""
        if heading is not None:
            finish()
            section = heading.group(2).strip()
        elif tag in ("Q:", "C:"):
            finish()
            kind, first, question, answer = tag[0], i + 1, [line[2:].strip()], []
        elif tag == "A:":
            if kind == "Q":
                kind, answer = "A", [line[2:].strip()]
            else:
                conv.problem(i + 1, "an `A:` without a `Q:` before it (add the question)")
        elif kind == "A":
            answer.append(line)
        elif kind:
            question.append(line)
    finish()
    return conv


def _hashcards_basic(
    conv: Conversion, question: list[str], answer: list[str], line: int, section: str
) -> None:
    front = _one_line(question)
    if front is None:
        conv.problem(
            line,
            "the question has several paragraphs, and a studyrnn question is "
            "one heading line (make it one paragraph)",
        )
        return
    body = "\n".join(answer).strip()
    if not body:
        conv.problem(line, "empty answer (write it after `A:`)")
        return
    conv.cards.append(ImportedCard("basic", _escape(front), _escape(body), line, section, 1))


def _hashcards_cloze(conv: Conversion, lines: list[str], line: int, section: str) -> None:
    body, count = _blanks(_DELETION, _escape("\n".join(lines).strip()))
    if count == 0:
        conv.problem(line, "a `C:` card without a `[deletion]` (put brackets around a part)")
        return
    conv.cards.append(ImportedCard("cloze", section or conv.deck, body, line, section, count))


# --- Obsidian Spaced Repetition -------------------------------------------------------------


def read_obsidian(data: bytes | str, path: str) -> Conversion:
    conv, lines = _opened(data, path)
    if lines is None:
        return conv
    close = _front_matter_close(lines)
    start = close + 1 if close is not None else 0
    section = ""
    block: list[tuple[int, str]] = []
    in_fence = ""
    for i in range(start, len(lines) + 1):
        line = lines[i] if i < len(lines) else ""
        fence = _FENCE.match(line)
        if fence and (not in_fence or fence.group(1)[0] == in_fence):
            in_fence = "" if in_fence else fence.group(1)[0]
        heading = None if in_fence else _HEADING.match(line)
        if not in_fence and (heading is not None or not line.strip() or i == len(lines)):
            if block:
                _obsidian_block(conv, block, section)
                block = []
            if heading is not None:
                section = heading.group(2).strip()
            continue
        block.append((i + 1, line))
    return conv


def _obsidian_block(conv: Conversion, block: list[tuple[int, str]], section: str) -> None:
    """One paragraph-like block: a multi-line card, inline cards, a cloze, or just notes."""
    lines: list[tuple[int, str]] = []
    # SR comments: (index in `lines` of the line they belong to, their line, their segments)
    comments: list[tuple[int, int, list[sr_comments.SrSchedule | str]]] = []
    for number, text in block:
        if "<!--SR:" in text:
            found = [sr_comments.segments(m.group(1)) for m in sr_comments.COMMENT.finditer(text)]
            conv.schedules += len(found)
            text = _SR_COMMENT.sub("", text)
            # on a line of its own, a comment belongs to the card above it
            owner = len(lines) if text.strip() else len(lines) - 1
            comments += [(owner, number, parts) for parts in found]
            if not text.strip():
                continue
        lines.append((number, text))
    if not lines:
        for _, number, parts in comments:
            _not_beside_a_card(conv, number, parts)
        return
    before = len(conv.cards)
    owners = _read_obsidian_cards(conv, lines, section)
    for owner, number, parts in comments:
        # a card made of the whole block (key None) owns every comment in it
        card = owners.get(None, owners.get(owner))
        if card is None:
            _not_beside_a_card(conv, number, parts)
        elif card < 0:
            conv.not_carried["of cards not imported"] += len(parts)
        else:
            _attach(conv, before + card, number, parts)


def _not_beside_a_card(
    conv: Conversion, line: int, parts: list[sr_comments.SrSchedule | str]
) -> None:
    conv.unmatched(
        line,
        "beside no card",
        len(parts),
        "this scheduling comment is beside no card, so its schedule is not carried over",
    )


def _attach(
    conv: Conversion, index: int, line: int, parts: list[sr_comments.SrSchedule | str]
) -> None:
    """Give the card at ``index`` of ``conv.cards`` the schedules of one comment."""
    card = conv.cards[index]
    if card.schedules:
        conv.unmatched(
            line,
            "a second comment for one card",
            len(parts),
            "a second scheduling comment for one card: only the first is carried over",
        )
        return
    extra = len(parts) - card.cards
    if extra > 0:
        conv.unmatched(
            line,
            "more schedules than cards",
            extra,
            f"this scheduling comment holds {len(parts)} schedules for {card.cards} card"
            f"{'' if card.cards == 1 else 's'}: the last {extra} are not carried over",
        )
    if sr_comments.UNREADABLE in parts:
        conv.notes.append(
            Problem(
                conv.path,
                line,
                Severity.WARNING,
                "schedule-left",
                "a schedule in this comment cannot be read (Obsidian writes "
                "`!2024-03-02,4,270`: due day, interval, ease), so it is not carried over",
            )
        )
    conv.cards[index] = dataclasses.replace(card, schedules=tuple(parts[: card.cards]))


def _read_obsidian_cards(
    conv: Conversion, lines: list[tuple[int, str]], section: str
) -> dict[int | None, int]:
    """Add the block's cards to ``conv``. Returns which card each line holds: the index of
    the line in ``lines`` (None: the whole block) -> the card's index among those added
    (-1: the card was not imported, a problem says why)."""
    owners: dict[int | None, int] = {}
    before = len(conv.cards)

    def record(key: int | None, count: int) -> None:
        """The card tried for ``key`` was added if ``conv.cards`` grew past ``count``."""
        owners[key] = len(conv.cards) - 1 - before if len(conv.cards) > count else -1

    separator = next((k for k, (_, t) in enumerate(lines) if t.strip() in ("?", "??")), None)
    if separator is not None:
        number, count = lines[0][0], len(conv.cards)
        reverse = lines[separator][1].strip() == "??"
        front = _one_line([t for _, t in lines[:separator]])
        back = "\n".join(t for _, t in lines[separator + 1 :]).strip()
        if front is None or not back:
            conv.problem(
                number,
                "a `?` card needs a one-paragraph question above the `?` and an answer below it",
            )
        elif reverse:
            _bidirectional(conv, front, back, number, section)
        else:
            conv.cards.append(
                ImportedCard("basic", _escape(front), _escape(back), number, section, 1)
            )
        record(None, count)
        return owners
    for index, (number, text) in enumerate(lines):
        m = _INLINE.match(text.strip())
        if m is None or "{{" in text:
            continue
        front, sep, back = m.group(1).strip(), m.group(2), m.group(3).strip()
        count = len(conv.cards)
        if sep == ":::":
            _bidirectional(conv, front, back, number, section)
        else:
            conv.cards.append(
                ImportedCard("basic", _escape(front), _escape(back), number, section, 1)
            )
        record(index, count)
    if owners:
        return owners
    body = "\n".join(t for _, t in lines)
    if _SR_CLOZE.search(body):
        text, blanks = _blanks(_SR_CLOZE, _escape(body))
        conv.cards.append(
            ImportedCard("cloze", section or conv.deck, text, lines[0][0], section, blanks)
        )
        record(None, before)
    return owners


def _bidirectional(conv: Conversion, left: str, right: str, line: int, section: str) -> None:
    if "\n" in right or "\n" in left:
        conv.problem(
            line,
            "a reversed card with a multi-line side: a studyrnn bidirectional "
            "card is one heading line `left <-> right` (shorten a side)",
        )
        return
    front = f"{_escape(left)} <-> {_escape(right)}"
    conv.cards.append(ImportedCard("bidirectional", front, "", line, section, 2))


# --- writing -------------------------------------------------------------------------------


def _note(card: ImportedCard, source: str) -> list[str]:
    lines = [f"## {card.front}", f"<!-- id: {card.id(source)} -->"]
    if card.tags:
        lines.append(f"<!-- tags: {', '.join(card.tags)} -->")
    return [*lines, card.body, ""] if card.body else [*lines, ""]


def render(conv: Conversion, source: str) -> str:
    """The studyrnn deck for ``conv``: front matter, sections as H1, one H2 per note."""
    out = ["---", f"deck: {json.dumps(conv.deck, ensure_ascii=False)}", "---", ""]
    section = ""
    for card in conv.cards:
        if card.section and card.section != section:
            out += [f"# {card.section}", ""]
            section = card.section
        out += _note(card, source)
    return "\n".join(out)


def convert(conv: Conversion, written_as: str, source: str) -> tuple[str, int]:
    """The deck text for ``conv`` and its number of cards. Each card is parsed back first: one
    that studyrnn would reject (or a repeat of another) is a problem at its source line,
    never written. ``source`` (the file's path within the import) goes into every id, so
    the same card in two files gets two ids."""
    kept: list[ImportedCard] = []
    seen: dict[str, int] = {}
    for card in conv.cards:
        card_id = card.id(source)
        if card_id in seen:
            conv.problem(card.line, f"the same card as line {seen[card_id]} (it is imported once)")
            continue
        check = parse_text("\n".join(_note(card, source)), written_as)
        errors = [p for p in check.problems if p.severity is Severity.ERROR]
        if errors:
            conv.problem(card.line, f"not imported: {errors[0].message}")
            continue
        seen[card_id] = card.line
        kept.append(card)
    for card in conv.cards:
        if card not in kept and card.schedules:
            conv.not_carried["of cards not imported"] += len(card.schedules)
    conv.cards = kept
    text = render(conv, source)
    written = parse_text(text, written_as).cards
    _match_schedules(conv, written, source)
    return text, len(written)


def _match_schedules(conv: Conversion, written: Sequence[Card], source: str) -> None:
    """Fill ``conv.carried``: each schedule to the key of the written card it belongs to (a
    cloze note's blanks in number order, a reversed card forward first)."""
    by_note: dict[str, list[Card]] = {}
    for card in written:
        by_note.setdefault(card.note_key, []).append(card)
    for imported in conv.cards:
        cards = sorted(by_note.get(imported.id(source), []), key=_sibling_order)
        for schedule, card in zip(imported.schedules, cards, strict=False):
            if isinstance(schedule, str):
                conv.not_carried[schedule] += 1
            else:
                conv.carried[card.key] = schedule


def _sibling_order(card: Card) -> tuple[int, bool]:
    """The order Obsidian writes a note's schedules in: blanks by number, forward first."""
    return (card.cloze or 0, card.kind is CardKind.BIDIRECTIONAL and card.key.endswith(":rev"))
