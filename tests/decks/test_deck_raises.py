"""The ``raises`` flag: only on an expect fence, without a value."""

from __future__ import annotations

from studyrnn.decks.model import CardKind
from studyrnn.decks.parser import parse_text

CARD = "## Which exception?\n<!-- id: r -->\n```python {info}\n[1][5]\n```\n"


def problems(info: str) -> list[tuple[int, str, str]]:
    deck = parse_text(CARD.format(info=info), "decks/t.md")
    return [(p.line, p.code, p.message) for p in deck.problems]


def test_expect_raises_is_kept_on_the_fence() -> None:
    deck = parse_text(CARD.format(info="expect raises timeout=2"), "decks/t.md")
    assert deck.problems == ()
    (card,) = deck.cards
    assert card.kind is CardKind.PREDICT and card.code is not None
    assert card.code.expect is not None
    assert card.code.expect.attrs == (("raises", ""), ("timeout", "2"))
    assert card.code.timeout == 2.0


def test_raises_elsewhere_or_with_a_value_is_an_error() -> None:
    assert problems("expect raises=RuntimeError") == [
        (3, "bad-attribute", "`raises` takes no value: write it alone (`expect raises`)")
    ]
    src = "## Q?\n<!-- id: q -->\n```python setup raises\nx = 1\n```\n```python expect\nx\n```\n"
    deck = parse_text(src, "decks/t.md")
    assert [(p.line, p.code, p.message) for p in deck.problems] == [
        (3, "bad-attribute", "`raises` belongs on an expect fence (```python expect raises)")
    ]
