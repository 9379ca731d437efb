"""`review --plain` does not end while learning steps are due later today: a step due within
the learn-ahead limit comes early and says so, as in the app; a later one is announced, and
Enter waits for it. Piped input, a real store and a clock the test moves (the wait moves it)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any, TextIO

import pytest

from studyrnn.commands.plain import plain_review
from studyrnn.engine.study import Study
from studyrnn.values import Settings

Clock = Any  # the store tests' clock: ``clock.now``, ``clock.advance(minutes=3)``

DECK = "---\ndeck: RNNs\n---\n## What does an LSTM's forget gate decide?\nWhat to erase.\n"


@pytest.fixture
def one_card(tmp_path: Path, clock: Clock, local_time_in_utc: None) -> tuple[Study, list[float]]:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "rnn.md").write_text(DECK, encoding="utf-8")
    study = Study(f"sqlite:///{tmp_path / 'studyrnn.db'}", [decks], clock=clock, tz=UTC)
    study.sync()
    # Good on the first step: the card comes back in 60 minutes, past the learn-ahead limit
    steps = (timedelta(minutes=1), timedelta(minutes=60))
    study.save_settings(replace(Settings(), learning_steps=steps))
    return study, []


def run(study: Study, clock: Clock, answers: str, slept: list[float]) -> None:
    """The session on piped ``answers``; each wait moves the clock by what it slept."""

    def sleep(stream: TextIO, seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds=seconds)

    plain_review(study, io.StringIO(answers), "cpu", None, sleep=sleep)


def test_a_later_learning_card_is_waited_for_on_enter(
    one_card: tuple[Study, list[float]], clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    study, slept = one_card
    try:
        # 09:00: new card, Good (due 10:00, may come at 09:40); Enter waits; then Easy
        run(study, clock, "\n3\n\n\n4\n", slept)
    finally:
        study.close()
    assert capsys.readouterr().out.splitlines() == [
        "--- RNNs (new)",
        "What does an LSTM's forget gate decide?",
        "press Enter to show the answer ",
        "What to erase.",
        "rating: 1 Again (1m)  2 Hard (30m)  3 Good (1h)  4 Easy (9d); q to stop: ",
        "recorded",
        "next card at 09:40 (in 40 min); Enter to wait, q to stop ",
        "learning card 20 min early: nothing else is left",
        "--- RNNs (learning)",
        "What does an LSTM's forget gate decide?",
        "press Enter to show the answer ",
        "What to erase.",
        "rating: 1 Again (1m)  2 Hard (1h)  3 Good (2d)  4 Easy (5d); q to stop: ",
        "recorded",
        "nothing more is due today",
    ]
    assert slept == [60.0] * 40  # a minute at a time, until 09:40


def test_q_at_the_wait_ends_the_session(
    one_card: tuple[Study, list[float]], clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    study, slept = one_card
    try:
        run(study, clock, "\n3\nq\n", slept)
        assert study.counts().learning == 1  # still there, for later
    finally:
        study.close()
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == ["recorded", "next card at 09:40 (in 40 min); Enter to wait, q to stop "]
    assert slept == []


def test_a_step_within_the_learn_ahead_limit_comes_at_once(
    one_card: tuple[Study, list[float]], clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    study, slept = one_card
    try:
        study.save_settings(Settings())  # the default steps: Good comes back in 10 minutes
        run(study, clock, "\n3\n\n3\n", slept)
    finally:
        study.close()
    lines = capsys.readouterr().out.splitlines()
    assert lines[5:8] == [
        "recorded",
        "learning card 10 min early: nothing else is left",
        "--- RNNs (learning)",
    ]
    assert lines[-2:] == ["recorded", "nothing more is due today"]
    assert slept == []
