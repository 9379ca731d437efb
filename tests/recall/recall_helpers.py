"""Helpers the recall tests share (imported by name; this folder is on sys.path)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
START = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


class Clock:
    """A clock tests move by hand: every call returns the same instant until ``advance``."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


DECKS = FIXTURES / "decks"


class IdleChecker:
    """Stands in for the code checker in tests that never run a code card, so the app does not
    spawn a torch worker for nothing. Running a card with it is a test bug."""

    def grade(self, *args: object, **kwargs: object) -> object:
        raise AssertionError("this test does not run code cards")

    def expected(self, *args: object, **kwargs: object) -> str:
        raise AssertionError("this test does not run code cards")

    def wait_ready(self) -> None:
        return None

    def close(self) -> None:
        return None


async def wait_until(
    pilot: Any, condition: Callable[[], bool], what: str, timeout: float = 40.0
) -> None:
    """Let the app run until ``condition()`` holds; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def settle(pilot: Any) -> None:
    """Let the app finish what the last key started, without a guessed delay: every pending
    message handled (a Markdown update mounts its blocks in messages), then any animation,
    then the repaint those caused."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
