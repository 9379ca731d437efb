"""Recall sessions in a real SQLite store: create, autosave, marks, resume, coverage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from recall_helpers import START, Clock

from studyrnn.errors import UsageError
from studyrnn.recall.journal import MarkRecord, Target, coverage, decks_in, format_duration
from studyrnn.recall.marks import Mark, Stage
from studyrnn.recall.service import RecallJournal

TARGETS = (Target("RNNs", "LSTM"), Target("PyTorch basics"))


def mark(key: str, m: Mark, position: int, note: str = "", deck: str = "RNNs") -> MarkRecord:
    return MarkRecord(key, None, deck, "LSTM", f"front of {key}", position, m, note)


def test_a_new_session_is_open_and_kept(any_journal: RecallJournal) -> None:
    s = any_journal.start("  recall chapter 13 ", TARGETS)
    assert (s.id, s.goal, s.targets, s.stage, s.text) == (
        1, "recall chapter 13", TARGETS, Stage.RECALL, "",
    )  # fmt: skip
    assert s.started_at == START
    assert any_journal.latest_open() == s


def test_autosave_writes_the_text_and_the_time(
    journal: RecallJournal, clock: Clock, tmp_path: Path
) -> None:
    s = journal.start("goal", TARGETS)
    clock.advance(seconds=3)
    journal.autosave(s.id, "So, chapter 13 is about RNNs.", 3000)
    # Read straight from the file with sqlite3: the text is committed, not just in a session.
    con = sqlite3.connect(tmp_path / "study.db")
    row = con.execute("select text, recall_ms, stage from recall_sessions").fetchone()
    con.close()
    assert row == ("So, chapter 13 is about RNNs.", 3000, "recall")
    assert journal.get(s.id).saved_at == START.replace(second=3)


def test_marks_are_set_changed_and_removed(any_journal: RecallJournal) -> None:
    s = any_journal.start("goal", TARGETS)
    any_journal.put_mark(s.id, mark("b", Mark.SHAKY, 1, "forgot the rest"))
    any_journal.put_mark(s.id, mark("a", Mark.RECALLED, 0))
    any_journal.put_mark(s.id, mark("a", Mark.MISSED, 0, " treated ŷ as the network output "))
    any_journal.put_mark(s.id, mark("c", Mark.SKIP, 2))
    any_journal.remove_mark(s.id, "c")
    got = any_journal.get(s.id)
    assert [(m.card_key, m.mark, m.note) for m in got.marks] == [
        ("a", Mark.MISSED, "treated ŷ as the network output"),
        ("b", Mark.SHAKY, "forgot the rest"),
    ]
    assert got.counts == {Mark.RECALLED: 0, Mark.SHAKY: 1, Mark.MISSED: 1, Mark.SKIP: 0}
    assert [m.card_key for m in got.flagged()] == ["a", "b"]


def test_the_latest_open_session_is_offered_and_abandoning_closes_it(
    any_journal: RecallJournal, clock: Clock
) -> None:
    first = any_journal.start("first", TARGETS)
    clock.advance(minutes=1)
    second = any_journal.start("second", TARGETS)
    any_journal.update(second.id, stage=Stage.CHECK)
    offered = any_journal.latest_open()
    assert offered is not None and offered.id == second.id and offered.stage is Stage.CHECK
    any_journal.abandon(second.id)
    offered = any_journal.latest_open()
    assert offered is not None and offered.id == first.id
    any_journal.update(first.id, stage=Stage.DONE, debrief="good")
    assert any_journal.latest_open() is None
    done = any_journal.get(first.id)
    assert (done.stage, done.debrief, done.finished_at) == (Stage.DONE, "good", clock.now)
    assert [s.stage for s in any_journal.all()] == [Stage.DONE, Stage.ABANDONED]


def test_an_unknown_session_is_a_usage_error(any_journal: RecallJournal) -> None:
    with pytest.raises(UsageError, match="there is no recall session 7") as info:
        any_journal.get(7)
    assert "journal list" in info.value.hint


def test_coverage_of_a_deck_across_sessions(any_journal: RecallJournal, clock: Clock) -> None:
    one = any_journal.start("one", TARGETS)
    any_journal.put_mark(one.id, mark("a", Mark.MISSED, 0))
    any_journal.put_mark(one.id, mark("b", Mark.SHAKY, 1))
    any_journal.put_mark(one.id, mark("x", Mark.RECALLED, 2, deck="PyTorch basics"))
    clock.advance(days=1)
    two = any_journal.start("two", TARGETS)
    any_journal.put_mark(two.id, mark("a", Mark.RECALLED, 0))
    any_journal.put_mark(two.id, mark("b", Mark.RECALLED, 1))
    any_journal.put_mark(two.id, mark("c", Mark.SKIP, 2))
    any_journal.start("three, no marks", TARGETS)
    sessions = any_journal.all()
    assert decks_in(sessions) == ["PyTorch basics", "RNNs"]
    rows = coverage(sessions, "RNNs")
    assert [(c.session_id, c.recalled, c.shaky, c.missed, c.skipped, c.share) for c in rows] == [
        (1, 0, 1, 1, 0, 0.0),
        (2, 2, 0, 0, 1, 1.0),
    ]


def test_target_labels_and_parsing() -> None:
    assert Target("RNNs", "LSTM").label == "RNNs › LSTM"
    assert Target.parse("RNNs › LSTM") == Target("RNNs", "LSTM")
    assert Target.parse("RNNs/LSTM") == Target("RNNs", "LSTM")
    assert Target.parse(" RNNs ") == Target("RNNs")


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "0 s"), (42_500, "42 s"), (12 * 60_000, "12 min"), (65 * 60_000, "1 h 05 min")],
)
def test_format_duration(ms: int, text: str) -> None:
    assert format_duration(ms) == text


def test_marks_map_to_ratings() -> None:
    from studyrnn.values import Rating

    assert [m.rating for m in Mark] == [Rating.GOOD, Rating.HARD, Rating.AGAIN, None]
    assert [m.symbol for m in Mark] == ["✓", "🟡", "🔴", "–"]
