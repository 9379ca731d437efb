"""One markdown-it pass over a deck file, reduced to the few blocks the parser needs.

We read markdown-it's token stream, never rendered HTML: headings split the file into
sections, fences carry their info string and code, and top-level bullet lists may be task
lists (multiple-choice cards). Every block rule that can hide a heading or end a list runs
(HTML blocks and comments, thematic breaks), so the headings read as cards are the ones
GitHub shows; inline parsing and the rules that change nothing we read are switched off.

Three departures from a plain CommonMark parse, each so that one bad card never hides the
good ones:
- A top-level fence that never closes would swallow the rest of the file. It is cut just
  before the next H2 (or an H1 followed by an H2), reported, and parsing goes on there. Where
  each fence closes is found by one pass over the text before parsing, so this stays linear.
- markdown-it stops at a nesting depth and skips the rest of the *file*; here only the part
  of the too-deep container is skipped (it is text to us), and parsing goes on after it.
- A leading ``---`` block is front matter only when it is YAML that reads as a mapping (or a
  broken attempt at one); otherwise it is a thematic break and the lines under it are read.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt, rules_block
from markdown_it.common.utils import mdTrim
from markdown_it.parser_block import ParserBlock, RuleFuncBlockType
from markdown_it.rules_block import fence as _commonmark_fence
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import normalize
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from studyrnn.decks.frontmatter import TopBlock, classify_top_block

_HEADING_LINE = re.compile(r"^ {0,3}(#{1,2})(?:[ \t]|$)", re.M)
_CLOSER_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$", re.M)
_FALSE_OPENER_RE = re.compile(
    r"^ {0,3}`{3,}[ \t]*python[ \t]+(?:setup|expect|wrong|solution|check|starter|params)\b"
    r"[^\n`]*`",
    re.M | re.I,
)
_RUN_RE = re.compile(r"`+|~+")
_TASK = re.compile(r"\[([ xX])\](?:[ \t\n]+|$)")
# Past this nesting level (markdown-it counts a list as 2, a quote as 1) a container is
# skipped as text. It keeps Python's recursion well inside its limit: a few frames a level.
MAX_NESTING = 100
_PLAN = "studyrnn_fence_plan"


class _FencePlan:
    """Where fences can close and where an unclosed one is cut, from one pass over the text."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.lines = lines
        # per fence character: the closer lines, their lengths, the longest at or after each
        self.closers: dict[str, tuple[list[int], list[int], list[int]]] = {}
        if "```" in text or "~~~" in text:
            found: dict[str, list[tuple[int, int]]] = {"`": [], "~": []}
            for line, m in _line_matches(_CLOSER_LINE, text):
                found[m.group(1)[0]].append((line, len(m.group(1))))
            for char, items in found.items():
                # longest[i]: the longest closer at or after the i-th one
                longest = [n for _, n in items]
                for i in range(len(longest) - 2, -1, -1):
                    longest[i] = max(longest[i], longest[i + 1])
                lengths = [n for _, n in items]
                self.closers[char] = ([line for line, _ in items], lengths, longest)
        self.text = text
        self._headings: list[tuple[int, int]] | None = None  # found when a fence needs a cut
        self._heading_lines: list[int] = []

    def close_line(self, line: int, char: str, length: int) -> int | None:
        """Where a top-level fence opened at ``line`` with ``length`` ``char``s closes: the
        first line after it of only ``char`` (at least ``length`` of them), or None."""
        lines, lengths, longest = self.closers.get(char, ([], [], []))
        index = bisect.bisect_right(lines, line)
        if index >= len(lines) or longest[index] < length:
            return None
        while lengths[index] < length:  # the lines skipped are inside this fence
            index += 1
        return lines[index]

    def cut(self, line: int) -> int | None:
        """Where an unclosed fence opened at ``line`` ends: before the next H2, or before an
        H1 whose next non-blank line is an H2 (a lone ``# comment`` in the code is not one)."""
        if self._headings is None:
            found = _line_matches(_HEADING_LINE, self.text)
            self._headings = [(at, len(m.group(1))) for at, m in found]
            self._heading_lines = [at for at, _ in self._headings]
        index = bisect.bisect_right(self._heading_lines, line)
        for at, level in self._headings[index:]:
            if level == 2:
                return at
            following = at + 1
            while following < len(self.lines) and not self.lines[following].strip():
                following += 1
            if following < len(self.lines) and _is_h2(self.lines[following]):
                return at
        return None


