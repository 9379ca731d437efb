"""Any input is safe: CRLF, a BOM, tabs, NUL, binary garbage. The parser never raises."""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyrnn.decks.blocks import scan
from studyrnn.decks.model import CardKind
from studyrnn.decks.parser import parse_text
from studyrnn.decks.text import decode

BUNDLED = Path(__file__).resolve().parents[2] / "decks"

DECK = (
    "---\ndeck: D\n---\n"
    "## Q1\n<!-- id: q1 -->\nA1\n\n"
    "## Q2 {{c1::x}}\n\n"
    "## Q3\n```python setup\nx = 1\n```\n```python expect\nx\n```\n"
    "## Q4\n```python\n```\n```python expcet\n1\n```\n"
)


def test_crlf_and_lf_give_the_same_cards_and_lines() -> None:
    lf = parse_text(DECK, "d.md")
    crlf = parse_text(DECK.replace("\n", "\r\n").encode(), "d.md")
    cr = parse_text(DECK.replace("\n", "\r").encode(), "d.md")
    assert [c.key for c in lf.cards] == ["q1", lf.cards[1].key, lf.cards[2].key]
    assert crlf.cards == lf.cards
    assert cr.cards == lf.cards
    assert [(p.line, p.code) for p in crlf.problems] == [(20, "unknown-role")]
    assert crlf.problems == lf.problems == cr.problems
    assert "\r" not in crlf.cards[2].code.setup.code  # type: ignore[union-attr]


def test_bom_is_not_a_line() -> None:
    with_bom = parse_text(b"\xef\xbb\xbf" + DECK.encode(), "d.md")
    assert with_bom.deck == "D"
    assert with_bom.cards == parse_text(DECK, "d.md").cards
    assert [p.line for p in with_bom.problems] == [20]


def test_tabs_and_nul_are_fine() -> None:
    deck = parse_text("## Q\tone\n\tindented\x00answer\n", "d.md")
    assert deck.problems == ()
    assert deck.cards[0].front == "Q\tone"
    assert deck.cards[0].kind is CardKind.BASIC


def test_not_utf8_is_reported_not_raised() -> None:
    deck = parse_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff", "img.md")
    assert [(p.line, p.code) for p in deck.problems] == [(1, "not-utf8")]


def test_empty_and_whitespace_files() -> None:
    for data in (b"", b"\n", b"   \n\t\n", b"---\n---\n"):
        deck = parse_text(data, "d.md")
        assert deck.cards == ()
        assert deck.errors == ()


def test_parsing_leaves_the_cycle_collector_as_it_found_it() -> None:
    # parse_text pauses Python's cycle collector while it runs (see _no_cycle_collection)
    assert gc.isenabled()
    parse_text(DECK, "d.md")
    parse_text(b"\xff", "bad.md")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_text(DECK, "d.md")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_parsing_makes_no_reference_cycles() -> None:
    """Why pausing the collector loses nothing: what a parse drops goes by reference count."""
    data = [(path, path.read_bytes()) for path in sorted(BUNDLED.glob("*.md"))]
    assert len(data) >= 4
    for path, raw in data:  # once first, so that caches are filled
        parse_text(raw, str(path))
    gc.collect()
    for path, raw in data:
        parse_text(raw, str(path))
    assert gc.collect() == 0


def test_huge_line_and_deep_nesting() -> None:
    assert parse_text("## Q\n" + "x" * 2_000_000, "d.md").cards[0].back.startswith("xxx")
    deck = parse_text("## Q\n" + "> " * 5000 + "deep\n" + "- " * 5000 + "x\n", "d.md")
    assert all(p.code != "internal" for p in deck.problems)


_PIECES = st.sampled_from(
    [
        "## ",
        "# ",
        "##",
        "\n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "---\n",
        "```",
        "```python ",
        "```python setup",
        "```python expect",
        '```python wrong "m"',
        "```python params\n",
        "```python solution",
        "```python check",
        "~~~",
        "setup",
        "timeout=",
        "device=cuda",
        "{{c1::",
        "{{c2::",
        "}}",
        "::",
        "{{=",
        "{{=n}}",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        "- [x] ",
        "- [ ] ",
        "- ",
        "> ",
        "<!-- id: a -->",
        "<!-- tags: a, b -->",
        "<!-- x: y -->",
        " <-> ",
        "deck: d\n",
        "tags: [",
        "n = choice([1, 2])\n",
        "n = randint(3, 1)\n",
        "Why: ",
        "\ufeff",
        "\x00",
        "é",
        "⊙",
        "x = 1",
        "h_n.shape",
        "## Q\n",
        "```\n",
        "```python expect\n",
        "```python setup\n",
        "{\n",
        "'\n",
        "```python params\nn = choice([1, 2])\n```\n",
        "{{c1::a}}",
        "{{=n!r}}",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60))
