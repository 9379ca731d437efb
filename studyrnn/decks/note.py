"""One note (an ``## heading`` and its body) while it is being read: its bounds, its
metadata comments, its body lines, and the problems found in it.

Shared by the builders of every card kind (``notes`` and ``code_notes``). Any error reported
through a ``NoteReader`` drops the whole note; the other notes of the file are not affected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studyrnn.decks import cloze, params
from studyrnn.decks.blocks import FenceBlock, ListBlock
from studyrnn.decks.fences import closest
from studyrnn.decks.keys import is_valid_id
from studyrnn.decks.model import Card, CardKind, Choice, CodeSpec, Problem, Severity

META_RE = re.compile(r"^\s*<!--\s*([A-Za-z][A-Za-z0-9_-]*)\s*:(.*?)-->\s*$")
META_KEYS = ("id", "tags", "source")


def metadata_key(line: str) -> tuple[str, str] | None:
    """``(key, value)`` when ``line`` is a metadata comment: a known key, or one so close to
    a known key (``idd``, ``Tags``) that it must be a typo of it (an error is then due).
    Another tool's comment (``<!--SR:!2024-01-01,3,250-->``, ``<!-- TODO: ... -->``) is an
    ordinary comment."""
    m = META_RE.match(line)
    if m is None:
        return None
    key = m.group(1)
    if key in META_KEYS or key.lower() in META_KEYS or closest(key.lower(), META_KEYS):
        return key, m.group(2).strip()
    return None


WHY_RE = re.compile(r"^\s{0,3}(?:\*\*|__)?Why(?:\*\*|__)?:")


@dataclass
class FileContext:
    """What every note of one file shares."""

    path: str
    deck: str
    tags: tuple[str, ...]
    source: str


@dataclass
class Note:
    """An H2 and everything up to the next H1/H2, with 0-based line bounds."""

    heading: str
    line: int  # 0-based line of the H2
    end: int  # 0-based line after the note
    section: str
    fences: list[FenceBlock] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    false_openers: list[int] = field(default_factory=list)  # see blocks.Blocks


@dataclass(frozen=True, slots=True)
class CardBase:
    """The fields every card of one note shares."""

    note_key: str
    explicit_id: str | None
    deck: str
    section: str
    body: str
    path: str
    line: int
    tags: tuple[str, ...]
    source: str

    def card(
        self,
        *,
        key: str,
        kind: CardKind,
        front: str,
        back: str,
        cloze: int | None = None,
        choices: tuple[Choice, ...] = (),
        code: CodeSpec | None = None,
        placeholders: tuple[str, ...] = (),
    ) -> Card:
        return Card(
            key=key,
            note_key=self.note_key,
            explicit_id=self.explicit_id,
            deck=self.deck,
            section=self.section,
            kind=kind,
            front=front,
            back=back,
            body=self.body,
            path=self.path,
            line=self.line,
            tags=self.tags,
            source=self.source,
            cloze=cloze,
            choices=choices,
            code=code,
            placeholders=placeholders,
        )


class NoteReader:
    """Reads the parts of one note and collects its problems. Any error drops the note."""

    def __init__(self, note: Note, lines: list[str], ctx: FileContext) -> None:
        self.note = note
        self.lines = lines
        self.ctx = ctx
        self.problems: list[Problem] = []
        self.hline = note.line + 1  # 1-based line of the heading

    def error(self, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(self.ctx.path, line, Severity.ERROR, code, message))

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    # --- the parts of a note -----------------------------------------------------------
    def read_meta(self) -> tuple[dict[str, str], int]:
        """Metadata comments right after the heading; returns them and the first body line."""
        meta: dict[str, str] = {}
        i = self.note.line + 1
        while i < self.note.end:
            raw = self.lines[i]
            if not raw.strip():
                i += 1
                continue
            found = metadata_key(raw)
            if found is None:
                break
            key, value = found
            if key not in META_KEYS:
                near = closest(key.lower(), META_KEYS) or key.lower()
                self.error(
                    i + 1,
                    "unknown-metadata",
                    f"unknown metadata `{key}` (did you mean `{near}`? known: "
                    f"{', '.join(META_KEYS)}; write `<!-- {key} -->` without a colon for an "
                    "ordinary comment)",
                )
            elif key in meta:
                self.error(
                    i + 1,
                    "duplicate-metadata",
                    f"`{key}` given twice for this card (keep one line)",
                )
            elif key == "id" and not is_valid_id(value):
                self.error(
                    i + 1,
                    "bad-id",
                    f"id `{value}` may use only letters, digits, `-`, `_` and `.` "
                    "(e.g. `<!-- id: lstm-forget-gate -->`)",
                )
            else:
                meta[key] = value
            i += 1
        self._misplaced_meta(i)
        return meta, i

    def _misplaced_meta(self, body_start: int) -> None:
        """A metadata comment in the body is not read (only those right under the heading
        are), so an ``<!-- id: ... -->`` placed after the answer would silently not be the
        card's id: warn, with where it belongs."""
        in_fence = {n for f in self.note.fences for n in range(f.line, f.end)}
        for i in range(body_start, self.note.end):
            found = None if i in in_fence else metadata_key(self.lines[i])
            if found is None:
                continue
            key = found[0]
            self.problems.append(
                Problem(
                    self.ctx.path,
                    i + 1,
                    Severity.WARNING,
                    "misplaced-metadata",
                    f"`<!-- {key}: ... -->` after the card's body is ignored: metadata is read "
                    f"only right under the `## ` heading (move this line to just under line "
                    f"{self.hline})",
                )
            )

    def body_lines(self, start: int, skip: list[tuple[int, int]]) -> list[tuple[int, str]]:
        """``(1-based line, text)`` of the body from ``start``, leaving out ``skip`` ranges
        (0-based, end excluded), with blank lines at both ends dropped."""
        lines = self.lines
        end = self.note.end
        if skip:
            kept: list[tuple[int, str]] = []
            pos = start
            for first, stop in sorted(skip):
                first, stop = max(first, start), min(stop, end)
                if first > pos:
                    kept.extend(zip(range(pos + 1, first + 1), lines[pos:first], strict=True))
                pos = max(pos, stop)
            if pos < end:
                kept.extend(zip(range(pos + 1, end + 1), lines[pos:end], strict=True))
        else:
            while start < end and not lines[start].strip():
                start += 1
            while end > start and not lines[end - 1].strip():
                end -= 1
            return list(zip(range(start + 1, end + 1), lines[start:end], strict=True))
        first_kept = 0
        while first_kept < len(kept) and not kept[first_kept][1].strip():
            first_kept += 1
        last_kept = len(kept)
        while last_kept > first_kept and not kept[last_kept - 1][1].strip():
            last_kept -= 1
        return kept[first_kept:last_kept]

    # --- building ------------------------------------------------------------------------
    def check_placeholders(
        self, heading: str, body: list[tuple[int, str]], defined: list[str] | None
    ) -> None:
        """Every ``{{=name}}`` shown to the learner must be a parameter of this card."""
        if "{{=" not in heading and all("{{=" not in t for _, t in body):
            return
        known = set(defined or ())
        for line, text in [(self.hline, heading), *body]:
            for name in params.placeholders(text):
                if name in known:
                    continue
                hint = (
                    f"define it in the ```python params``` fence, e.g. `{name} = choice([1, 2])`"
                    if defined is not None
                    else "only code cards with a ```python params``` fence have parameters"
                )
                self.error(
                    line,
                    "undefined-placeholder",
                    f"placeholder `{{{{={name}}}}}` is not defined ({hint})",
                )


def why_index(body: list[tuple[int, str]], fences: list[FenceBlock]) -> int | None:
    """Index in ``body`` (``(1-based line, text)`` pairs) of the first ``Why:`` line that is
    not inside a fence (a ``Why:`` in code is code), or None."""
    for index, (line, text) in enumerate(body):
        # a fence opened on 0-based line f holds the 1-based lines f+2 .. its end
        if (
            "Why" in text
            and WHY_RE.match(text)
            and not any(f.line + 1 < line <= f.end for f in fences)
        ):
            return index
    return None


def join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p.strip())


def shown(text: str) -> str:
    return cloze.unescape(text)


def line_at(body: list[tuple[int, str]], body_text: str, offset: int) -> int:
    index = body_text.count("\n", 0, offset)
    return body[index][0] if index < len(body) else (body[-1][0] if body else 1)


def false_opener_problem(path: str, line: int) -> Problem:
    """The error for a ```` ```python ROLE ```` line that a backtick turned into text."""
    return Problem(
        path,
        line + 1,
        Severity.ERROR,
        "bad-fence",
        "this line is not a fence: a backtick in the text after ``` makes it plain text, and "
        "the next ``` opens a fence instead (remove the backticks from the message, or open "
        "and close this fence with ~~~)",
    )