def _is_h2(line: str) -> bool:
    m = _HEADING_LINE.match(line)
    return m is not None and len(m.group(1)) == 2


def _line_matches(pattern: re.Pattern[str], text: str) -> list[tuple[int, re.Match[str]]]:
    """Every match of a multi-line ``pattern`` with its 0-based line, in one pass."""
    found: list[tuple[int, re.Match[str]]] = []
    line = 0
    pos = 0
    for m in pattern.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        found.append((line, m))
    return found


def _fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """CommonMark's fence rule. At the top level, where the fence closes is already known
    (``_FencePlan``), so its lines are not walked again; and one that never closes stops
    where ``_FencePlan.cut`` says instead of at the end of the file."""
    src = state.src
    pos = state.bMarks[start] + state.tShift[start]
    char = src[pos : pos + 1]
    if char != "`" and char != "~":
        return False  # the common case, decided without a call
    plan: _FencePlan | None = state.env.get(_PLAN)
    if silent or plan is None or state.level != 0 or state.is_code_block(start):
        return _commonmark_fence(state, start, end, silent)
    length = _run(src, pos)
    info = src[pos + length : state.eMarks[start]]
    if length < 3 or (char == "`" and "`" in info):
        return False  # not a fence (a backtick in a backtick fence's info makes it text)
    close = plan.close_line(start, char, length)
    if close is None:
        cut = plan.cut(start)
        return _commonmark_fence(
            state, start, cut if cut is not None and cut < end else end, silent
        )
    if close >= end:
        return _commonmark_fence(state, start, end, silent)
    state.line = close + 1
    token = state.push("fence", "code", 0)
    token.info = info
    # as CommonMark's rule: the opener's indentation is taken off every content line
    token.content = state.getLines(start + 1, close, state.sCount[start], True)
    token.markup = src[pos : pos + length]
    token.map = [start, close + 1]
    return True


def _run(src: str, pos: int) -> int:
    """How many fence characters start at ``pos``."""
    m = _RUN_RE.match(src, pos)
    return m.end() - pos if m is not None else 0


class _Block(ParserBlock):
    """The block tokenizer, except that a container nested past ``MAX_NESTING`` is skipped
    by itself instead of the rest of the file, which is what markdown-it does. Its lines are
    those indented as much as it is, and the lazy continuation lines of a paragraph in it
    (CommonMark's rule: a less indented line that starts no block continues the paragraph)."""

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        if state.level < MAX_NESTING:
            super().tokenize(state, startLine, endLine)
            return
        line = startLine
        paragraph = False  # whether the last line read may have left a paragraph open
        while line < endLine:
            if state.isEmpty(line):
                paragraph = False
            elif state.sCount[line] >= state.blkIndent:
                paragraph = True
            elif not paragraph or _interrupts_paragraph(state, line, endLine):
                break
            line += 1
        state.line = line


def _interrupts_paragraph(state: StateBlock, line: int, end: int) -> bool:
    parent = state.parentType
    state.parentType = "paragraph"  # some rules (lists) interrupt a paragraph only sometimes
    try:
        rules = state.md.block.ruler.getRules("paragraph")
        return any(rule(state, line, end, True) for rule in rules)
    finally:
        state.parentType = parent


# The first characters that can start a block which may interrupt a paragraph: a fence, a
# quote, a rule, a list item, an HTML block, a heading. Any other line continues it.
_INTERRUPTERS = frozenset("`~>-*_+<#0123456789")


