"""Every lint error and warning, each at its exact 1-based line, and good cards kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyrnn.decks.model import Severity
from studyrnn.decks.parser import load, parse_text

E, W = Severity.ERROR, Severity.WARNING
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "decks"

GOOD = "## A good card\nIts answer.\n"  # appended to most cases: it must survive

CASES: dict[str, tuple[str, list[tuple[int, Severity, str]]]] = {
    "unterminated fence, later cards recovered": (
        "## Q\n```python\nx = 1\n\n" + GOOD,
        [(2, E, "unterminated-fence")],
    ),
    "unterminated fence at the end of the file": (
        GOOD + "## Q\n```python setup\nx = 1\n",
        [(4, E, "unterminated-fence")],
    ),
    "write card without check": (
        "## Q\n```python solution\ndef f(): pass\n```\n" + GOOD,
        [(1, E, "missing-fence")],
    ),
    "write card without solution": (
        "## Q\n```python check\ndef observe(ns, gen): pass\n```\n" + GOOD,
        [(1, E, "missing-fence")],
    ),
    "code card with only a setup": (
        "## Q\n```python setup\nx = 1\n```\n" + GOOD,
        [(1, E, "missing-fence")],
    ),
    "empty front": ("##\nAn answer.\n" + GOOD, [(1, E, "empty-front")]),
    "empty answer": ("## Q\n<!-- id: q -->\n\n" + GOOD, [(1, E, "empty-answer")]),
    "bidirectional with an empty side": ("## GRU <-> \n" + GOOD, [(1, E, "empty-front")]),
    "cloze numbering skips": (
        "## Q\n\n`{{c1::a}}`\n\n`{{c3::b}}`\n" + GOOD,
        [(5, E, "cloze-numbering")],
    ),
    "cloze numbering starts at c2": ("## Q\n{{c2::a}}\n" + GOOD, [(2, E, "cloze-numbering")]),
    "cloze never closes": ("## Q\nline\nx = {{c1::a\n\n" + GOOD, [(3, E, "malformed-cloze")]),
    "cloze with an unmatched bracket": (
        "## Q\n{{c1::x[0}}\n" + GOOD,
        [(2, E, "malformed-cloze")],
    ),
    "empty cloze": ("## Q\n{{c1::}} and {{c2::b}}\n" + GOOD, [(2, E, "malformed-cloze")]),
    "cloze inside a cloze": (
        "## Q\n{{c1::a {{c2::b}} }}\n" + GOOD,
        [(2, E, "malformed-cloze")],
    ),
    "cloze number zero": ("## Q\n{{c0::a}}\n" + GOOD, [(2, E, "malformed-cloze")]),
    "malformed cloze in the heading": ("## {{c1::a\nbody\n" + GOOD, [(1, E, "malformed-cloze")]),
    "duplicate id in one file": (
        "## A\n<!-- id: x -->\n1\n\n## B\n<!-- id: x -->\n2\n",
        [(5, E, "duplicate-id")],
    ),
    "invalid id": ("## A\n<!-- id: has space -->\n1\n" + GOOD, [(2, E, "bad-id")]),
    "invalid id after other metadata": (
        "## A\n<!-- tags: x -->\n\n<!-- id: a/b -->\n1\n" + GOOD,
        [(4, E, "bad-id")],
    ),
    "empty id": ("## A\n<!-- id: -->\n1\n" + GOOD, [(2, E, "bad-id")]),
    "invalid front matter YAML": (
        "---\ndeck: [unclosed\ntags: x\n---\n" + GOOD,
        [(3, E, "front-matter-yaml")],
    ),
    "front matter that never closes": ("---\ndeck: x\n\n" + GOOD, [(1, W, "front-matter-ignored")]),
    "front matter that is not a mapping": (
        "---\n- a\n---\n" + GOOD,
        [(1, W, "front-matter-ignored")],
    ),
    "front-matter tags of the wrong type": (
        "---\ndeck: D\ntags: {a: 1}\n---\n" + GOOD,
        [(3, E, "front-matter-value")],
    ),
    "unknown front-matter key": (
        "---\ndeck: D\ncolour: red\n---\n" + GOOD,
        [(3, W, "front-matter-key")],
    ),
    "cloze before the first card": ("Intro {{c1::text}}\n\n" + GOOD, [(1, E, "outside-card")]),
    "role fence before the first card": (
        "# Section\n\n```python expect\n1\n```\n" + GOOD,
        [(3, E, "outside-card")],
    ),
    "task list before the first card": ("- [x] a\n- [ ] b\n\n" + GOOD, [(1, E, "outside-card")]),
    "task list between an H1 and the next card": (
        GOOD + "# Part two\n\n- [x] a\n\n## Q2\nA2\n",
        [(5, E, "outside-card")],
    ),
    "unknown role": ("## Q\n```python expcet\n1\n```\n" + GOOD, [(2, E, "unknown-role")]),
    "backtick in a role fence's message": (
        '## Q\n```python expect\n1\n```\n```python wrong "not `1`"\n2\n```\n' + GOOD,
        [(5, E, "bad-fence"), (7, E, "unterminated-fence")],
    ),
    "role after a language other than python": (
        "## Q\n```python3 expect\n1\n```\n" + GOOD,
        [(2, E, "bad-fence")],
    ),
    "unknown attribute": (
        "## Q\n```python expect colour=red\n1\n```\n" + GOOD,
        [(2, E, "unknown-attribute")],
    ),
    "bad attribute value": (
        "## Q\n```python expect device=tpu\n1\n```\n" + GOOD,
        [(2, E, "bad-attribute")],
    ),
    "attribute without a value": (
        "## Q\n```python expect timeout\n1\n```\n" + GOOD,
        [(2, E, "bad-attribute")],
    ),
    "contradicting attributes": (
        "## Q\n```python setup timeout=5\nx = 1\n```\n```python expect timeout=9\nx\n```\n" + GOOD,
        [(5, E, "bad-attribute")],
    ),
    "unknown metadata key": ("## Q\n<!-- idd: q -->\nA\n" + GOOD, [(2, E, "unknown-metadata")]),
    "metadata given twice": (
        "## Q\n<!-- id: a -->\n<!-- id: b -->\nA\n" + GOOD,
        [(3, E, "duplicate-metadata")],
    ),
    "predict card with a solution": (
        "## Q\n```python expect\n1\n```\n```python solution\nx = 1\n```\n" + GOOD,
        [(5, E, "mixed-kinds")],
    ),
    "predict card with an also fence": (
        "## Q\n```python expect\n1\n```\n```python also\nx = 1\n```\n" + GOOD,
        [(5, E, "mixed-kinds")],
    ),
    "wrong fence alone": (
        '## Q\n```python wrong "no"\n2\n```\n' + GOOD,
        [(1, E, "missing-fence")],
    ),
    "cloze in a code card": (
        "## Q\n\n{{c1::a}}\n```python expect\n1\n```\n" + GOOD,
        [(3, E, "mixed-kinds")],
    ),
    "bidirectional code card": (
        "## A <-> B\n```python expect\n1\n```\n" + GOOD,
        [(1, E, "mixed-kinds")],
    ),
    "two expect fences": (
        "## Q\n```python expect\n1\n```\n```python expect\n2\n```\n" + GOOD,
        [(5, E, "duplicate-fence")],
    ),
    "expect that is not an expression": (
        "## Q\n```python expect\n\nx = 1\n```\n" + GOOD,
        [(4, E, "bad-expression")],
    ),
    "expect with an unclosed brace": (
        "## Q\n```python expect\n{'a': (1,\n```\n" + GOOD,
        [(3, E, "bad-expression")],
    ),
    "empty expect fence": ("## Q\n```python expect\n```\n" + GOOD, [(2, E, "empty-fence")]),
    "wrong fence without a message": (
        "## Q\n```python expect\n1\n```\n```python wrong\n2\n```\n" + GOOD,
        [(5, E, "bad-fence")],
    ),
    "wrong fence whose message never closes": (
        '## Q\n```python expect\n1\n```\n```python wrong "oops\n2\n```\n' + GOOD,
        [(5, E, "bad-fence")],
    ),
    "choice without a right option": (
        "## Q\n- [ ] a\n- [ ] b\n" + "\n" + GOOD,
        [(2, E, "bad-choice")],
    ),
    "choice without a wrong option": ("## Q\n- [x] a\n- [x] b\n\n" + GOOD, [(2, E, "bad-choice")]),
    "choice with an empty option": ("## Q\n- [x] a\n- [ ]\n\n" + GOOD, [(3, E, "bad-choice")]),
    "choice with a plain item": ("## Q\n- [x] a\n- b\n- [ ] c\n\n" + GOOD, [(3, E, "bad-choice")]),
    "placeholder in a card without params": (
        "## Q with {{=n}}?\nA\n" + GOOD,
        [(1, E, "undefined-placeholder")],
    ),
    "undefined placeholder in a parametric card": (
        "## Q {{=n}}\n```python params\nn = 1\n```\n```python expect\nn\n```\nWith {{=m}}.\n"
        + GOOD,
        [(8, E, "undefined-placeholder")],
    ),
    "placeholder inside a runnable fence": (
        "## Q {{=n}}\n```python params\nn = 1\n```\n```python setup\nx = 1\ny = {{=n}}\n```\n"
        "```python expect\nx\n```\n" + GOOD,
        [(7, E, "placeholder-in-code")],
    ),
    "empty choice in params": (
        "## Q\n```python params\nn = 1\nm = choice([])\n```\n```python expect\nn\n```\n" + GOOD,
        [(4, E, "bad-param")],
    ),
    "param shadowing torch": (
        "## Q\n```python params\ntorch = 1\n```\n```python expect\n1\n```\n" + GOOD,
        [(3, E, "bad-param")],
    ),
    "param shadowing device": (
        "## Q\n```python params\nn = 2\ndevice = 'cuda'\n```\n```python expect\nn\n```\n" + GOOD,
        [(4, E, "bad-param")],
    ),
    "disallowed expression in params": (
        "## Q\n```python params\nn = __import__('os')\n```\n```python expect\nn\n```\n" + GOOD,
        [(3, E, "bad-param")],
    ),
    "params that fail when drawn": (
        "## Q\n```python params\nn = 1\nm = randint(5, 2)\n```\n```python expect\nn\n```\n" + GOOD,
        [(4, E, "bad-param")],
    ),
    "duplicate question in one deck": (
        "## Same question?\nA\n\n## same   QUESTION?\nB\n",
        [(4, W, "duplicate-question")],
    ),
    "H2 inside a code fence": (
        "## Q\n```markdown\nx\n## not a card\n```\n",
        [(4, W, "heading-in-fence")],
    ),
    "id after the body": ("## Q\nA\n<!-- id: q -->\n" + GOOD, [(3, W, "misplaced-metadata")]),
    "tags below a code fence": (
        "## Q\n```python expect\n1\n```\n\n<!-- tags: x -->\n" + GOOD,
        [(6, W, "misplaced-metadata")],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_problem_is_reported_at_its_line(name: str) -> None:
    src, expected = CASES[name]
    deck = parse_text(src, "d.md")
    got = [(p.line, p.severity, p.code) for p in deck.problems]
    assert got == expected
    n_lines = src.count("\n") + 1
    for problem in deck.problems:
        assert problem.path == "d.md"
        assert 1 <= problem.line <= n_lines
        assert problem.format().startswith(f"d.md:{problem.line}: {problem.severity.value}: ")
        assert "(" in problem.message  # every message carries a hint in parentheses
    if GOOD in src:
        assert "A good card" in [c.front for c in deck.cards]


def test_backtick_message_is_found_at_its_line_and_the_swallowed_cards_are_named() -> None:
    src = (
        "## Q\n```python setup\nx = 1\n```\n```python expect\nx\n```\n"  # 1-7
        '```python wrong "`x` plus one"\nx + 1\n```\n'  # 8-10: not a fence, then an opener
        "## Swallowed\nA\n"  # 11-12: inside the fence that line 10 opened
        "```\n"  # 13: closes it
        "## Kept\nB\n"
    )
    deck = parse_text(src, "d.md")
    assert [(p.line, p.code) for p in deck.problems] == [
        (8, "bad-fence"),
        (11, "heading-in-fence"),
    ]
    assert [c.front for c in deck.cards] == ["Kept"]


def test_tilde_fence_may_carry_backticks_in_its_message() -> None:
    src = '## Q\n```python expect\n1\n```\n~~~python wrong "not `1`"\n2\n~~~\n'
    deck = parse_text(src, "d.md")
    assert deck.problems == ()
    assert deck.cards[0].code is not None
    assert [w.label for w in deck.cards[0].code.wrongs] == ["not `1`"]


def test_every_error_drops_only_its_own_card() -> None:
    src, _ = CASES["write card without check"]
    deck = parse_text(src, "d.md")
    assert [c.front for c in deck.cards] == ["A good card"]


def test_warnings_keep_the_card() -> None:
    deck = parse_text("## Same?\nA\n\n## Same?\nB\n", "d.md")
    assert [c.back for c in deck.cards] == ["A", "B"]
    assert deck.cards[0].key != deck.cards[1].key
    assert deck.cards[1].key == deck.cards[0].key + "~2"


def test_an_id_after_the_body_is_a_warning_and_not_the_cards_id() -> None:
    src = "## What does a GRU merge?\nThe forget and input gates.\n<!-- id: gru-merge -->\n"
    deck = parse_text(src, "d.md")
    assert [p.format() for p in deck.problems] == [
        "d.md:3: warning: `<!-- id: ... -->` after the card's body is ignored: metadata is read "
        "only right under the `## ` heading (move this line to just under line 1)"
    ]
    assert [c.explicit_id for c in deck.cards] == [None]
    # inside a fence it is code, not metadata: the deck format's own examples show it
    shown = parse_text("## Show an id\n```markdown\n<!-- id: x -->\n```\n", "d.md")
    assert shown.problems == ()


def test_unterminated_fence_keeps_the_next_card_and_drops_its_own() -> None:
    deck = parse_text("## Q1\n```python setup\nx = 1\n## Q2\nA2\n# S\n## Q3\nA3\n", "d.md")
    assert [c.front for c in deck.cards] == ["Q2", "Q3"]
    assert [c.section for c in deck.cards] == ["", "S"]
    assert [(p.line, p.code) for p in deck.problems] == [(2, "unterminated-fence")]


def test_not_utf8_is_one_error_at_the_bad_byte() -> None:
    deck = parse_text(b"## Q\nA\n## R\n\xff\xfe bad\n", "d.md")
    assert deck.cards == ()
    assert [(p.line, p.severity, p.code) for p in deck.problems] == [(4, E, "not-utf8")]
    assert "save it as UTF-8" in deck.problems[0].message


def test_mixed_fixture_reports_every_bad_card_and_counts_the_good_ones() -> None:
    path = FIXTURES / "mixed.md"
    decks = load([path])
    p = str(path)
    assert [(x.line, x.severity, x.code) for x in decks.problems] == [
        (4, W, "front-matter-key"),
        (15, E, "empty-front"),
        (18, E, "empty-answer"),
        (26, E, "missing-fence"),
        (43, E, "unknown-role"),
        (48, E, "unknown-attribute"),
        (56, E, "cloze-numbering"),
        (59, E, "malformed-cloze"),
        (66, E, "bad-choice"),
        (69, E, "duplicate-id"),
        (75, W, "heading-in-fence"),
    ]
    assert all(x.path == p for x in decks.problems)
    assert decks.problems[9].message.startswith(f"duplicate id `good-basic`: also used at {p}:11 ")
    assert [c.front for c in decks.cards] == [
        "A good basic card",
        "Another good basic card",
        "A good predict card\n\n```python\nx = torch.zeros(2, 3)\n```",
        "A good cloze card\n\n`c_t = [...] + i_t * g_t`",
        "A good cloze card\n\n`c_t = f_t * c_prev + [...]`",
        "A good choice card\n\n- right\n- wrong",
        "An H2 in a fence",
        "The last good card",
        "both ways",
    ]
