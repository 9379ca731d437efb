"""Completion where a deck has a fixed vocabulary: fence roles after ```` ```python ````, fence
attributes after the role, metadata keys in ``<!-- ``, front-matter keys, and ``{{=name}}``
placeholders from the card's own ``params`` fence."""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from studyrnn.decks import params
from studyrnn.decks.fences import ATTRS, DEVICES, FLAGS, ROLES
from studyrnn.decks.frontmatter import KNOWN_KEYS
from studyrnn.decks.note import META_KEYS
from studyrnn.lsp.headings import heading_at

_ROLE_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})python[ \t]+([a-z]*)$")
_ATTR_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})python[ \t]+(\w+)\b.*[ \t]([a-z]*)$")
_DEVICE_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})python[ \t]+\w+\b.*[ \t]device=([a-z]*)$")
_META_RE = re.compile(r"^\s*<!--\s*([A-Za-z]*)$")
_KEY_RE = re.compile(r"^([A-Za-z]*)$")
_PLACEHOLDER_RE = re.compile(r"\{\{=\s*([A-Za-z0-9_]*)$")
_PARAMS_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})python[ \t]+params\b")


def complete(lines: list[str], position: lsp.Position) -> lsp.CompletionList:
    row = position.line
    line = lines[row] if row < len(lines) else ""
    before = line[: _index_of(line, position.character)]
    items = _items(lines, row, before)
    return lsp.CompletionList(is_incomplete=False, items=items)


def _items(lines: list[str], row: int, before: str) -> list[lsp.CompletionItem]:
    if _in_front_matter(lines, row):
        if _KEY_RE.match(before):
            return [_item(key, lsp.CompletionItemKind.Property, key + ": ") for key in KNOWN_KEYS]
        return []
    if _ROLE_RE.match(before):
        return [_item(role, lsp.CompletionItemKind.Keyword) for role in ROLES]
    device = _DEVICE_RE.match(before)
    if device:
        return [_item(name, lsp.CompletionItemKind.EnumMember) for name in DEVICES]
    attr = _ATTR_RE.match(before)
    if attr and attr.group(1) in ROLES:
        found = [_item(f"{key}=", lsp.CompletionItemKind.Property) for key in ATTRS]
        if attr.group(1) == "expect":
            found += [_item(flag, lsp.CompletionItemKind.Property) for flag in FLAGS]
        return found
    if _META_RE.match(before):
        return [_item(key, lsp.CompletionItemKind.Property, f"{key}: ") for key in META_KEYS]
    if _PLACEHOLDER_RE.search(before):
        return [
            _item(name, lsp.CompletionItemKind.Variable, detail="parameter")
            for name in param_names(lines, row)
        ]
    return []


def param_names(lines: list[str], row: int) -> list[str]:
    """The names the note's ``params`` fence defines, in order (read from the text, so they
    are offered even while the note has an error)."""
    note = heading_at(lines, row)
    if note is None:
        return []
    for start in range(note.line + 1, note.end):
        opener = _PARAMS_RE.match(lines[start])
        if opener is None:
            continue
        body: list[str] = []
        for inner in lines[start + 1 : note.end]:
            if inner.strip().startswith(opener.group(1)) and not inner.strip().strip(
                opener.group(1)[0]
            ):
                break
            body.append(inner)
        found, _ = params.parse("\n".join(body))
        return [p.name for p in found]
    return []


def _in_front_matter(lines: list[str], row: int) -> bool:
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---" or row == 0:
        return False
    return all(lines[r].rstrip() not in ("---", "...") for r in range(1, row + 1))


def _item(
    label: str, kind: lsp.CompletionItemKind, insert: str | None = None, detail: str | None = None
) -> lsp.CompletionItem:
    return lsp.CompletionItem(label=label, kind=kind, insert_text=insert or label, detail=detail)


def _index_of(line: str, utf16_column: int) -> int:
    """The string index of a UTF-16 column."""
    units = 0
    for index, char in enumerate(line):
        if units >= utf16_column:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)
