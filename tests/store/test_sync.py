"""Sync keeps history: explicit ids, edited text, moved cards, removed and restored cards, and
files whose bytes did not change are not parsed again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studyrnn.engine.study import Study
from studyrnn.values import Rating

RNN = """---
deck: RNNs
---
# LSTM

## What does an LSTM's forget gate decide?
<!-- id: lstm-forget-gate -->
Which parts of the long-term state to erase.

## What does a GRU merge into its update gate?
The forget and input gates of an LSTM.

## Which activation squashes the LSTM's candidate state?
The hyperbolic tangent, tanh.
"""


def card_id(study: Study, text: str) -> int:
    [info] = [i for i in study.search(text) if not i.retired]
    return info.card_id


def review_once(study: Study, cid: int) -> None:
    study.answer(cid, Rating.GOOD, duration_ms=1000)


def test_first_sync_adds_and_second_is_unchanged(study: Study, decks: Path, loader: Any) -> None:
    (decks / "rnn.md").write_text(RNN)
    first = study.sync()
    assert first.summary() == "added 3, changed 0, carried over 0, retired 0, unchanged 0"
    second = study.sync()
    assert second.summary() == "added 0, changed 0, carried over 0, retired 0, unchanged 3"
    assert loader.calls == [["rnn.md"]]  # the unchanged file was not parsed again


def test_explicit_id_keeps_history_whatever_is_edited(study: Study, decks: Path) -> None:
    (decks / "rnn.md").write_text(RNN)
    study.sync()
    cid = card_id(study, "forget gate decide")
    review_once(study, cid)
    edited = RNN.replace(
        "What does an LSTM's forget gate decide?", "What is the job of the forget gate?"
    ).replace("Which parts of the long-term state to erase.", "It picks what to erase.")
    (decks / "rnn.md").write_text(edited)
    report = study.sync()
    assert report.summary() == "added 0, changed 1, carried over 0, retired 0, unchanged 2"
    assert card_id(study, "job of the forget gate") == cid
    assert [r.rating for r in study.history(cid)] == [Rating.GOOD]
    assert study.card_info(cid).reps == 1


def test_edited_text_without_id_is_carried_over(study: Study, decks: Path) -> None:
    (decks / "rnn.md").write_text(RNN)
    study.sync()
    cid = card_id(study, "GRU merge")
    review_once(study, cid)
    (decks / "rnn.md").write_text(RNN.replace("GRU merge into", "GRU merge in to"))  # a typo fix
    report = study.sync()
    assert report.summary() == "added 0, changed 0, carried over 1, retired 0, unchanged 2"
    assert card_id(study, "GRU merge in to") == cid
    assert study.card_info(cid).reps == 1
    assert len(study.history(cid)) == 1


def test_rewritten_card_in_the_same_place_is_carried_over(study: Study, decks: Path) -> None:
    (decks / "rnn.md").write_text(RNN)
    study.sync()
    cid = card_id(study, "candidate state")
    rewritten = RNN.replace(
        "Which activation squashes the LSTM's candidate state?",
        "Which squashing function shapes the candidate cell values?",
    )
    (decks / "rnn.md").write_text(rewritten)
    report = study.sync()
    assert report.carried_over == 1 and report.added == 0 and report.retired == 0
    assert card_id(study, "squashing function") == cid


def test_moved_card_keeps_its_history(study: Study, decks: Path) -> None:
    (decks / "rnn.md").write_text(RNN)
    study.sync()
    cid = card_id(study, "GRU merge")
    review_once(study, cid)
    block = (
        "## What does a GRU merge into its update gate?\nThe forget and input gates of an LSTM.\n\n"
    )
    (decks / "rnn.md").write_text(RNN.replace(block, ""))
    (decks / "gru.md").write_text("---\ndeck: RNNs\n---\n# GRU\n\n" + block)
    report = study.sync()
    assert report.summary() == "added 0, changed 1, carried over 0, retired 0, unchanged 2"
    info = study.card_info(cid)
    assert info.card.path.endswith("gru.md") and info.card.section == "GRU"
    assert info.reps == 1 and not info.retired


def test_removed_card_is_retired_and_comes_back_with_history(study: Study, decks: Path) -> None:
    (decks / "rnn.md").write_text(RNN)
    study.sync()
    cid = card_id(study, "forget gate decide")
    review_once(study, cid)
    start = RNN.index("## What does an LSTM's forget gate")
    end = RNN.index("## What does a GRU")
    (decks / "rnn.md").write_text(RNN[:start] + RNN[end:])
    removed = study.sync()
    assert removed.summary() == "added 0, changed 0, carried over 0, retired 1, unchanged 2"
    assert study.card_info(cid).retired
    assert cid not in study.queue()
    (decks / "rnn.md").write_text(RNN)
    restored = study.sync()
    assert restored.summary() == "added 1, changed 0, carried over 0, retired 0, unchanged 2"
    info = study.card_info(cid)
    assert not info.retired and info.reps == 1
    assert [r.rating for r in study.history(cid)] == [Rating.GOOD]


def test_deleted_file_retires_its_cards(study: Study, decks: Path) -> None:
    (decks / "rnn.md").write_text(RNN)
    (decks / "other.md").write_text("## One more question?\nYes.\n")
    study.sync()
    (decks / "other.md").unlink()
    report = study.sync()
    assert report.summary() == "added 0, changed 0, carried over 0, retired 1, unchanged 3"


def test_lint_errors_do_not_stop_the_valid_cards(study: Study, decks: Path) -> None:
    broken = RNN + "\n## A card with a broken fence?\n```python\nx = 1\n"
    (decks / "rnn.md").write_text(broken)
    report = study.sync()
    assert report.added == 3
    assert [p.code for p in report.problems if p.severity.value == "error"] != []
    again = study.sync()  # not parsed again, and the problems are still reported
    assert again.unchanged == 3
    assert again.problems == report.problems


def test_renaming_the_deck_keeps_the_history_of_id_less_cards(study: Study, decks: Path) -> None:
    (decks / "rnn.md").write_text(RNN)
    study.sync()
    cid = card_id(study, "GRU merge")
    review_once(study, cid)
    (decks / "rnn.md").write_text(RNN.replace("deck: RNNs", "deck: Recurrent nets"))
    report = study.sync()
    # the card with an explicit id keeps its key; the two others are carried over
    assert report.summary() == "added 0, changed 1, carried over 2, retired 0, unchanged 0"
    info = study.card_info(card_id(study, "GRU merge"))
    assert info.card_id == cid and info.card.deck == "Recurrent nets" and info.reps == 1


ID_LESS = """---
deck: RNNs
---
# LSTM