def _paragraph(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    """CommonMark's paragraph rule, minus the work that cannot matter: a line whose first
    character starts no block is never tried as the end of a paragraph. Most lines of a deck
    are prose, and each try is half a dozen rule calls."""
    src = state.src
    bmarks, tshift, emarks, scount = state.bMarks, state.tShift, state.eMarks, state.sCount
    indent = state.blkIndent
    end = state.lineMax
    terminators = state.md.block.ruler.getRules("paragraph")
    old_parent = state.parentType
    state.parentType = "paragraph"
    line = startLine + 1
    while line < end:
        pos = bmarks[line] + tshift[line]
        if pos >= emarks[line]:
            break  # a blank line
        # a line indented as code, or one a quote already checked, is a lazy continuation
        if scount[line] - indent > 3 or scount[line] < 0 or src[pos] not in _INTERRUPTERS:
            line += 1
            continue
        if _ends_paragraph(state, line, end, src[pos], terminators):
            break
        line += 1
    state.line = line
    state.parentType = old_parent
    if state.level == 0:
        return True  # a top-level paragraph is prose: only a list item's text is read
    # one token, not markdown-it's open/inline/close three: nothing renders them
    token = state.push("paragraph", "p", 0)
    token.content = mdTrim(state.getLines(startLine, line, indent, False))
    token.map = [startLine, line]
    return True


def _ends_paragraph(
    state: StateBlock, line: int, end: int, char: str, terminators: list[RuleFuncBlockType]
) -> bool:
    """Whether a rule of ``terminators`` that can start with ``char`` matches at ``line``."""
    by_char = _BY_CHAR.get(id(terminators))
    if by_char is None or by_char[0] is not terminators:
        # the chain changes only when rules are switched on or off: sorted once per chain
        by_char = (terminators, _rules_by_char(terminators))
        _BY_CHAR[id(terminators)] = by_char
    return any(rule(state, line, end, True) for rule in by_char[1][char])


def _rules_by_char(rules: list[RuleFuncBlockType]) -> dict[str, list[RuleFuncBlockType]]:
    """For each character that may start a block, the rules of ``rules`` (in order) that can
    match a line starting with it; a rule we do not know (a plugin's) is kept for all."""
    return {
        char: [rule for rule in rules if rule not in _STARTS or char in _STARTS[rule]]
        for char in _INTERRUPTERS
    }


def _heading(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    """CommonMark's ATX heading rule, giving one ``heading`` token (markup ``#``...)."""
    if state.is_code_block(startLine):
        return False
    src = state.src
    pos = state.bMarks[startLine] + state.tShift[startLine]
    maximum = state.eMarks[startLine]
    if pos >= maximum or src[pos] != "#":
        return False
    start = pos
    while pos < maximum and src[pos] == "#":
        pos += 1
    level = pos - start
    if level > 6 or (pos < maximum and src[pos] not in " \t"):
        return False
    if silent:
        return True
    # cut a closing sequence, as in `## Title ##`
    maximum = state.skipSpacesBack(maximum, pos)
    tail = state.skipCharsStrBack(maximum, "#", pos)
    if tail > pos and src[tail - 1] in " \t":
        maximum = tail
    state.line = startLine + 1
    token = state.push("heading", f"h{level}", 0)
    token.markup = "#" * level
    token.content = mdTrim(src[pos:maximum])
    token.map = [startLine, startLine + 1]
    return True


def _dispatch(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    """Tried first: a line's first character allows few kinds of block (``#`` a heading,
    ``<`` an HTML block, a backtick a fence, ``-`` a rule or a list item, a letter none), so
    only those rules and the paragraph are tried instead of the whole chain. The first line
    takes the chain: it may open front matter."""
    if silent or startLine == 0 or state.is_code_block(startLine):
        return False
    pos = state.bMarks[startLine] + state.tShift[startLine]
    char = state.src[pos : pos + 1]
    if char in _INTERRUPTERS:
        for rule in _ONLY_RULES[char]:
            if rule(state, startLine, endLine, False):
                return True
    return _paragraph(state, startLine, endLine, False)


# The characters a line must start with (after its indentation) for each rule to match it,
# as CommonMark has them.
_STARTS: dict[RuleFuncBlockType, str] = {
    _fence: "`~",
    rules_block.blockquote: ">",
    rules_block.hr: "-*_",
    rules_block.list_block: "-*+0123456789",
    rules_block.html_block: "<",
    _heading: "#",
}
# in the order of markdown-it's chain (a rule before a list item, as `- - -` is a rule)
_ONLY_RULES = _rules_by_char(list(_STARTS))
_BY_CHAR: dict[int, tuple[list[RuleFuncBlockType], dict[str, list[RuleFuncBlockType]]]] = {}


def _normalize(state: StateCore) -> None:
    """markdown-it's first rule (CRLF and NUL replaced), skipped when neither occurs: each of
    its two regex passes over a big file costs more than this test."""
    if "\r" in state.src or "\0" in state.src:
        normalize(state)


def _markdown(front_matter: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING + 10})
    md.core.ruler.at("normalize", _normalize)
    block = _Block()
    block.ruler = md.block.ruler
    md.block = block
    if front_matter:
        md.use(front_matter_plugin)
    # `at` would drop the rule's place in the chains that may interrupt a paragraph or list
    md.block.ruler.at("fence", _fence, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.at("paragraph", _paragraph)
    md.block.ruler.at("heading", _heading, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "dispatch", _dispatch)
    # Setext headings are never cards and link references change no line we read, so their
    # rules are skipped, as is all inline parsing: each block rule is tried at every line.
    md.disable(["inline", "text_join", "lheading", "reference"])
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
class HtmlBlock:
    """A top-level HTML block (a comment, ``<details>``, ``<pre>``...): what is inside it is
    raw HTML on GitHub, so a ``## `` line in it is not a heading."""

    line: int  # 0-based first line
    end: int  # 0-based line after the block
    content: str


@dataclass(slots=True)
class Blocks:
    """The file's structure, in line order."""

    front_matter: FrontMatterBlock | None = None
    headings: list[Heading] = field(default_factory=list)
    fences: list[FenceBlock] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    html: list[HtmlBlock] = field(default_factory=list)
    # 0-based lines that look like a ```python ROLE opener but are not fences, because a
    # backtick in the info string makes the line ordinary text (CommonMark)
    false_openers: list[int] = field(default_factory=list)
    # a leading `---` block that is not front matter, read as a rule: what it looked like
    top_rule: TopBlock | None = None


def _fence_closed(token: Token, lines: list[str]) -> bool:
    assert token.map is not None
    first, end = token.map
    if end - 1 <= first or end - 1 >= len(lines):
        return False
    marker = token.markup
    if marker not in lines[end - 1]:
        return False
    if token.level == 0 and _CLOSER_LINE.match(lines[end - 1]) is None:
        return False  # at the top level a closer is indented 3 spaces at most
    last = lines[end - 1].lstrip(" \t>")
    stripped = last.rstrip()
    return (
        len(stripped) >= len(marker)
        and stripped.startswith(marker)
        and stripped == marker[0] * len(stripped)
    )


def scan(text: str, lines: list[str]) -> Blocks:
    """Tokenize ``text`` (whose lines are ``lines``) once, cutting fences that never close."""
    blocks = Blocks()
    env: dict[str, Any] = {_PLAN: _FencePlan(text, lines)}
    tokens = _MD.parse(text, env)
    if tokens and tokens[0].type == "front_matter":
        verdict = classify_top_block(tokens[0].content)
        if verdict is not TopBlock.FRONT_MATTER:
            # a rule, not front matter: the lines under it are markdown, cards included
            blocks.top_rule = verdict
            tokens = _MD_REST.parse(text, env)
    _collect(tokens, lines, blocks)
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


def _collect(tokens: list[Token], lines: list[str], blocks: Blocks) -> None:
    """Add ``tokens`` (parsed from ``lines``) to ``blocks``. Fences count at any depth (a
    fence in a list is still a note's fence); the rest only at the top level."""
    current_list: ListBlock | None = None
    for i, tok in enumerate(tokens):
        kind = tok.type
        if kind == "paragraph" or (tok.map is None and kind != "bullet_list_close"):
            continue  # the most common token, and closing tokens, carry nothing we read
        if kind == "fence":
            assert tok.map is not None
            line, end = tok.map
            closed = _fence_closed(tok, lines)
            code = tok.content
            if not closed and tok.level == 0:
                code = "\n".join(lines[line + 1 : end])
            blocks.fences.append(FenceBlock(tok.info.strip(), code, line, end, closed))
        elif tok.level > 1:
            continue
        elif kind == "heading":
            if tok.level == 0 and tok.markup in ("#", "##"):
                assert tok.map is not None
                blocks.headings.append(Heading(len(tok.markup), tok.content.strip(), tok.map[0]))
        elif kind == "list_item_open":
            if tok.level == 1 and current_list is not None:
                assert tok.map is not None
                after = tokens[i + 1] if i + 1 < len(tokens) else None
                text = after.content if after is not None and after.type == "paragraph" else ""
                m = _TASK.match(text)
                if m:
                    current_list.items.append(
                        TaskItem(m.group(1) != " ", text[m.end() :].strip(), tok.map[0])
                    )
                else:
                    current_list.items.append(TaskItem(None, text.strip(), tok.map[0]))
        elif kind == "bullet_list_open" and tok.level == 0:
            assert tok.map is not None
            current_list = ListBlock(tok.map[0], tok.map[1])
            blocks.lists.append(current_list)
        elif kind == "bullet_list_close" and tok.level == 0:
            current_list = None
        elif kind == "html_block" and tok.level == 0:
            assert tok.map is not None
            blocks.html.append(HtmlBlock(tok.map[0], tok.map[1], tok.content))
        elif kind == "front_matter":
            assert tok.map is not None
            blocks.front_matter = FrontMatterBlock(tok.content, tok.map[0], tok.map[1])
