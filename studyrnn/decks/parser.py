"""Markdown deck files -> cards and problems. The entry points of the ``decks`` layer.

- ``parse_text(data, path)`` parses one file's bytes (or text). It never raises: bad input of
  any kind (not UTF-8, a BOM, CRLF, binary garbage) becomes problems with 1-based lines.
- ``parse_file(path)`` reads and parses one file.
- ``load(paths)`` parses files and folders (``*.md`` recursively, sorted) together and adds
  the cross-file checks: duplicate ids (an error naming both places; the second note is
  dropped) and the same question twice in one deck (a warning).

Any error inside a note drops that note's cards only; every other card is kept. This module
only reads files; ``fix_ids`` is the one module of the layer that writes a deck.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from studyrnn.decks import cloze, formats, giveaways
from studyrnn.decks.blocks import Blocks, FenceBlock, ListBlock, scan
from studyrnn.decks.fences import is_role_fence
from studyrnn.decks.frontmatter import (
    FrontMatter,
    TopBlock,
    default_deck_name,
    looks_like_yaml,
    parse_front_matter,
)
from studyrnn.decks.identity import Identities, notes_of
from studyrnn.decks.model import Card, DeckFile, DeckSet, Problem, Severity
from studyrnn.decks.note import FileContext, Note, false_opener_problem
from studyrnn.decks.notes import build_note
from studyrnn.decks.text import BOM, decode, line_of_offset
from studyrnn.errors import UsageError

__all__ = ["deck_files", "load", "parse_file", "parse_text"]


def parse_text(data: bytes | str, path: str) -> DeckFile:
    """Parse one deck file's content. ``path`` is only used in cards and problems."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(raw).hexdigest()
    try:
        with _no_cycle_collection():
            return _parse(data, path, digest)
    except RecursionError:
        reason = "it is nested too deeply"
    except Exception as exc:  # the backstop: a parser bug must not cost the learner a crash
        reason = f"{type(exc).__name__}: {exc}"
    problem = Problem(
        path,
        1,
        Severity.ERROR,
        "internal",
        f"studyrnn could not parse this file ({reason}); please report it",
    )
    return DeckFile(path, default_deck_name(path), (), (problem,), (), digest)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while one file is parsed. A big file makes hundreds
    of thousands of objects that live until the parse returns, so the collector walks them
    again and again (an eighth of the time of a 10,000-card file) and frees nothing: the
    parser makes no reference cycles, and what it drops goes by reference counting (a full
    collection after parsing that file finds nothing). Left alone when already paused."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse_file(path: str | os.PathLike[str]) -> DeckFile:
    """Read and parse one file. A file that cannot be read is one error problem."""
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        problem = Problem(
            name, 1, Severity.ERROR, "unreadable", f"cannot read this file: {exc.strerror or exc}"
        )
        return DeckFile(name, default_deck_name(name), (), (problem,))
    return parse_text(data, name)


