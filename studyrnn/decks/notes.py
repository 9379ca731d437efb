"""Turning one ``## heading`` and its body (a note) into cards of the right kind.

What each kind's ``front`` and ``back`` hold (markdown; the app shows ``back`` under ``front``
after the reveal):

- basic: front = the heading; back = the body.
- cloze: front = heading and body with this card's blank shown as ``[...]`` (or ``[hint]``)
  and the note's other blanks filled in, stopping before the ``Why:`` line when no blank
  follows it (the explanation often gives the answer away); back = heading and the whole
  body with every blank filled in.
- choice: front = the heading, the prose before the task list, then the options as a plain
  ``- option`` list without marks; back = the options marked ``✓``/``✗``, then the prose
  after the list (the explanation). ``choices`` holds the options in file order.
- bidirectional: ``fwd`` asks the left side and answers the right one, ``rev`` the other way;
  the body (if any) is added to both backs.
- predict: front = the heading, the prose before the ``Why:`` line, then the code the learner
  reads as one ```` ```python ```` block: one ``name = {{=name!r}}`` line per parameter (for
  parametric cards) followed by the setup code. back = the explanation from ``Why:`` on (the
  value itself is computed by the checker). The expect and wrong fences are never shown.
- write: front as for predict; back = the solution as a ```` ```python ```` block, then the
  explanation. The starter goes to the editor (``code.starter``), not to the front.

``{{=name}}`` placeholders are left in front and back: the app renders them for the variant
it drew (``studyrnn.decks.params.render``). An escaped ``\\{{c1::`` is shown as ``{{c1::``.
"""

from __future__ import annotations

import functools
import re

from studyrnn.decks import cloze
from studyrnn.decks.blocks import FenceBlock, ListBlock
from studyrnn.decks.code_notes import CodeNoteReader
from studyrnn.decks.fences import is_role_fence, misspelled_language
from studyrnn.decks.keys import cloze_key, derived_note_key, direction_key
from studyrnn.decks.model import Card, CardKind, Choice, Problem
from studyrnn.decks.note import (
    CardBase,
    FileContext,
    Note,
    false_opener_problem,
    join,
    line_at,
    shown,
    why_index,
)

BIDI_RE = re.compile(r"(?:^|\s)<->(?:\s|$)")


