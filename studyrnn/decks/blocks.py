"""One markdown-it pass over a deck file, reduced to the few blocks the parser needs.

We read markdown-it's token stream, never rendered HTML: headings split the file into
sections, fences carry their info string and code, and top-level bullet lists may be task
lists (multiple-choice cards). Inline parsing and the block rules we do not read are switched
off, which cuts the cost of a large deck by more than half.

An unterminated fence would swallow the rest of the file, hiding every later card. So when a
top-level fence never closes, the fence is cut just before the next line that looks like an H1
or H2, it is reported, and parsing resumes there: one bad card never hides the good ones.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

_HEADING_LINE = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")
_FALSE_OPENER_RE = re.compile(
    r"^ {0,3}`{3,}[ \t]*python[ \t]+(?:setup|expect|wrong|solution|check|starter|params)\b"
    r"[^\n`]*`",
    re.M | re.I,
)
_TASK = re.compile(r"\[([ xX])\](?:[ \t\n]+|$)")


def _markdown(front_matter: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark")
    if front_matter:
        md.use(front_matter_plugin)
    # Only headings, fences, lists and their containers matter here. Setext headings are never
    # cards, and HTML blocks, link references and rules change nothing we read, so their rules
    # are skipped: each block rule is tried at every line, and these four cost about 40%.
    md.disable(["inline", "text_join", "lheading", "html_block", "reference", "hr"])
    return md


_MD = _markdown(front_matter=True)
_MD_REST = _markdown(front_matter=False)


@dataclass(slots=True)
class Heading:
    level: int  # 1 or 2
    text: str
    line: int  # 0-based


@dataclass(slots=True)
class FenceBlock:
    info: str
    code: str
    line: int  # 0-based line of the opening fence
    end: int  # 0-based line after the fence (after its closing line when it has one)
    closed: bool


@dataclass(slots=True)
class TaskItem:
    checked: bool | None  # None: the item is not a task item
    text: str
    line: int  # 0-based


@dataclass(slots=True)
class ListBlock:
    line: int  # 0-based first line
    end: int  # 0-based line after the list
    items: list[TaskItem] = field(default_factory=list)

    @property
    def is_task_list(self) -> bool:
        return any(item.checked is not None for item in self.items)


@dataclass(slots=True)
class FrontMatterBlock:
    content: str
    line: int  # 0-based line of the opening ---
    end: int


@dataclass(slots=True)
class Blocks:
    """The file's structure, in line order."""

    front_matter: FrontMatterBlock | None = None
    headings: list[Heading] = field(default_factory=list)
    fences: list[FenceBlock] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    # 0-based lines that look like a ```python ROLE opener but are not fences, because a
    # backtick in the info string makes the line ordinary text (CommonMark)
    false_openers: list[int] = field(default_factory=list)


def _fence_closed(token: Token, lines: list[str], offset: int) -> bool:
    assert token.map is not None
    first, end = token.map[0] + offset, token.map[1] + offset
    if end - 1 <= first or end - 1 >= len(lines):
        return False
    marker = token.markup
    last = lines[end - 1].lstrip(" \t>")
    stripped = last.rstrip()
    return (
        len(stripped) >= len(marker)
        and stripped.startswith(marker)
        and stripped == marker[0] * len(stripped)
    )


def _recovery_line(lines: list[str], after: int) -> int | None:
    for i in range(after + 1, len(lines)):
        if _HEADING_LINE.match(lines[i]):
            return i
    return None


def scan(text: str, lines: list[str]) -> Blocks:
    """Tokenize ``text`` (whose lines are ``lines``) once, resuming after broken fences."""
    blocks = Blocks()
    offset = 0
    tokens = _MD.parse(text)
    while True:
        resume = _collect(tokens, lines, offset, blocks)
        if resume is None:
            break
        offset = resume
        tokens = _MD_REST.parse("\n".join(lines[resume:]))
    if "`" in text:
        blocks.false_openers = _false_openers(text, blocks.fences)
    return blocks


def _false_openers(text: str, fences: list[FenceBlock]) -> list[int]:
    """Lines such as ```` ```python wrong "use `x`" ```` outside any fence: meant as a role
    fence, but a backtick in a backtick fence's info string makes the line plain text, and
    the next ``` then opens a fence that swallows what follows."""
    found: list[int] = []
    line = 0
    pos = 0
    starts = [f.line for f in fences]
    for m in _FALSE_OPENER_RE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and fences[index].line < line < fences[index].end:
            continue  # the content of another fence, e.g. an example of the format
        found.append(line)
    return found


def _collect(tokens: list[Token], lines: list[str], offset: int, blocks: Blocks) -> int | None:
    """Add ``tokens`` (parsed from ``lines[offset:]``) to ``blocks``; return where to resume
    parsing when a top-level fence never closes, else None."""
    n = len(tokens)
    i = 0
    current_list: ListBlock | None = None
    while i < n:
        tok = tokens[i]
        kind = tok.type
        if kind == "fence" and tok.map is not None:
            closed = _fence_closed(tok, lines, offset)
            line = tok.map[0] + offset
            end = tok.map[1] + offset
            if not closed and tok.level == 0:
                resume = _recovery_line(lines, line)
                code = "\n".join(lines[line + 1 : resume if resume is not None else len(lines)])
                blocks.fences.append(
                    FenceBlock(
                        tok.info.strip(),
                        code,
                        line,
                        resume if resume is not None else len(lines),
                        False,
                    )
                )
                return resume
            blocks.fences.append(FenceBlock(tok.info.strip(), tok.content, line, end, closed))
        elif kind == "heading_open" and tok.level == 0 and tok.markup in ("#", "##"):
            assert tok.map is not None
            content = tokens[i + 1].content if i + 1 < n else ""
            blocks.headings.append(Heading(len(tok.markup), content.strip(), tok.map[0] + offset))
            i += 3
            continue
        elif kind == "bullet_list_open" and tok.level == 0 and tok.map is not None:
            current_list = ListBlock(tok.map[0] + offset, tok.map[1] + offset)
            blocks.lists.append(current_list)
        elif kind == "bullet_list_close" and tok.level == 0:
            current_list = None
        elif (
            kind == "list_item_open"
            and tok.level == 1
            and current_list is not None
            and tok.map is not None
        ):
            text = ""
            if i + 2 < n and tokens[i + 1].type == "paragraph_open":
                text = tokens[i + 2].content
            m = _TASK.match(text)
            if m:
                current_list.items.append(
                    TaskItem(m.group(1) != " ", text[m.end() :].strip(), tok.map[0] + offset)
                )
            else:
                current_list.items.append(TaskItem(None, text.strip(), tok.map[0] + offset))
        elif kind == "front_matter" and tok.map is not None and offset == 0:
            blocks.front_matter = FrontMatterBlock(tok.content, tok.map[0], tok.map[1])
        i += 1
    return None
