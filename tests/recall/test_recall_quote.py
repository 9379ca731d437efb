"""Each suggestion quotes the sentence of the recall text it rests on, and a plain "No" answer
gets no ✓ from a sentence that does not say no."""

from __future__ import annotations

from studyrnn.recall.marks import Mark
from studyrnn.recall.suggest import sentences, suggest

GRU_FRONT = "Does a GRU cell have an output gate?"
GRU_BACK = "No. It outputs its full state vector h_t at every time step."


def test_the_quote_is_the_sentence_that_mentions_most_key_terms() -> None:
    text = "LSTMs have gates.\nThe GRU outputs the full state vector h_t at each step!  Done."
    got = suggest(text, GRU_FRONT, GRU_BACK)
    assert got.quote == "The GRU outputs the full state vector h_t at each step!"
    assert sentences(text) == [
        "LSTMs have gates.",
        "The GRU outputs the full state vector h_t at each step!",
        "Done.",
    ]


def test_a_no_answer_needs_a_sentence_that_says_no() -> None:
    wrong = suggest("I think a GRU outputs its full state vector h_t and has an output gate too.",
                    GRU_FRONT, GRU_BACK)  # fmt: skip
    assert wrong.mark is None
    assert wrong.reason.endswith("but the answer is no and this does not say no")
    assert wrong.quote.startswith("I think a GRU outputs")
    right = suggest("A GRU has no output gate: it outputs its full state vector h_t.",
                    GRU_FRONT, GRU_BACK)  # fmt: skip
    assert right.mark is Mark.RECALLED
    assert right.quote == "A GRU has no output gate: it outputs its full state vector h_t."


def test_no_key_term_found_means_no_quote() -> None:
    assert suggest("Something else entirely.", GRU_FRONT, GRU_BACK).quote == ""
