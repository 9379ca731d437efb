"""The pre-suggested marks: tokenizing, key terms, and suggestions on the fixture deck."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyrnn.recall.marks import Mark
from studyrnn.recall.suggest import (
    RecallIndex,
    Suggestion,
    answer_text,
    common_terms,
    enough,
    key_terms,
    stem,
    suggest,
    suggest_all,
    tokenize,
)

FIXTURE = Path(__file__).parent / "fixtures" / "decks" / "rnn.md"


def fixture_cards() -> dict[str, tuple[str, str]]:
    """id -> (front, back), read from the fixture deck by hand so this test does not depend on
    the parser: the H2 text is the front, the body without metadata comments is the back."""
    cards: dict[str, tuple[str, str]] = {}
    front, body, card_id = "", [], ""
    for line in [*FIXTURE.read_text(encoding="utf-8").splitlines(), "# end"]:
        if line.startswith("#"):
            if card_id:
                cards[card_id] = (front, "\n".join(body).strip())
            front, body, card_id = (line[3:], [], "") if line.startswith("## ") else ("", [], "")
        elif line.startswith("<!-- id: "):
            card_id = line.removeprefix("<!-- id: ").removesuffix(" -->")
        elif front:
            body.append(line)
    return cards


CARDS = fixture_cards()


def test_fixture_is_read() -> None:
    assert sorted(CARDS) == [
        "lstm-forget-gate", "lstm-two-states", "rnn-feedback", "rnn-saturating",
    ]  # fmt: skip


def test_tokenize_keeps_subscripts_and_stems_plurals() -> None:
    assert tokenize("The Forget-Gates erase `c_{t-1}` and h_t; zero_grad() batches") == [
        "the", "forget", "gate", "erase", "c_t", "and", "h_t", "zero_grad", "batch",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [("gates", "gate"), ("batches", "batch"), ("activities", "activity"), ("loss", "loss"),
     ("layers", "layer"), ("goes", "go"), ("bus", "bus"), ("axis", "axis"), ("is", "is")],
)  # fmt: skip
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_answer_text_drops_why_fences_and_comments() -> None:
    back = "The answer.\n<!-- note -->\n```python\nx = 1\n```\nWhy: because."
    assert answer_text(back).split() == ["The", "answer."]


def test_key_terms_leave_out_what_the_front_gives_away() -> None:
    front, back = CARDS["lstm-forget-gate"]
    assert key_terms(front, back) == ["part", "long", "term", "state", "c_t", "erase", "f_t"]


def test_key_terms_of_a_stopword_answer_are_empty() -> None:
    assert key_terms("What does zero_grad set gradients to?", "`None`") == []


@pytest.mark.parametrize(
    ("found", "total", "ok"),
    [(0, 0, False), (1, 1, True), (1, 2, False), (2, 2, True), (2, 3, True), (1, 3, False),
     (3, 7, False), (4, 7, True)],
)  # fmt: skip
def test_enough(found: int, total: int, ok: bool) -> None:
    assert enough(found, total) is ok


RECALL = """
So LSTM outputs two things: h_t and c_t (short-term stream, and long-term stream).
The forget gate looks at the long-term state c_t and decides what to erase.
"""


def test_mentioning_key_terms_suggests_recalled_with_the_reason() -> None:
    front, back = CARDS["lstm-forget-gate"]
    got = suggest(RECALL, front, back)
    assert got.mark is Mark.RECALLED
    assert got.reason == "mentions long term state c_t, erase"
    assert got.missing == ("part", "f_t")


def test_both_states_card_is_suggested() -> None:
    front, back = CARDS["lstm-two-states"]
    got = suggest(RECALL, front, back)
    assert got.mark is Mark.RECALLED
    assert got.reason == "mentions short term, h_t, long, c_t"


def test_not_mentioning_key_terms_suggests_nothing() -> None:
    front, back = CARDS["rnn-saturating"]
    got = suggest(RECALL, front, back)
    assert got.mark is None
    assert got.reason == "mentions only output (1 of 6 key terms)"
    assert suggest("GRUs merge the two streams", front, back) == Suggestion(
        None,
        "mentions none of the key terms (nonsaturating, output, grow, step, exploding and 1 more)",
        (),
        ("nonsaturating", "output", "grow", "step", "exploding", "gradient"),
    )


def test_a_few_terms_are_not_enough_and_say_so() -> None:
    front, back = CARDS["rnn-feedback"]
    got = suggest("each neuron gets the previous output of its layer", front, back)
    assert got.mark is None
    assert got.reason == "mentions only previous, output, neuron (3 of 8 key terms)"


def test_the_learners_own_recall_text() -> None:
    """The seed notes: the learner explained feeding the layer's previous state back."""
    notes = (
        "In a multi-layered RNN each neuron gets info about its whole layer activation of past "
        "training instance, the entire previous hidden state vector, not just its own."
    )
    front, back = CARDS["rnn-feedback"]
    got = RecallIndex(notes).suggest(front, back)
    assert got.mark is Mark.RECALLED
    assert got.reason == "mentions previous hidden state vector, whole, neuron"


def test_words_common_to_many_answers_are_not_key_terms() -> None:
    """In a deck where most answers say "state", mentioning "state" proves nothing: with 20
    cards or more, a word in over 10% of the answers is left out of every card's key terms."""
    filler = [(f"Question {i}?", f"The state of unit{i} changes.") for i in range(19)]
    target = ("What is kept?", "The state x_t and y_t.")
    cards = [*filler, target]
    assert common_terms(cards) == {"state", "change"}
    got = suggest_all("the state and x_t", cards)[-1]
    assert (got.mark, got.reason) == (None, "mentions only x_t (1 of 2 key terms)")
    alone = suggest_all("the state and x_t", [target])[0]
    assert (alone.mark, alone.reason) == (Mark.RECALLED, "mentions state, x_t")


def test_few_cards_have_no_common_terms() -> None:
    assert common_terms([("q?", "state")] * 19) == frozenset()
