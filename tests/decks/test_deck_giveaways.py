"""The giveaway rule (issue 14): lint warns when a card's front shows its own answer."""

from __future__ import annotations

from pathlib import Path

from studyrnn.decks.giveaways import shows
from studyrnn.decks.parser import load

RULES = Path(__file__).resolve().parent.parent / "fixtures" / "decks" / "rules"


def test_lint_warns_about_each_card_that_shows_its_answer() -> None:
    path = RULES / "giveaways.md"
    decks = load([path])
    assert [p.format() for p in decks.problems] == [
        f"{path}:5: warning: cloze card c2 gives its answer away: `sequence-to-vector` appears "
        "in its own front (the heading, the other blanks filled in, or the text before `Why:`); "
        "hide it there too, move it to the `Why:` line, or merge the blanks into one",
        f"{path}:23: warning: bidirectional card rev gives its answer away: the left side, "
        "`GELU`, appears in its own front; reword that side without it",
    ]
    assert {p.code for p in decks.problems} == {"giveaway"}
    # every card is still kept: it is a warning
    assert len(decks.cards) == 3 + 3 + 1 + 2 + 2 + 2


def test_markup_and_case_are_ignored_and_words_are_whole() -> None:
    assert shows("a `Sequence-to-VECTOR` net", "**sequence-to-vector**")
    assert shows("h_t = o_t ⊙ tanh(c_t)", "tanh")
    assert not shows("nn.CrossEntropyLoss on logits", "log")
    assert not shows("ELU_α(z)", "ELU")  # `ELU_α` is one word
    # bare values repeat without naming each other
    assert not shows("amsgrad=False, maximize=False", "False")
    assert not shows("if z < 0", "0")
    assert not shows("anything", "  ")
