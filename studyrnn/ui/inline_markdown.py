"""One line of markdown as styled text, for lists that show a card's question in a row.

A question like "What does `nn.LSTM` return?" reads better with the code styled than with its
backticks, and a list row has room for one line only: blocks are joined with spaces, and the
markup becomes styles (code, bold, italic) through markdown-it-py's inline tokens.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.style import Style
from rich.text import Text

_PARSER = MarkdownIt("commonmark")
_STYLES = {"strong": Style(bold=True), "em": Style(italic=True), "s": Style(strike=True)}
CODE = Style(bold=True)  # no colour of its own: it must read in NO_COLOR too


def inline_text(markdown: str, width: int | None = None) -> Text:
    """``markdown`` on one line, styled; cut to ``width`` cells with "…" when given."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    open_styles: list[Style] = []
    for block in _PARSER.parse(markdown):
        if block.type in ("fence", "code_block"):
            first = block.content.strip().splitlines()[:1]
            if first:
                _space(text)
                text.append(first[0], CODE)
            continue
        for token in block.children or ():
            kind = token.type
            if kind.endswith("_open") and kind[: -len("_open")] in _STYLES:
                open_styles.append(_STYLES[kind[: -len("_open")]])
            elif kind.endswith("_close") and kind[: -len("_close")] in _STYLES:
                if open_styles:
                    open_styles.pop()
            elif kind == "code_inline":
                text.append(token.content, Style.combine([*open_styles, CODE]))
            elif kind in ("softbreak", "hardbreak"):
                text.append(" ")
            elif kind == "text" and token.content:
                text.append(token.content, Style.combine(open_styles) if open_styles else None)
        _space(text)
    text.rstrip()
    if width is not None:
        text.truncate(width, overflow="ellipsis")
    return text


def _space(text: Text) -> None:
    if text.plain and not text.plain.endswith(" "):
        text.append(" ")