def deck_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The ``*.md`` files of ``paths`` (files as given, folders searched recursively, each
    folder's files sorted). A path that does not exist is a UsageError."""
    found: list[Path] = []
    seen: set[Path] = set()
    for item in paths:
        path = Path(item)
        if path.is_dir():
            candidates: Iterable[Path] = sorted(
                p for p in path.rglob("*.md") if p.is_file() and not _hidden(p, path)
            )
        elif path.is_file():
            candidates = [path]
        else:
            raise UsageError(
                f"no such deck file or folder: {path}",
                "give a .md file or a folder of them (see `studyrnn lint --help`)",
            )
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def load(paths: Sequence[str | os.PathLike[str]]) -> DeckSet:
    """Parse every deck file of ``paths`` together. Raises UsageError for a missing path."""
    return combine([parse_file(p) for p in deck_files(paths)])


def combine(files: Sequence[DeckFile]) -> DeckSet:
    """Cross-file checks over files parsed one by one: ids unique across all of them, the
    same question in two files of one deck, derived keys made unique."""
    # each file already reported its own repeated questions; here only those across files
    seen = Identities(across_files=True)
    out_files: list[DeckFile] = []
    for deck_file in files:
        kept: list[Card] = []
        new_problems: list[Problem] = []
        for note in notes_of(deck_file.cards):
            admitted, found = seen.admit(note)
            kept.extend(admitted)
            new_problems.extend(found)
        if (
            new_problems
            or len(kept) != len(deck_file.cards)
            or any(a.key != b.key for a, b in zip(kept, deck_file.cards, strict=True))
        ):
            deck_file = dataclasses.replace(
                deck_file,
                cards=tuple(kept),
                problems=tuple(sorted((*deck_file.problems, *new_problems), key=_line_key)),
            )
        out_files.append(deck_file)
    problems = sorted((p for f in out_files for p in f.problems), key=_path_line_key)
    return DeckSet(tuple(out_files), tuple(problems))


# --- one file ----------------------------------------------------------------------------------


def _parse(data: bytes | str, path: str, digest: str) -> DeckFile:
    text, reason = decode(data)
    if text is None:
        assert isinstance(data, bytes)
        line = line_of_offset(data, _first_bad_byte(data))
        problem = Problem(
            path,
            line,
            Severity.ERROR,
            "not-utf8",
            f"this file is not UTF-8 text ({reason}); save it as UTF-8 (cards in it are not read)",
        )
        return DeckFile(path, default_deck_name(path), (), (problem,), (), digest)

    lines = text.split("\n")
    blocks = scan(text, lines)
    problems: list[Problem] = []

    fm = _front_matter(blocks, lines, path)
    problems.extend(fm.problems)
    problems.extend(_stray_boms(text, lines, path))
    problems.extend(_html_problems(blocks, path))
    ctx = FileContext(path, fm.deck, fm.tags, fm.source)

    cards: list[Card] = []
    notes, outside = _split(blocks, lines)
    for start, end, out_fences, out_lists in outside:
        problems.extend(
            _outside_problems(start, end, out_fences, out_lists, lines, path, blocks.false_openers)
        )
    problems.extend(_headings_in_fences(blocks, path))

    seen = Identities()
    for note in notes:
        note_cards, note_problems = build_note(note, lines, ctx)
        problems.extend(note_problems)
        if note_cards:
            admitted, found = seen.admit(note_cards)
            cards.extend(admitted)
            problems.extend(found)
    problems.extend(_foreign_cards(blocks, notes, lines, path, has_cards=bool(cards)))
    problems.extend(giveaways.problems(cards))

    problems.sort(key=_line_key)
    return DeckFile(path, fm.deck, tuple(cards), tuple(problems), fm.items, digest)


def _front_matter(blocks: Blocks, lines: list[str], path: str) -> FrontMatter:
    if blocks.front_matter is not None:
        return parse_front_matter(blocks.front_matter.content, blocks.front_matter.line + 2, path)
    fm = FrontMatter(deck=default_deck_name(path))
    fm.problems.extend(_not_front_matter(blocks, lines, path))
    return fm


def _not_front_matter(blocks: Blocks, lines: list[str], path: str) -> list[Problem]:
    """Warnings for what looks like front matter but is not read as it: the cards are read
    either way, but the deck name, tags and source in it are not."""

    def warning(line: int, message: str) -> Problem:
        return Problem(path, line, Severity.WARNING, "front-matter-ignored", message)

    first = lines[0].rstrip() if lines else ""
    rest = "\n".join(lines[1:3])
    if blocks.top_rule is TopBlock.ATTEMPT:
        return [
            warning(
                1,
                "this `---` block is not read as front matter, because it is not `key: value` "
                "YAML, so it is a rule and the lines under it are markdown (front matter is "
                "YAML such as `deck: RNNs` between two `---` lines)",
            )
        ]
    if blocks.top_rule is None and first == "---" and looks_like_yaml(rest):
        return [
            warning(
                1,
                "front matter never closes, so this `---` is read as a rule and its "
                "`key: value` lines as text (end the front matter with a `---` line)",
            )
        ]
    if first == "+++":
        return [
            warning(
                1,
                "TOML front matter (`+++`) is not read: it shows as text (write it as YAML "
                "between two `---` lines, e.g. `deck: RNNs`)",
            )
        ]
    top = 0
    while top < len(lines) and not lines[top].strip():
        top += 1
    if (
        0 < top < len(lines) - 1
        and lines[top].rstrip() == "---"
        and looks_like_yaml("\n".join(lines[top + 1 : top + 3]))
    ):
        return [
            warning(
                top + 1,
                "front matter must start on the first line: after a blank line this "
                "`---` block is read as text (remove the blank lines above it)",
            )
        ]
    return []


def _foreign_cards(
    blocks: Blocks, notes: list[Note], lines: list[str], path: str, *, has_cards: bool
) -> list[Problem]:
    """Another tool's cards: outside any card in a file that yields none, or inside one
    card's body (where each would silently be part of that card's answer)."""
    found: list[Problem] = []
    for note in notes:
        sighting = formats.sniff_body(lines, note.line + 1, note.end, note.fences)
        if sighting is not None:
            found.append(
                Problem(
                    path,
                    sighting.line + 1,
                    Severity.WARNING,
                    "foreign-format",
                    f"this looks like {sighting.format.name} cards ({sighting.sign}) inside "
                    f"the answer of the card on line {note.line + 1}, where they are text, "
                    f"not cards ({formats.advice(sighting, path)})",
                )
            )
    if has_cards:
        return found
    start = blocks.front_matter.end if blocks.front_matter is not None else 0
    # the stretches outside every note: before the first, and between notes and sections
    bounds = [(n.line, n.end) for n in notes]
    stretches: list[tuple[int, int]] = []
    for first, end in bounds:
        stretches.append((start, first))
        start = end
    stretches.append((start, len(lines)))
    for first, end in stretches:
        sighting = formats.sniff(lines, first, end, blocks.fences) if end > first else None
        if sighting is not None:
            found.append(
                Problem(
                    path,
                    sighting.line + 1,
                    Severity.WARNING,
                    "foreign-format",
                    f"no cards in this file, but it looks like {sighting.format.name} cards "
                    f"({sighting.sign}): studyrnn reads a `## question` heading with the "
                    f"answer under it ({formats.advice(sighting, path)})",
                )
            )
            break
    return found


def _stray_boms(text: str, lines: list[str], path: str) -> list[Problem]:
    """A byte-order mark inside the file (left by joining files): invisible in an editor, it
    makes a heading at the start of its line plain text."""
    if BOM not in text:
        return []
    found: list[Problem] = []
    for i, line in enumerate(lines):
        if BOM in line:
            found.append(
                Problem(
                    path,
                    i + 1,
                    Severity.WARNING,
                    "stray-bom",
                    "an invisible byte-order mark (U+FEFF) inside the file: a heading after "
                    "it is plain text (delete it; it is often left by joining files)",
                )
            )
    return found


def _split(
    blocks: Blocks, lines: list[str]
) -> tuple[list[Note], list[tuple[int, int, list[FenceBlock], list[ListBlock]]]]:
    """Notes (one per H2) and the stretches outside any note (before the first H2, and between
    an H1 and the next H2), each with the fences and lists that lie in it."""
    notes: list[Note] = []
    outside: list[tuple[int, int, list[FenceBlock], list[ListBlock]]] = []
    start = blocks.front_matter.end if blocks.front_matter is not None else 0
    section = ""
    headings = blocks.headings
    total = len(lines)
    # every stretch of the file in line order: (start, end, note or None)
    stretches: list[tuple[int, int, Note | None]] = []
    if not headings or headings[0].line > start:
        stretches.append((start, headings[0].line if headings else total, None))
    for index, heading in enumerate(headings):
        end = headings[index + 1].line if index + 1 < len(headings) else total
        if heading.level == 1:
            section = heading.text
            stretches.append((heading.line, end, None))
        else:
            note = Note(heading.text, heading.line, end, section)
            notes.append(note)
            stretches.append((heading.line + 1, end, note))
    fences = iter(blocks.fences)
    lists = iter(blocks.lists)
    fence = next(fences, None)
    lst = next(lists, None)
    false_openers = list(blocks.false_openers)
    for first, end, owner in stretches:
        if owner is not None and false_openers:
            owner.false_openers.extend(x for x in false_openers if first <= x < end)
        here_fences: list[FenceBlock] = []
        here_lists: list[ListBlock] = []
        while fence is not None and fence.line < end:
            if fence.line >= first:
                here_fences.append(fence)
            fence = next(fences, None)
        while lst is not None and lst.line < end:
            if lst.line >= first:
                here_lists.append(lst)
            lst = next(lists, None)
        if owner is not None:
            owner.fences.extend(here_fences)
            owner.lists.extend(here_lists)
        elif end > first:
            outside.append((first, end, here_fences, here_lists))
    return notes, outside


def _outside_problems(
    start: int,
    end: int,
    fences: list[FenceBlock],
    lists: list[ListBlock],
    lines: list[str],
    path: str,
    false_openers: list[int],
) -> list[Problem]:
    """Card content where no card is: it would be lost, so it is an error."""
    found: list[Problem] = [
        false_opener_problem(path, line) for line in false_openers if start <= line < end
    ]
    where = "outside any card (put it under a `## question` heading"
    for fence in fences:
        if is_role_fence(fence.info):
            shown = " ".join(fence.info.split()[:2])
            found.append(
                Problem(
                    path,
                    fence.line + 1,
                    Severity.ERROR,
                    "outside-card",
                    f"a ```{shown} fence {where})",
                )
            )
    for lst in lists:
        if lst.is_task_list:
            found.append(
                Problem(
                    path,
                    lst.line + 1,
                    Severity.ERROR,
                    "outside-card",
                    f"a task list (multiple choice) {where})",
                )
            )
    chunk = "\n".join(lines[start:end])
    if cloze.has_opener(chunk):
        for i in range(start, min(end, len(lines))):
            if cloze.has_opener(lines[i]):
                blanks, errors = cloze.scan(lines[i])
                if blanks or errors:
                    place = (
                        "in a section heading (`# `), which holds no card (make it a `## ` "
                        "card heading"
                        if _H1_RE.match(lines[i])
                        else where
                    )
                    found.append(
                        Problem(
                            path,
                            i + 1,
                            Severity.ERROR,
                            "outside-card",
                            f"a cloze blank {place}, or write `\\{{{{c1::` for "
                            "a literal `{{c1::`)",
                        )
                    )
    return found


_H1_RE = re.compile(r"^ {0,3}#(?:[ \t]|$)")
_RAW_HTML = re.compile(r"<(?:!--|pre|script|style|textarea|\?|!)", re.I)
_HEADING_RE = re.compile(r"^ {0,3}##?(?:[ \t]|$)", re.M)


def _html_problems(blocks: Blocks, path: str) -> list[Problem]:
    """An HTML comment that never closes hides the rest of the file, on GitHub too; and a
    ``<details>``- or ``<img>``-style block runs on to the next blank line, so a heading right
    under it is raw text, not a card. A heading inside a comment or ``<pre>`` is meant."""
    found: list[Problem] = []
    for block in blocks.html:
        head = block.content.lstrip()
        if head.startswith("<!--") and "-->" not in block.content:
            found.append(
                Problem(
                    path,
                    block.line + 1,
                    Severity.WARNING,
                    "unclosed-comment",
                    "this HTML comment never closes, so everything after it is hidden, on "
                    "GitHub too (end it with `-->`)",
                )
            )
        elif not _RAW_HTML.match(head) and "#" in block.content:
            m = _HEADING_RE.search(block.content)
            if m is not None:
                found.append(
                    Problem(
                        path,
                        block.line + 1 + block.content.count("\n", 0, m.start()),
                        Severity.WARNING,
                        "heading-in-html",
                        "this heading is part of the HTML block above it (which runs on to "
                        "the next blank line), so it is raw text on GitHub and no card (put a "
                        "blank line before it)",
                    )
                )
    return found


def _headings_in_fences(blocks: Blocks, path: str) -> list[Problem]:
    found: list[Problem] = []
    for fence in blocks.fences:
        if "##" not in fence.code or not fence.closed:
            continue
        for offset, line in enumerate(fence.code.split("\n")):
            stripped = line.lstrip(" ")
            if (len(line) - len(stripped) <= 3 and stripped.startswith("## ")) or stripped == "##":
                found.append(
                    Problem(
                        path,
                        fence.line + 2 + offset,
                        Severity.WARNING,
                        "heading-in-fence",
                        "`## ` inside a code fence stays code and does not start a card (if you "
                        "meant a new card, close the fence above it)",
                    )
                )
    return found


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _first_bad_byte(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def _line_key(problem: Problem) -> tuple[int, int]:
    return (problem.line, 0 if problem.severity is Severity.ERROR else 1)


def _path_line_key(problem: Problem) -> tuple[str, int, int]:
    return (problem.path, *_line_key(problem))