## What does an LSTM's forget gate decide?
Which parts of the long-term state to erase.

## The {{c1::hidden}} state is passed to the {{c2::next}} time step.

## GRU <-> a recurrent cell with an update gate, a reset gate and one state vector

## What does a GRU merge into its update gate?
<!-- id: gru-update-gate -->
The forget and input gates of an LSTM.
"""


def test_fix_ids_keeps_every_cards_history(study: Study, decks: Path, clock: Any) -> None:
    """``studyrnn lint --fix-ids`` turns each derived key into an explicit id: the next sync
    carries every card over (same text, same place), history and schedule included."""
    from studyrnn.decks.fix_ids import fix_ids

    deck = decks / "rnn.md"
    deck.write_text(ID_LESS)
    assert study.sync().summary() == "added 6, changed 0, carried over 0, retired 0, unchanged 0"
    before = [(info.card_id, info.card.key) for info in study.search()]
    assert [key for _, key in before] == [
        "rnns/0bb44798d2c6fb65",
        "rnns/9cb03b32f993eb0d#c1",
        "rnns/9cb03b32f993eb0d#c2",
        "rnns/6cabfab1886f2c55:fwd",
        "rnns/6cabfab1886f2c55:rev",
        "gru-update-gate",
    ]
    reviewed = before[0][0]
    study.answer(reviewed, Rating.GOOD, duration_ms=1000)
    clock.advance(minutes=10)
    study.answer(reviewed, Rating.AGAIN, duration_ms=2000)
    history = study.history(reviewed)
    schedule = study.card_info(reviewed)

    stamped = fix_ids([deck])
    assert [s.id for s in stamped.stamps] == [
        "what-does-an-lstm-s-4511",
        "the-hidden-state-is-passed-93ff",
        "gru-ca15",
    ]
    report = study.sync()
    assert report.summary() == "added 0, changed 0, carried over 5, retired 0, unchanged 1"
    after = [(info.card_id, info.card.key, info.retired) for info in study.search()]
    assert after == [
        (before[0][0], "what-does-an-lstm-s-4511", False),
        (before[1][0], "the-hidden-state-is-passed-93ff#c1", False),
        (before[2][0], "the-hidden-state-is-passed-93ff#c2", False),
        (before[3][0], "gru-ca15:fwd", False),
        (before[4][0], "gru-ca15:rev", False),
        (before[5][0], "gru-update-gate", False),
    ]
    assert len(history) == 2 and study.history(reviewed) == history
    moved = study.card_info(reviewed)
    assert moved.card.explicit_id == "what-does-an-lstm-s-4511"
    assert (moved.state, moved.due, moved.stability, moved.reps, moved.lapses) == (
        schedule.state,
        schedule.due,
        schedule.stability,
        schedule.reps,
        schedule.lapses,
    )
    assert (moved.state, moved.reps) == ("learning", 2)
    assert study.sync().summary() == "added 0, changed 0, carried over 0, retired 0, unchanged 6"
