"""Deck markdown as the HTML of an Anki field, and cloze blanks in Anki's own syntax.

Anki shows fields as HTML, so the markdown is rendered by markdown-it (CommonMark, plus tables
and strikethrough). Raw HTML is shown as written, as the terminal app shows it, except
comments, which show nothing in either.

A cloze field needs ``{{c1::answer::hint}}`` in the HTML itself, but a blank's answer is
markdown in context (inside a code span it is code, elsewhere it may be bold). So each blank is
replaced by its answer between two private-use characters, the whole text is rendered once,
and the marked answers are turned back into Anki blanks. Anki reads a blank up to the first
``}}`` and splits it at the first ``::``; braces (and colons where they would split) inside an
answer, and a literal ``{{c1::`` outside one, are written as character references, which Anki's
cloze reader passes over and the card shows as the characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from studyrnn.decks import cloze

_OPEN = "\ue000"
_CLOSE = "\ue001"
_MARKED_RE = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.S)
_LITERAL_OPENER_RE = re.compile(r"\{\{(c\d+::)")


class ClozeExportError(ValueError):
    """A cloze text whose blanks cannot be written for Anki."""


def _html_as_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Raw HTML shown as written; a comment shows nothing."""
    content = tokens[idx].content
    if content.lstrip().startswith("<!--"):
        return ""
    return html.escape(content, quote=False)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.add_render_rule("html_block", _html_as_text)
    md.add_render_rule("html_inline", _html_as_text)
    return md


_MD = _markdown()


def to_html(markdown: str) -> str:
    """The HTML of a plain field (Anki reads no syntax in a basic note's fields)."""
    rendered: str = _MD.render(markdown)
    return rendered.strip()


def cloze_html(markdown: str) -> str:
    """The HTML of a cloze note's text, its blanks written as Anki blanks.

    Raises ClozeExportError when the text has a malformed blank or none, or when a blank does
    not come through the render as one piece of text.
    """
    if _OPEN in markdown or _CLOSE in markdown:
        raise ClozeExportError("the text holds the characters U+E000 or U+E001")
    blanks, errors = cloze.scan(markdown)
    if errors:
        raise ClozeExportError(errors[0].message)
    if not blanks:
        raise ClozeExportError("the text has no cloze blank")
    marked = cloze.replace_blanks(markdown, blanks, lambda b: f"{_OPEN}{b.answer}{_CLOSE}")
    rendered = _LITERAL_OPENER_RE.sub(r"&#123;&#123;\1", to_html(marked))
    found = list(_MARKED_RE.finditer(rendered))
    if len(found) != len(blanks) or rendered.count(_OPEN) != len(blanks):
        # markdown-it moved a marker, e.g. into a link's address, where it is encoded
        raise ClozeExportError("a blank is not plain text once rendered (is it in a link?)")
    out: list[str] = []
    pos = 0
    for match, blank in zip(found, blanks, strict=True):
        out.append(rendered[pos : match.start()])
        hint = f"::{_inert(html.escape(blank.hint, quote=False))}" if blank.hint else ""
        out.append(f"{{{{c{blank.number}::{_inert(match.group(1))}{hint}}}}}")
        pos = match.end()
    out.append(rendered[pos:])
    return "".join(out)


def _inert(text: str) -> str:
    """``text`` (HTML) with what would end or split an Anki blank written as references."""
    text = text.replace("{", "&#123;").replace("}", "&#125;")
    if "::" in text or text.endswith(":"):
        text = text.replace(":", "&#58;")
    return text
