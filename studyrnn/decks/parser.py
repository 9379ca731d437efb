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

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from studyrnn.decks import cloze, giveaways
from studyrnn.decks.blocks import Blocks, FenceBlock, ListBlock, scan
from studyrnn.decks.fences import is_role_fence
from studyrnn.decks.frontmatter import FrontMatter, default_deck_name, parse_front_matter
from studyrnn.decks.identity import Identities, notes_of
from studyrnn.decks.model import Card, DeckFile, DeckSet, Problem, Severity
from studyrnn.decks.note import FileContext, Note, false_opener_problem
from studyrnn.decks.notes import build_note
from studyrnn.decks.text import decode, line_of_offset
from studyrnn.errors import UsageError

__all__ = ["deck_files", "load", "parse_file", "parse_text"]


def parse_text(data: bytes | str, path: str) -> DeckFile:
    """Parse one deck file's content. ``path`` is only used in cards and problems."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(raw).hexdigest()
    try:
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
    seen = Identities()
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
    problems.extend(giveaways.problems(cards))

    problems.sort(key=_line_key)
    return DeckFile(path, fm.deck, tuple(cards), tuple(problems), fm.items, digest)


def _front_matter(blocks: Blocks, lines: list[str], path: str) -> FrontMatter:
    if blocks.front_matter is not None:
        return parse_front_matter(blocks.front_matter.content, blocks.front_matter.line + 2, path)
    fm = FrontMatter(deck=default_deck_name(path))
    if (
        lines
        and lines[0].rstrip() == "---"
        and len(lines) > 1
        and lines[1].strip()
        and (":" in lines[1])
    ):
        fm.problems.append(
            Problem(
                path,
                1,
                Severity.ERROR,
                "front-matter-yaml",
                "front matter never closes (end it with a `---` line)",
            )
        )
    return fm


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
            stretches.append((heading.line + 1, end, None))
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
                    found.append(
                        Problem(
                            path,
                            i + 1,
                            Severity.ERROR,
                            "outside-card",
                            f"a cloze blank {where}, or write `\\{{{{c1::` for "
                            "a literal `{{c1::`)",
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
