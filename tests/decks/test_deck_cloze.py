"""Cloze blanks: Python braces are never blanks, brackets are counted, escapes work."""

from __future__ import annotations

import pytest

from studyrnn.decks import cloze
from studyrnn.decks.model import CardKind
from studyrnn.decks.parser import parse_text


def answers(text: str) -> list[tuple[int, str, str]]:
    blanks, errors = cloze.scan(text)
    assert errors == []
    return [(b.number, b.answer, b.hint) for b in blanks]


def test_slice_with_double_colon_is_the_answer_not_a_hint() -> None:
    assert answers("{{c1::x[::2]}}") == [(1, "x[::2]", "")]


def test_slice_then_hint() -> None:
    assert answers("{{c1::x[::2]::every other}}") == [(1, "x[::2]", "every other")]


def test_dict_literal_closes_after_its_own_brace() -> None:
    assert answers('{{c1::{"a": 1}}}') == [(1, '{"a": 1}', "")]


def test_escaped_double_colon_is_a_literal() -> None:
    assert answers("{{c1::std\\::vector}}") == [(1, "std::vector", "")]


def test_interval_with_mismatched_brackets() -> None:
    assert answers("{{c1::[0, ∞)}} and {{c2::(−1, 1]}}") == [(1, "[0, ∞)", ""), (2, "(−1, 1]", "")]


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        'f"{{x}}"',
        "{{c}}",
        "{{c1}}",
        "{{ c1::x }}",
        "{{C1::x}}",
        "{{cx::y}}",
        "\\{{c1::not a blank}}",
        "std::vector<int>",
        "d = {{1: 2}}",
    ],
)
def test_python_braces_are_never_blanks(text: str) -> None:
    assert cloze.scan(text) == ([], [])
    assert not cloze.has_opener(text)


def test_same_number_twice_is_one_card_with_two_blanks() -> None:
    deck = parse_text("## Q\n{{c1::a}} and {{c1::b}}, then {{c2::c}}\n", "d.md")
    assert deck.problems == ()
    assert [c.front for c in deck.cards] == [
        "Q\n\n[...] and [...], then c",
        "Q\n\na and b, then [...]",
    ]


def test_blank_spanning_lines_in_a_fence() -> None:
    deck = parse_text("## Q\n```python\n{{c1::def f(x):\n    return x}}\n```\n", "d.md")
    assert deck.problems == ()
    assert deck.cards[0].front == "Q\n\n```python\n[...]\n```"
    assert deck.cards[0].back == "Q\n\n```python\ndef f(x):\n    return x\n```"


def test_fstring_braces_next_to_a_blank() -> None:
    deck = parse_text('## Q\n`f"{{x}}"` formats with {{c1::format}}\n', "d.md")
    assert deck.problems == ()
    assert [c.kind for c in deck.cards] == [CardKind.CLOZE]
    assert deck.cards[0].front == 'Q\n\n`f"{{x}}"` formats with [...]'


def test_escaped_opener_beside_a_real_blank() -> None:
    deck = parse_text("## Q\nWrite `\\{{c1::` to get {{c1::a literal}}.\n", "d.md")
    assert deck.problems == ()
    assert deck.cards[0].front == "Q\n\nWrite `{{c1::` to get [...]."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{c1::a", "never closes (end it with `}}`)"),
        ("{{c1::f(x}}", "never closes (an unmatched bracket"),
        ("{{c1::}}", "empty cloze `c1`"),
        ("{{c1::::hint}}", "empty cloze `c1`"),
        ("{{c1::a {{c2::b}}}}", "a cloze blank inside a blank"),
        ("{{c1::f({{c2::b}})}}", "a cloze blank inside a blank"),
        ("{{c0::a}}", "cloze number c0 (numbers start at c1)"),
    ],
)
def test_malformed_blanks(text: str, message: str) -> None:
    _, errors = cloze.scan(text)
    assert errors and message in errors[0].message
    assert errors[0].offset == 0


def test_numbering_gap() -> None:
    assert cloze.numbering_gap({1, 2, 3}) is None
    assert cloze.numbering_gap({1, 3}) == 2
    assert cloze.numbering_gap({2}) == 1
