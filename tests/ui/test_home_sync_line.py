"""Home's status line after a new deck replaced the bundled ones: at 80x24 and 100x30 it says
how many cards were added and how many are hidden, whole; the side panel says why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from studyrnn import config
from studyrnn.cli import cli
from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.home import HomeScreen
from studyrnn.ui.widgets.deck_tree import DeckTree

from .conftest import wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((100, 30), id="100x30")]


@pytest.mark.parametrize("size", SIZES)
async def test_the_sync_line_shows_what_was_added_and_hidden(
    make_app: Callable[..., StudyApp], db_url: str, tmp_path: Path, size: tuple[int, int]
) -> None:
    bundled = config.bundled_decks_dir()
    runner = CliRunner()
    first = runner.invoke(cli, ["sync", str(bundled), "--db", db_url], catch_exceptions=False)
    stored = int(first.output.split()[1].rstrip(","))  # "added N, ..."
    mine = tmp_path / "mine" / "my-topic.md"
    runner.invoke(cli, ["new", str(mine)], catch_exceptions=False)
    app = make_app(paths=[mine.parent])
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        screen = app.screen
        sync = screen.query_one("#sync-status", Static)
        await wait_until(pilot, lambda: "synced" in str(sync.render()), what="the sync")
        await pilot.pause()
        assert str(sync.render()) == f"decks synced: 9 added · {stored} cards hidden"
        # whole: the text fits its box, which ends before the checker's state
        assert sync.content_region.width >= len(str(sync.render()))
        checker = screen.query_one("#checker-status", Static)
        assert sync.content_region.right + 2 <= checker.region.x
        side = screen.query_one("#problem-list", Static)
        assert str(side.render()).splitlines()[0].startswith("bundled decks not configured")
        assert " ".join(str(side.render()).split()) == (
            f"bundled decks not configured now: {stored} cards kept in the store, hidden until "
            "configured again. No problems in the decks."
        )
        assert side.region.width > 0 and side.region.right <= size[0]
        tree = screen.query_one(DeckTree)
        assert [n.data for n in tree.root.children] == ["My topic"]
