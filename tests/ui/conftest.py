"""Fixtures for the app's tests: the fixture decks, a temporary SQLite store, a fixed clock
(in UTC, with the process's local time zone pinned to UTC so local dates are stable), and a
helper to wait for a worker's result without sleeping blindly."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from studyrnn.engine.study import Study
from studyrnn.ui.app import StudyApp
from studyrnn.ui.backend import Backend
from studyrnn.ui.screens.review import Phase, ReviewScreen
from studyrnn.ui.widgets.deck_tree import DeckTree
from studyrnn.values import ReviewRow

FIXTURES = Path(__file__).parent / "fixtures" / "decks"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc_local_time(local_time_in_utc: None) -> None:
    """Every app test sees local time in UTC, so local dates on screen are stable."""


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A private copy of the fixture decks, so a test may edit them."""
    target = tmp_path / "decks"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def make_app(
    decks: Path, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., StudyApp]]:
    """Build the real app on the fixture decks; every backend is closed after the test."""
    backends: list[Backend] = []
    monkeypatch.setenv("STUDYRNN_LOG_DIR", str(tmp_path / "logs"))

    def make(
        start: str = "home",
        paths: list[Path] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> StudyApp:
        backend = Backend(db_url, paths or [decks], device="cpu", clock=clock or (lambda: NOW))
        backends.append(backend)
        return StudyApp(backend, start=start)

    yield make
    for backend in backends:
        backend.close()


async def wait_until(
    pilot: Pilot[None],
    condition: Callable[[], bool],
    timeout: float = 30.0,
    what: str = "the condition",
) -> None:
    """Let the app run until ``condition()`` holds; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            app = pilot.app
            workers = [(w.name, w.state.name) for w in app.workers]
            raise AssertionError(
                f"timed out waiting for {what}; screens {app.screen_stack}, workers {workers}"
            )
        await pilot.pause(0.05)


async def settle(pilot: Pilot[None]) -> None:
    """Let the app finish what the last key started, without a guessed delay: every pending
    message handled (a Markdown update mounts its blocks in messages), then any animation,
    then the repaint those caused."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def open_deck(pilot: Pilot[None], app: StudyApp, deck: str) -> ReviewScreen:
    """From Home, move the tree's cursor to ``deck`` and press Enter, as a learner would,
    then wait for the first card."""
    tree = app.screen.query_one(DeckTree)
    await wait_until(pilot, lambda: len(tree.root.children) > 0, what="the deck tree")
    names = [node.data for node in tree.root.children]
    for _ in range(names.index(deck) + 1):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), what="Review")
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    await wait_until(pilot, lambda: screen.phase is Phase.FRONT, what="the first card")
    return screen


async def wait_for_front(pilot: Pilot[None], screen: ReviewScreen, kind: str) -> None:
    """Wait until the review shows the front of a card of ``kind`` ("cloze", "choice"...)."""
    await wait_until(
        pilot,
        lambda: (
            screen.item is not None
            and screen.item.card.kind.value == kind
            and screen.phase is Phase.FRONT
        ),
        what=f"the {kind} card",
    )


def history(db_url: str, decks: Path, card_id: int) -> list[ReviewRow]:
    """The card's review log, read back through a second engine on the same file."""
    study = Study(db_url, [decks], clock=lambda: NOW)
    try:
        return study.history(card_id)
    finally:
        study.close()
