"""Lint problems as LSP diagnostics: the same codes and messages as ``studyrnn lint``.

A problem knows its line only; the range is narrowed to the word it names (a misspelled role,
an unknown attribute) when that word is on the line once, else it spans the line's text. The
hint, which a problem carries at the end of its message in parentheses, is repeated as related
information, and a problem that names another place (``also used at b.md:3``) links to it.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types as lsp

from studyrnn.decks.model import Problem, Severity
from studyrnn.lsp.text import utf16_len

SOURCE = "studyrnn"
_NAMED_RE = re.compile(r"`([^`\s]+)`")
# "also used at PATH:LINE" (duplicate id), "the same question as PATH:LINE" or "as line N"
_ELSEWHERE_RE = re.compile(r"(?:also used at|the same question as) (?:line (\d+)|(.+?):(\d+)) ")


def hint_of(message: str) -> str | None:
    """The text of the message's closing parenthesis, where lint puts the hint."""
    if not message.endswith(")"):
        return None
    depth = 0
    for index in range(len(message) - 1, -1, -1):
        char = message[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                return message[index + 1 : -1].strip() or None
    return None


def line_range(lines: list[str], problem: Problem) -> lsp.Range:
    """The word the problem names on its line, else the line's text. Columns count UTF-16
    code units, as LSP's default position encoding does."""
    row = max(problem.line - 1, 0)
    text = lines[row].removesuffix("\r") if row < len(lines) else ""
    named = _NAMED_RE.search(problem.message)
    if named is not None and text.count(named.group(1)) == 1:
        start = utf16_len(text[: text.index(named.group(1))])
        end = start + utf16_len(named.group(1))
        return lsp.Range(lsp.Position(row, start), lsp.Position(row, end))
    start = utf16_len(text[: len(text) - len(text.lstrip())])
    return lsp.Range(lsp.Position(row, start), lsp.Position(row, utf16_len(text)))


def to_diagnostic(problem: Problem, lines: list[str], uri: str) -> lsp.Diagnostic:
    where = line_range(lines, problem)
    related: list[lsp.DiagnosticRelatedInformation] = []
    elsewhere = _ELSEWHERE_RE.search(problem.message)
    if elsewhere is not None:
        same_file, other, other_line = elsewhere.groups()
        target = uri if same_file else Path(other).absolute().as_uri()
        row = int(same_file or other_line) - 1
        label = "the other card" if problem.code == "duplicate-id" else "the same question"
        related.append(lsp.DiagnosticRelatedInformation(_line_location(target, row), label))
    hint = hint_of(problem.message)
    if hint is not None:
        related.append(lsp.DiagnosticRelatedInformation(lsp.Location(uri, where), hint))
    return lsp.Diagnostic(
        range=where,
        message=problem.message,
        severity=(
            lsp.DiagnosticSeverity.Error
            if problem.severity is Severity.ERROR
            else lsp.DiagnosticSeverity.Warning
        ),
        code=problem.code,
        source=SOURCE,
        related_information=related or None,
    )


def diagnostics(problems: tuple[Problem, ...], text: str, uri: str) -> list[lsp.Diagnostic]:
    lines = text.split("\n")  # a CR is taken off the few lines a problem is on, not all
    return [to_diagnostic(p, lines, uri) for p in problems]


def _line_location(uri: str, row: int) -> lsp.Location:
    return lsp.Location(uri, lsp.Range(lsp.Position(row, 0), lsp.Position(row + 1, 0)))
