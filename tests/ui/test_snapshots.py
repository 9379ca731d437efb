"""Snapshots of the main screens at 80x24 and 100x30 with a fixed clock and local time in
UTC, on a temporary store of the fixture decks.

Update them with ``pytest tests/ui/test_snapshots.py --snapshot-update`` after a deliberate
change, and look at the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from studyrnn.engine.study import Study
from studyrnn.runner.verdict import CheckResult, Verdict
from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.browse import BrowseScreen
from studyrnn.ui.screens.home import HomeScreen
from studyrnn.ui.screens.review import Phase, ReviewScreen
from studyrnn.ui.screens.stats import StatsScreen
from studyrnn.ui.widgets.deck_tree import DeckTree
from studyrnn.ui.widgets.verdict_panel import VerdictPanel
from studyrnn.values import Rating

from .conftest import NOW, settle, wait_for_front, wait_until

SIZE = (100, 30)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((100, 30), id="100x30")]
SnapCompare = Callable[..., bool]


async def home_settled(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, StudyApp)
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
    tree = app.screen.query_one(DeckTree)
    await wait_until(pilot, lambda: len(tree.root.children) == 3, what="the deck tree")
    await wait_until(pilot, lambda: app.checker_state == "ready", 180, "the checker")
    await settle(pilot)


async def review_front(pilot: Pilot[Any]) -> None:
    await home_settled(pilot)
    await pilot.press("down", "enter")
    app = pilot.app
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, ReviewScreen) and app.screen.phase is Phase.FRONT,
        what="the first card",
    )
    await settle(pilot)


async def review_back(pilot: Pilot[Any]) -> None:
    await review_front(pilot)
    await pilot.press("space")
    await settle(pilot)


async def review_choice(pilot: Pilot[Any]) -> None:
    """The multiple-choice card of Basics, after the two cards before it."""
    await review_front(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    while screen.item is not None and screen.item.card.kind.value != "choice":
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.phase is Phase.ANSWER, what="the answer")
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.phase is Phase.FRONT, what="the next card")
    await wait_for_front(pilot, screen, "choice")
    await settle(pilot)


async def review_verdict(pilot: Pilot[Any]) -> None:
    """The multiple-choice card answered with one right and one wrong option: its verdict."""
    await review_choice(pilot)
    await pilot.press("a", "c", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    await wait_until(pilot, lambda: screen.phase is Phase.ANSWER, what="the verdict")
    await settle(pilot)


async def browse_shown(pilot: Pilot[Any]) -> None:
    await home_settled(pilot)
    await pilot.press("b")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), what="Browse")
    table = app.screen.query_one("#cards")
    await wait_until(pilot, lambda: table.row_count == 6, what="the cards")  # type: ignore[attr-defined]
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_home(
    snap_compare: SnapCompare, make_app: Callable[..., StudyApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=home_settled)


@pytest.mark.parametrize("size", SIZES)
def test_review_front(
    snap_compare: SnapCompare, make_app: Callable[..., StudyApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=review_front)


@pytest.mark.parametrize("size", SIZES)
def test_review_back(
    snap_compare: SnapCompare, make_app: Callable[..., StudyApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=review_back)


@pytest.mark.parametrize("size", SIZES)
def test_review_multiple_choice(
    snap_compare: SnapCompare, make_app: Callable[..., StudyApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=review_choice)


@pytest.mark.parametrize("size", SIZES)
def test_review_after_a_verdict(
    snap_compare: SnapCompare, make_app: Callable[..., StudyApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=review_verdict)


@pytest.mark.parametrize("size", SIZES)
def test_browse(
    snap_compare: SnapCompare, make_app: Callable[..., StudyApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=browse_shown)


class VerdictHarness(App[None]):
    """The verdict panel alone, with a fixed result, so the snapshot has no timing in it."""

    CSS_PATH = str(Path(__file__).parents[2] / "studyrnn" / "ui" / "app.tcss")

    def compose(self) -> ComposeResult:
        yield Static("A parametric predict card, answered with a named mistake:")
        yield VerdictPanel("", id="verdict")

    def on_mount(self) -> None:
        result = CheckResult(
            verdict=Verdict.WRONG,
            message="the output shrinks by kernel_size - 1, not by kernel_size\n"
            "expected 33, got 32",
            elapsed_ms=12.0,
            device="cpu",
            seed=1234,
            expected="33",
            got="32",
            mistake="the output shrinks by kernel_size - 1, not by kernel_size",
            params={"k": 5, "n": 37},
        )
        self.query_one(VerdictPanel).show(result, predict=True)


def test_verdict_panel(snap_compare: SnapCompare) -> None:
    assert snap_compare(VerdictHarness(), terminal_size=SIZE)


def seed_history(db_url: str, decks: Path) -> None:
    """Three weeks of reviews before NOW, so the plots have something to draw."""
    now = [NOW - timedelta(days=21)]

    def clock() -> datetime:
        return now[0]

    study = Study(db_url, [decks], clock=clock)
    try:
        study.sync()
        ratings = [Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.HARD, Rating.EASY, Rating.GOOD]
        for day in range(21):
            now[0] = NOW - timedelta(days=21 - day, hours=-1)
            for i in range(3):
                item = study.next_card()
                if item is None:
                    break
                study.answer(
                    item.card_id,
                    ratings[(day + i) % len(ratings)],
                    duration_ms=4000,
                    seed=item.seed,
                )
    finally:
        study.close()


async def stats_shown(pilot: Pilot[Any]) -> None:
    await home_settled(pilot)
    await pilot.press("s")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), what="Stats")
    title = app.screen.query_one("#stats-title", Static)
    await wait_until(pilot, lambda: "Today:" in str(title.render()), what="the stats")
    await settle(pilot)


def test_stats(
    snap_compare: SnapCompare, make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    seed_history(db_url, decks)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=stats_shown)


async def review_back_light(pilot: Pilot[Any]) -> None:
    await review_back(pilot)
    pilot.app.theme = "textual-light"
    await settle(pilot)


def test_review_back_light_theme(
    snap_compare: SnapCompare, make_app: Callable[..., StudyApp]
) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=review_back_light)
