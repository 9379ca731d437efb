"""Reviewing plain cards end to end: reveal, answer, the log row, undo, suspend, bury."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Button, Markdown

from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.review import Phase
from studyrnn.ui.widgets.choice_list import ChoiceList
from studyrnn.ui.widgets.verdict_panel import VerdictPanel
from studyrnn.values import Rating, Source

from .conftest import NOW, history, open_deck, wait_for_front, wait_until


def markdown_text(widget: Markdown) -> str:
    return widget.source


async def test_basic_card_end_to_end(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Basics")
        assert screen.item is not None
        assert screen.item.card.key == "ui-zero-grad"
        front = screen.query_one("#front", Markdown)
        assert "zero_grad" in markdown_text(front)
        assert not screen.query_one("#back", Markdown).display

        await pilot.press("space")
        assert screen.phase is Phase.ANSWER
        back = screen.query_one("#back", Markdown)
        assert back.display and "set_to_none" in markdown_text(back)
        labels = [str(b.label) for b in screen.query("#answers Button").results(Button)]
        assert labels == ["1 Again · 1m", "2 Hard · 6m", "3 Good · 10m", "4 Easy · 9d"]

        card_id = screen.item.card_id
        await pilot.press("3")
        await wait_until(
            pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT, what="the next card"
        )
        assert screen.item is not None and screen.item.card_id != card_id

    rows = history(db_url, decks, card_id)
    assert len(rows) == 1
    row = rows[0]
    assert (row.rating, row.source, row.state_before, row.reviewed_at) == (
        Rating.GOOD,
        Source.REVIEW,
        "new",
        NOW,
    )
    assert row.verdict is None


async def test_undo_restores_the_card_and_deletes_its_row(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Basics")
        assert screen.item is not None
        card_id = screen.item.card_id
        await pilot.press("space", "1")
        await wait_until(
            pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT, what="the next card"
        )
        assert len(history(db_url, decks, card_id)) == 1
        await pilot.press("u")
        await wait_until(
            pilot, lambda: screen.done == 0 and screen.phase is Phase.FRONT, what="the undone card"
        )
        assert screen.item is not None and screen.item.card_id == card_id
        assert screen.item.state == "new"
    assert history(db_url, decks, card_id) == []


async def test_suspend_takes_the_card_out_of_the_queue(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Basics")
        assert screen.item is not None
        card_id, left = screen.item.card_id, screen.remaining
        await pilot.press("s")
        await wait_until(
            pilot,
            lambda: screen.item is not None and screen.item.card_id != card_id,
            what="the next card",
        )
        assert screen.remaining == left - 1
    from studyrnn.engine.study import Study

    from .conftest import NOW

    study = Study(db_url, [decks], clock=lambda: NOW)
    try:
        info = study.card_info(card_id)
    finally:
        study.close()
    assert info.suspended is True
    assert history(db_url, decks, card_id) == []


async def test_cloze_shows_the_hint_then_the_filled_note(make_app: Callable[..., StudyApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Basics")
        await pilot.press("space", "3")
        await wait_for_front(pilot, screen, "cloze")
        front = screen.query_one("#front", Markdown)
        assert "[forget gate times old state]" in markdown_text(front)
        await pilot.press("space")
        back = screen.query_one("#back", Markdown)
        # the blank just asked is strong, cut out of the code span around it
        assert markdown_text(back) == (
            "The LSTM cell state update\n\n`c_t = `**`f_t ⊙ c_{t-1}`**` + i_t ⊙ g_t`"
        )
        assert not front.display


async def test_multiple_choice_is_answered_with_keys(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    """Letters pick (checkboxes: this question has two right options), digits only rate, and
    the reveal marks the right options and the learner's picks in words."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Basics")
        await pilot.press("space", "3")
        await wait_until(pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT)
        await pilot.press("space", "3")
        await wait_for_front(pilot, screen, "choice")
        card_id = screen.item.card_id  # type: ignore[union-attr]
        choices = screen.query_one(ChoiceList)
        assert choices.plain == (
            "a) ☐ tanh\n"
            "b) ☐ sigmoid\n"
            "c) ☐ ReLU\n"
            "d) ☐ leaky ReLU\n"
            "\n"
            "Press a-d to pick every right one, then Enter to answer."
        )
        await pilot.press("1", "3")  # digits do not pick, and rate nothing before the answer
        assert choices.picked == set() and screen.phase is Phase.FRONT
        await pilot.press("a", "c", "b", "b")  # b picks option b here (and un-picks it)
        assert choices.plain.splitlines()[:4] == [
            "a) ☒ tanh",
            "b) ☐ sigmoid",
            "c) ☒ ReLU",
            "d) ☐ leaky ReLU",
        ]
        await pilot.press("enter")
        assert screen.phase is Phase.ANSWER
        assert screen.suggested is Rating.AGAIN
        assert choices.display
        assert choices.plain == (
            "a) ☒ tanh  ✓ right · your pick\n"
            "b) ☐ sigmoid  ✓ right\n"
            "c) ☒ ReLU  ✗ your pick, wrong\n"
            "d) ☐ leaky ReLU"
        )
        assert screen.query_one(VerdictPanel).plain == (
            "✗ You picked a, c: not quite. The right options are marked ✓ above."
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.done == 3, what="the answer")
    rows = history(db_url, decks, card_id)
    assert [r.rating for r in rows] == [Rating.AGAIN]
