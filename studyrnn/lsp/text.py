"""Positions as LSP counts them: lines split on ``\\n`` (a ``\\r`` before it is not text), and
columns in UTF-16 code units, the protocol's default encoding."""

from __future__ import annotations


def lines_of(text: str) -> list[str]:
    return [line.removesuffix("\r") for line in text.split("\n")]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def eol_of(text: str) -> str:
    """The line break a new line should use: CRLF when the document's first break is one."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"
