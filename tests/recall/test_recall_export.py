"""The exported markdown, in the learner's shape, against a golden file."""

from __future__ import annotations

from recall_helpers import GOLDEN, Clock

from studyrnn.recall.export import file_name, summary_line, to_markdown
from studyrnn.recall.journal import MarkRecord, Target
from studyrnn.recall.marks import Mark, Stage
from studyrnn.recall.service import RecallJournal

RECALL_TEXT = """So, chapter 13 is about RNNs. Imagine sequential data, where the order matters.

The issue with RNNs is that they have awfully short memory.

LSTM outputs two things: h_t and c_t (short-term stream, and long-term stream).
"""


def make_session(journal: RecallJournal, clock: Clock) -> int:
    s = journal.start(
        "Recall chapter 13 on RNNs, then the PyTorch basics.",
        (Target("RNNs", "LSTM"), Target("RNNs", "Recurrent neurons"), Target("PyTorch basics")),
    )
    clock.advance(minutes=25, seconds=10)
    journal.autosave(s.id, RECALL_TEXT, 25 * 60_000 + 10_000)
    journal.update(s.id, stage=Stage.CHECK)
    marks = [
        ("lstm-forget-gate", "RNNs", "LSTM", "What does an LSTM's forget gate decide?",
         Mark.RECALLED, ""),
        ("lstm-two-states", "RNNs", "LSTM", "The two states an LSTM cell outputs", Mark.SHAKY,
         "forgot which one is the cell state"),
        ("rnn-feedback", "RNNs", "Recurrent neurons",
         "What does a recurrent layer feed back into itself\nat each time step?", Mark.MISSED,
         "treated ŷ as the network output, not the layer's"),
        ("rnn-saturating", "RNNs", "Recurrent neurons", "Why do RNNs use saturating activations?",
         Mark.MISSED, ""),
        ("zero-grad", "PyTorch basics", "", "What does `zero_grad()` set gradients to?",
         Mark.SKIP, ""),
    ]  # fmt: skip
    for pos, (key, deck, section, front, mark, note) in enumerate(marks):
        journal.put_mark(s.id, MarkRecord(key, None, deck, section, front, pos, mark, note))
    clock.advance(minutes=7)
    journal.update(
        s.id,
        stage=Stage.DONE,
        check_ms=7 * 60_000,
        debrief="Good recall of LSTM; the recurrent feedback needs another look.",
    )
    return s.id


def test_export_matches_the_golden_file(journal: RecallJournal, clock: Clock) -> None:
    session = journal.get(make_session(journal, clock))
    assert file_name(session) == "recall-001-2026-11-29.md"
    golden = (GOLDEN / "recall-001-2026-11-29.md").read_text(encoding="utf-8")
    assert to_markdown(session) == golden


def test_summary_line_counts_each_mark(journal: RecallJournal, clock: Clock) -> None:
    session = journal.get(make_session(journal, clock))
    assert summary_line(session) == "5 cards: 1 ✓ recalled, 1 🟡 shaky, 2 🔴 missed, 1 skipped."


def test_an_empty_session_exports_its_headings(journal: RecallJournal) -> None:
    session = journal.get(journal.start("", ()).id)
    assert to_markdown(session) == (
        "# Goal\n\n\n# Debrief\n\n\n# Notes\n\n\n\n# Marks\n\n"
        "- Decks: (no decks).\n"
        "- Started 2026-11-29 09:30 UTC; 0 s (writing 0 s, checking 0 s).\n"
        "- 0 cards: 0 ✓ recalled, 0 🟡 shaky, 0 🔴 missed, 0 skipped.\n"
    )