def test_markdownish_text_never_raises(pieces: list[str]) -> None:
    text = "".join(pieces)
    data = text.encode("utf-8", "surrogatepass")
    deck = parse_text(data, "p.md")
    n_lines = text.count("\r\n") + (text.count("\r") - text.count("\r\n")) + text.count("\n") + 1
    for problem in deck.problems:
        assert problem.code != "internal", problem.message
        assert 1 <= problem.line <= n_lines, (problem, n_lines)
    for card in deck.cards:
        assert 1 <= card.line <= n_lines
        assert card.front.strip()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_never_raise(data: bytes) -> None:
    deck = parse_text(data, "b.md")
    n_lines = data.count(b"\r\n") + (data.count(b"\r") - data.count(b"\r\n")) + data.count(b"\n")
    for problem in deck.problems:
        assert problem.code != "internal", problem.message
        assert 1 <= problem.line <= n_lines + 1


# --- the second property: the cards are the headings GitHub shows --------------------------

_BLOCKS = st.sampled_from(
    [
        "## Q\n",
        "## Q\nA\n",
        "## Q: with a colon\n",
        "# Section\n",
        "  ## indented a little\n",
        "    ## indented code\n",
        "##\tafter a tab\n",
        "###### H6\n",
        "text\n",
        "\n",
        "Setext\n---\n",
        "Setext\n===\n",
        "---\n",
        "***\n",
        "___\n",
        "- - -\n",
        "<!-- x -->\n",
        "<!--\n## In a comment\n-->\n",
        "<!--\n\n## After a blank, still in a comment\n\n-->\n",
        "<!-- never closed\n",
        "-->\n",
        "<details>\n",
        "<details>\n## Right under details\n</details>\n",
        "</details>\n",
        "<div>\n",
        '<img src="x.png">\n',
        "<pre>\n## In pre\n\n</pre>\n",
        "<pre>\n",
        "</pre>\n",
        "```\n## In a fence\n```\n",
        "~~~python\n## x\n~~~\n",
        "````\n```\n## Longer fence\n````\n",
        "> ## In a quote\n",
        "> quoted\n",
        "- item\n",
        "- ## In a list\n",
        "  continued\n",
        "1. one\n",
        "- [x] right\n- [ ] wrong\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "[ref]: /url\n",
        "\ufeff## after a BOM\n",
        "{{c1::x}}\n",
    ]
)
_DEEP_LIST = st.integers(1, 60).map(lambda n: "".join("  " * i + "- x\n" for i in range(n)))
_DEEP_QUOTE = st.integers(1, 60).map(lambda n: ">" * n + " x\n")
_FRONT = st.sampled_from(["", "---\ndeck: D\n---\n", "intro\n"])


def _github_h2s(text: str) -> list[tuple[int, str]]:
    """The top-level `##` headings of a full CommonMark render: every block rule on, GitHub's
    tables and front matter, and room for deep nesting."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"maxNesting": 1000}).enable("table").use(front_matter_plugin)
    tokens = md.parse(text)
    return [
        (tok.map[0], tokens[i + 1].content.strip())
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.level == 0 and tok.markup == "##" and tok.map
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FRONT, st.lists(st.one_of(_BLOCKS, _DEEP_LIST, _DEEP_QUOTE), max_size=30))
def test_cards_are_the_h2s_a_commonmark_render_shows(front: str, pieces: list[str]) -> None:
    text = decode(front + "".join(pieces))[0] or ""  # a leading BOM is no text, on GitHub too
    read = [(h.line, h.text) for h in scan(text, text.split("\n")).headings if h.level == 2]
    assert read == _github_h2s(text)
    lines = {line + 1 for line, _ in read}
    assert {card.line for card in parse_text(text, "p.md").cards} <= lines


_FENCE_PIECES = st.sampled_from(
    [
        "```\n",
        "````\n",
        "~~~\n",
        "~~~~ a\n",
        "```python expect\n",
        "  ```\n",
        "   ~~~\n",
        "    ```\n",
        "\t```\n",
        "``` x`y\n",
        "```  \n",
        "``` \t\n",
        " ``` \n",
        "`````\n",
        "x = 1\n",
        "## H\n",
        "\n",
        "- item\n",
        "  ```\n  in a list\n  ```\n",
        "> ```\n",
    ]
)
_CLOSER = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")


@settings(max_examples=300, deadline=None)
@given(st.lists(_FENCE_PIECES, max_size=25))
def test_fences_are_commonmarks_where_they_close(pieces: list[str]) -> None:
    """Top-level fences are found from where they close, without markdown-it walking their
    lines: the result must be CommonMark's, and only a fence that never closes is cut."""
    from markdown_it import MarkdownIt

    text = "".join(pieces)
    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").parse(text)
    ref = [t for t in tokens if t.type == "fence" and t.map]

    def closes(tok: Any) -> bool:
        last = tok.map[1] - 1
        m = _CLOSER.match(lines[last]) if tok.map[0] < last < len(lines) else None
        return (
            m is not None and m.group(1)[0] == tok.markup[0] and len(m.group(1)) >= len(tok.markup)
        )

    read = scan(text, lines).fences
    top = [t for t in ref if t.level == 0]
    if all(closes(t) for t in top):
        assert [(f.line, f.end, f.info, f.code) for f in read] == [
            (t.map[0], t.map[1], t.info.strip(), t.content) for t in ref
        ]
        assert all(f.closed for f in read if f.line in {t.map[0] for t in top})
    else:  # the first unclosed one is reported, wherever it is cut
        first = next(t for t in top if not closes(t))
        assert [f.closed for f in read if f.line == first.map[0]] == [False]
