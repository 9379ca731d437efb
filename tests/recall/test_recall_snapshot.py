"""A snapshot of the check screen at 80x24 and 100x30, on the fixture decks, with a fixed clock:
the card list grouped by section, a suggestion with its reason, a mark with its note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from recall_helpers import settle, wait_until

from studyrnn.recall.journal import MarkRecord, Target
from studyrnn.recall.marks import Mark, Stage
from studyrnn.recall.service import RecallJournal
from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.recall import ResumeDialog
from studyrnn.ui.screens.recall_check import RecallCheckScreen

RECALL = (
    "So LSTM outputs two things: h_t and c_t (short-term stream, and long-term stream).\n"
    "The forget gate decides what to erase from the long-term state.\n"
)


@pytest.mark.parametrize(
    "size", [pytest.param((80, 24), id="80x24"), pytest.param((100, 30), id="100x30")]
)
def test_check_screen(
    snap_compare: Any,
    make_app: Callable[..., StudyApp],
    journal: RecallJournal,
    size: tuple[int, int],
) -> None:
    s = journal.start("Recall chapter 13 on RNNs", (Target("RNNs"),))
    journal.autosave(s.id, RECALL, 20 * 60_000)
    journal.update(s.id, stage=Stage.CHECK)
    journal.put_mark(
        s.id,
        MarkRecord(
            "rnn-feedback", None, "RNNs", "Recurrent neurons",
            "What does a recurrent layer feed back into itself at each time step?", 0,
            Mark.MISSED, "treated ŷ as the network output, not the layer's",
        ),
    )  # fmt: skip
    app = make_app()

    async def to_check(pilot: Any) -> None:
        await wait_until(pilot, lambda: isinstance(app.screen, ResumeDialog), "the offer")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallCheckScreen), "checking")
        await pilot.press("down")  # from the first unmarked card on to the forget gate card
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=to_check)