class _Builder(CodeNoteReader):
    """Builds the cards of one note, whatever its kind."""

    def build(self) -> list[Card]:
        note = self.note
        heading = note.heading
        if not heading.strip():
            self.error(
                self.hline,
                "empty-front",
                "empty question: the `## ` heading has no text (write the question after `## `)",
            )
        meta, body_start = self.read_meta()
        explicit_id = meta.get("id")
        for line in note.false_openers:
            self.problems.append(false_opener_problem(self.ctx.path, line))
        for fence in note.fences:
            if not fence.closed:
                self.error(
                    fence.line + 1,
                    "unterminated-fence",
                    "unterminated fence: this ``` never closes (add a closing ``` line "
                    "after the code)",
                )
        if self.failed:
            return []  # the note's structure is unknown; other findings would be noise

        role_fences = [f for f in note.fences if is_role_fence(f.info)]
        for fence in note.fences:
            if misspelled_language(fence.info):
                self.error(
                    fence.line + 1,
                    "bad-fence",
                    f"```{fence.info} is not a role fence (write ```python "
                    f"{fence.info.split()[1]} for a fence that runs)",
                )
        body_all = self.body_lines(body_start, [])
        body_text = "\n".join(text for _, text in body_all)

        has_cloze = cloze.has_opener(heading) or cloze.has_opener(body_text)
        # a cloze note's identity is its whole text: cloze notes often share a plain heading
        identity = f"{heading}\n{body_text}" if has_cloze and not role_fences else heading
        note_key = explicit_id or derived_note_key(self.ctx.deck, identity)
        tags = _tags(self.ctx.tags, meta.get("tags", ""))
        source = meta.get("source", self.ctx.source)
        base = CardBase(
            note_key,
            explicit_id,
            self.ctx.deck,
            note.section,
            body_text,
            self.ctx.path,
            self.hline,
            tags,
            source,
        )

        is_bidi = "<->" in heading and BIDI_RE.search(heading) is not None
        task_list = next((lst for lst in note.lists if lst.is_task_list), None)

        if role_fences:
            if is_bidi:
                self.error(
                    self.hline,
                    "mixed-kinds",
                    "a code card cannot also be bidirectional "
                    "(remove ` <-> ` from the heading or the role fences)",
                )
            if has_cloze:
                self.error(
                    self._first_cloze_line(heading, body_all),
                    "mixed-kinds",
                    "cloze blanks in a code card (a card is either cloze or code; "
                    r"write `\{{c1::` for a literal `{{c1::`)",
                )
            cards = self.code_cards(role_fences, body_start, base)
        elif is_bidi:
            cards = self.bidirectional_cards(heading, body_text, base)
        elif has_cloze:
            cards = self.cloze_cards(heading, body_all, base)
        elif task_list is not None:
            cards = self.choice_cards(heading, task_list, body_all, base)
        else:
            if not _says_something(body_text):
                self.error(
                    self.hline,
                    "empty-answer",
                    "empty answer: nothing under this question but comments or rules "
                    "(write the answer below the heading)"
                    if body_text.strip()
                    else "empty answer: nothing under this "
                    "question (write the answer below the heading)",
                )
            cards = [
                base.card(
                    key=note_key, kind=CardKind.BASIC, front=shown(heading), back=shown(body_text)
                )
            ]

        if not role_fences:
            self.check_placeholders(heading, body_all, defined=None)
        return [] if self.failed else cards

    def _first_cloze_line(self, heading: str, body: list[tuple[int, str]]) -> int:
        if cloze.has_opener(heading):
            return self.hline
        for line, text in body:
            if cloze.has_opener(text):
                return line
        return self.hline

    # --- cloze -----------------------------------------------------------------------------
    def cloze_cards(self, heading: str, body: list[tuple[int, str]], base: CardBase) -> list[Card]:
        body_text = "\n".join(text for _, text in body)
        head_blanks, head_errors = cloze.scan(heading)
        body_blanks, body_errors = cloze.scan(body_text)
        for err in head_errors:
            self.error(self.hline, "malformed-cloze", err.message)
        for err in body_errors:
            self.error(line_at(body, body_text, err.offset), "malformed-cloze", err.message)
        numbers = {b.number for b in head_blanks} | {b.number for b in body_blanks}
        gap = cloze.numbering_gap(numbers)
        if gap is not None and not head_errors and not body_errors:
            after = [b for b in head_blanks if b.number > gap]
            line = self.hline
            if not after:
                first = next(b for b in body_blanks if b.number > gap)
                line = line_at(body, body_text, first.start)
            present = ", ".join(f"c{n}" for n in sorted(numbers))
            self.error(
                line,
                "cloze-numbering",
                f"cloze numbering skips c{gap} (this note has "
                f"{present}; number the blanks c1, c2, ... without gaps)",
            )
        if not numbers and not head_errors and not body_errors:
            self.error(self.hline, "malformed-cloze", "this cloze note has no valid blank")
        back = join(cloze.back_text(heading, head_blanks), cloze.back_text(body_text, body_blanks))
        # the explanation often gives the answer away: the front stops at `Why:`, unless a
        # blank lies after it
        asked = body_text
        why = _why_offset(body, self.note.fences)
        if why is not None and all(b.start < why for b in body_blanks):
            asked = body_text[:why].rstrip()
        note_key = base.note_key
        return [
            base.card(
                key=cloze_key(note_key, n),
                kind=CardKind.CLOZE,
                front=join(
                    cloze.front_text(heading, head_blanks, n),
                    cloze.front_text(asked, body_blanks, n),
                ),
                back=back,
                cloze=n,
            )
            for n in sorted(numbers)
        ]

    # --- choice ----------------------------------------------------------------------------
    def choice_cards(
        self, heading: str, task_list: ListBlock, body: list[tuple[int, str]], base: CardBase
    ) -> list[Card]:
        choices: list[Choice] = []
        for item in task_list.items:
            if item.checked is None:
                self.error(
                    item.line + 1,
                    "bad-choice",
                    "every option of a choice list needs "
                    "`[x]` (right) or `[ ]` (wrong) after the `- `",
                )
            elif not item.text:
                self.error(
                    item.line + 1, "bad-choice", "empty option (write its text after the `[ ]`)"
                )
            else:
                choices.append(Choice(item.text, item.checked))
        if not self.failed:
            if not any(c.correct for c in choices):
                self.error(
                    task_list.line + 1,
                    "bad-choice",
                    "no right option (mark at least one with `- [x]`)",
                )
            if all(c.correct for c in choices):
                self.error(
                    task_list.line + 1, "bad-choice", "no wrong option (add at least one `- [ ]`)"
                )
        before = "\n".join(t for ln, t in body if ln <= task_list.line).strip()
        after = "\n".join(t for ln, t in body if ln > task_list.end).strip()
        options = "\n".join(f"- {c.text}" for c in choices)
        marked = "\n".join(f"- {'✓' if c.correct else '✗'} {c.text}" for c in choices)
        return [
            base.card(
                key=base.note_key,
                kind=CardKind.CHOICE,
                front=shown(join(heading, before, options)),
                back=shown(join(marked, after)),
                choices=tuple(choices),
            )
        ]

    # --- bidirectional ---------------------------------------------------------------------
    def bidirectional_cards(self, heading: str, body_text: str, base: CardBase) -> list[Card]:
        sep = BIDI_RE.search(heading)
        assert sep is not None
        left, right = heading[: sep.start()], heading[sep.end() :]
        left, right = left.strip(), right.strip()
        if not left or not right:
            self.error(
                self.hline,
                "empty-front",
                "a bidirectional heading needs text on both "
                "sides of ` <-> ` (e.g. `## GRU <-> a gated recurrent unit`)",
            )
        note_key = base.note_key
        return [
            base.card(
                key=direction_key(note_key, True),
                kind=CardKind.BIDIRECTIONAL,
                front=shown(left),
                back=shown(join(right, body_text)),
            ),
            base.card(
                key=direction_key(note_key, False),
                kind=CardKind.BIDIRECTIONAL,
                front=shown(right),
                back=shown(join(left, body_text)),
            ),
        ]

    # --- code ------------------------------------------------------------------------------


def _why_offset(body: list[tuple[int, str]], fences: list[FenceBlock]) -> int | None:
    """Offset in the joined body of the first ``Why:`` line outside a fence, or None."""
    index = why_index(body, fences)
    if index is None:
        return None
    return sum(len(text) + 1 for _, text in body[:index])


_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_RULE_LINE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)


def _says_something(body: str) -> bool:
    """Whether a body holds more than HTML comments and thematic breaks, which show nothing."""
    if "<!--" in body:
        body = _COMMENT_RE.sub("", body)
    if "-" in body or "*" in body or "_" in body:
        body = _RULE_LINE_RE.sub("", body)
    return bool(body.strip())


def build_note(note: Note, lines: list[str], ctx: FileContext) -> tuple[list[Card], list[Problem]]:
    builder = _Builder(note, lines, ctx)
    cards = builder.build()
    return cards, builder.problems


@functools.lru_cache(maxsize=1024)
def _tags(file_tags: tuple[str, ...], card_tags: str) -> tuple[str, ...]:
    """The file's tags and the card's own, sorted and unique (few distinct sets per deck)."""
    own = (t.strip() for t in card_tags.split(","))
    return tuple(sorted(set(file_tags) | {t for t in own if t}))
