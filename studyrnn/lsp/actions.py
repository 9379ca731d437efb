"""Code actions: stamp ids as ``lint --fix-ids`` does, and the quick fixes whose edit is
obvious from the problem (a misspelled role or attribute, a skipped cloze number, a fence that
never closes). Every action is a ``WorkspaceEdit`` the editor applies; nothing is written here.
"""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from studyrnn.decks import cloze
from studyrnn.decks.fix_ids import Stamp, existing_ids, stamp_text
from studyrnn.decks.model import DeckFile
from studyrnn.lsp.diagnostics import SOURCE
from studyrnn.lsp.headings import heading_at
from studyrnn.lsp.text import eol_of, lines_of, utf16_len

STAMP_ALL = lsp.CodeActionKind.Source + ".studyrnn.stampIds"
_DID_YOU_MEAN_RE = re.compile(r"`([^`\s]+)`.*did you mean `([^`\s]+)`\?")
_OPENER_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_NEXT_HEADING_RE = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")


def code_actions(
    uri: str, text: str, deck_file: DeckFile, params: lsp.CodeActionParams, taken: set[str]
) -> list[lsp.CodeAction]:
    lines = lines_of(text)
    found: list[lsp.CodeAction] = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source == SOURCE:
            fix = quick_fix(uri, lines, diagnostic)
            if fix is not None:
                found.append(fix)
    stamps = id_stamps(text, deck_file.path, taken)
    here = heading_at(lines, params.range.start.line)
    mine = [s for s in stamps if here is not None and s.line == here.line + 1]
    eol = eol_of(text)
    if mine:
        found.append(
            _action(
                f"Stamp id `{mine[0].id}` on this card",
                lsp.CodeActionKind.RefactorRewrite,
                uri,
                [_stamp_edit(lines, stamp, eol) for stamp in mine],
            )
        )
    if stamps:
        found.append(
            _action(
                f"Stamp ids on every card of this file ({len(stamps)} missing)",
                STAMP_ALL,
                uri,
                [_stamp_edit(lines, stamp, eol) for stamp in stamps],
            )
        )
    only = params.context.only
    if only:
        found = [a for a in found if a.kind and any(a.kind.startswith(k) for k in only)]
    return found


def id_stamps(text: str, path: str, taken: set[str]) -> list[Stamp]:
    """The ids ``lint --fix-ids`` would stamp into this text, given the ids already taken in
    the deck folder."""
    ids = set(taken) | set(existing_ids(text))
    _, stamps = stamp_text(text.encode("utf-8", "surrogatepass"), text, path, ids)
    return stamps


def _stamp_edit(lines: list[str], stamp: Stamp, eol: str) -> lsp.TextEdit:
    row = stamp.line - 1
    comment = f"<!-- id: {stamp.id} -->"
    if row + 1 < len(lines):
        at = lsp.Position(row + 1, 0)
        return lsp.TextEdit(lsp.Range(at, at), comment + eol)
    end = lsp.Position(row, utf16_len(lines[row]))  # the heading is the last line
    return lsp.TextEdit(lsp.Range(end, end), eol + comment)


def quick_fix(uri: str, lines: list[str], diagnostic: lsp.Diagnostic) -> lsp.CodeAction | None:
    code = diagnostic.code
    if code in ("unknown-role", "unknown-attribute"):
        match = _DID_YOU_MEAN_RE.search(diagnostic.message)
        row = diagnostic.range.start.line
        if match is None or row >= len(lines):
            return None
        wrong, right = match.groups()
        line = lines[row]
        if line.count(wrong) != 1:
            return None
        start = utf16_len(line[: line.index(wrong)])
        where = lsp.Range(lsp.Position(row, start), lsp.Position(row, start + utf16_len(wrong)))
        return _fix(f"Change `{wrong}` to `{right}`", uri, [lsp.TextEdit(where, right)], diagnostic)
    if code == "unterminated-fence":
        return _close_fence(uri, lines, diagnostic)
    if code == "cloze-numbering":
        return _renumber(uri, lines, diagnostic)
    return None


def _close_fence(uri: str, lines: list[str], diagnostic: lsp.Diagnostic) -> lsp.CodeAction | None:
    row = diagnostic.range.start.line
    opener = _OPENER_RE.match(lines[row]) if row < len(lines) else None
    if opener is None:
        return None
    end = next(
        (r for r in range(row + 1, len(lines)) if _NEXT_HEADING_RE.match(lines[r])), len(lines)
    )
    while end > row + 1 and not lines[end - 1].strip():
        end -= 1  # close the fence after the code, not after the blank lines before a heading
    fence = opener.group(1)
    if end < len(lines):
        at = lsp.Position(end, 0)
        edit = lsp.TextEdit(lsp.Range(at, at), fence + "\n")
    else:
        at = lsp.Position(end - 1, utf16_len(lines[end - 1]))
        edit = lsp.TextEdit(lsp.Range(at, at), "\n" + fence)
    return _fix(f"Close the fence with {fence}", uri, [edit], diagnostic)


def _renumber(uri: str, lines: list[str], diagnostic: lsp.Diagnostic) -> lsp.CodeAction | None:
    """Number the note's blanks c1, c2, ... in their order of numbers, closing the gaps."""
    note = heading_at(lines, diagnostic.range.start.line)
    if note is None:
        return None
    openers: list[tuple[int, int, int, int]] = []  # (row, start, end, number) of each `cN`
    for row in range(note.line, note.end):
        for match in cloze.OPEN_RE.finditer(lines[row]):
            if match.start() > 0 and lines[row][match.start() - 1] == "\\":
                continue  # an escaped \{{c1:: is literal text
            openers.append((row, match.start(1), match.end(1), int(match.group(1))))
    numbers = sorted({number for *_, number in openers})
    renumbered = {old: new for new, old in enumerate(numbers, start=1)}
    edits = [
        lsp.TextEdit(
            lsp.Range(
                lsp.Position(row, utf16_len(lines[row][:start])),
                lsp.Position(row, utf16_len(lines[row][:end])),
            ),
            str(renumbered[number]),
        )
        for row, start, end, number in openers
        if renumbered[number] != number
    ]
    if not edits:
        return None
    return _fix("Renumber the cloze blanks without gaps", uri, edits, diagnostic)


def _fix(
    title: str, uri: str, edits: list[lsp.TextEdit], diagnostic: lsp.Diagnostic
) -> lsp.CodeAction:
    action = _action(title, lsp.CodeActionKind.QuickFix, uri, edits)
    action.diagnostics = [diagnostic]
    action.is_preferred = True
    return action


def _action(title: str, kind: str, uri: str, edits: list[lsp.TextEdit]) -> lsp.CodeAction:
    return lsp.CodeAction(title=title, kind=kind, edit=lsp.WorkspaceEdit(changes={uri: edits}))
