"""Markdown as plain text, for ``studyrnn review --plain``: what a screen reader reads aloud
and what a pipe passes on.

No markup survives: no fence markers, backticks, asterisks or link brackets. Code (fences and
indented blocks) is indented four spaces, list items keep a ``-`` or ``1.`` marker, and a
link keeps its address after its text. HTML comments (card metadata) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MD = MarkdownIt("commonmark")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
CODE_INDENT = "    "


def to_plain(markdown: str) -> str:
    """``markdown`` as plain lines, blocks separated by one blank line."""
    out: list[str] = []
    # per open list: [ordered (0/1), the next item's number, the width of its item's marker]
    lists: list[list[int]] = []
    marker = ""  # the marker the next line of a list item starts with
    quotes = 0

    def emit(text: str, *, code: bool = False) -> None:
        nonlocal marker
        if not lists and out and out[-1]:
            out.append("")  # a blank line between top-level blocks
        lead = "  " * quotes + "".join(" " * width for _, _, width in lists[:-1])
        rest = " " * lists[-1][2] if lists else ""
        for index, line in enumerate(text.split("\n")):
            body = f"{CODE_INDENT}{line}" if code and line else line
            if index == 0 and marker:
                out.append(f"{lead}{marker}{body}".rstrip())
                marker = ""
            else:
                out.append(f"{lead}{rest}{body}".rstrip())

    for token in _MD.parse(markdown):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if marker:  # a list that opens an item: the item's marker goes on its own line
                emit("")
            elif not lists and out and out[-1]:
                out.append("")  # a blank line before a top-level list
            start = token.attrGet("start")
            lists.append([int(kind == "ordered_list_open"), int(start) if start else 1, 0])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            ordered, number, _ = lists[-1]
            marker = f"{number}. " if ordered else "- "
            lists[-1][1:] = [number + 1, len(marker)]
        elif kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind == "inline":
            emit(_inline(token.children or []))
        elif kind in ("fence", "code_block"):
            emit(token.content.rstrip("\n"), code=True)
        elif kind == "html_block":
            text = _COMMENT.sub("", token.content).strip()
            if text:
                emit(text)
        elif kind == "hr":
            emit("---")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _inline(children: Sequence[Token]) -> str:
    parts: list[str] = []
    links: list[tuple[str, int]] = []  # open links: address, where their text starts
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content)
        elif kind == "html_inline":
            parts.append(_COMMENT.sub("", child.content))
        elif kind == "link_open":
            links.append((str(child.attrGet("href") or ""), len(parts)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            if href and href not in "".join(parts[start:]):
                parts.append(f" ({href})")
    return "".join(parts)
