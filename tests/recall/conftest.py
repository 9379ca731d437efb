"""Fixtures for the recall tests: a fixed clock and a real SQLite store in a temp folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from recall_helpers import DECKS, Clock, IdleChecker

from studyrnn.recall.service import RecallJournal
from studyrnn.ui.app import StudyApp
from studyrnn.ui.backend import Backend


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def journal(db_url: str, clock: Clock) -> Iterator[RecallJournal]:
    j = RecallJournal(db_url, clock=clock)
    yield j
    j.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_journal(
    request: pytest.FixtureRequest, db_url: str, clock: Clock, pg_url: Callable[[str], str]
) -> Iterator[RecallJournal]:
    """The journal on SQLite, and on PostgreSQL when STUDYRNN_TEST_PG_URL is set."""
    url = pg_url("recall") if request.param == "postgresql" else db_url
    j = RecallJournal(url, clock=clock)
    yield j
    j.close()


@pytest.fixture(autouse=True)
def utc_local_time(local_time_in_utc: None) -> None:
    """Every recall test sees local time in UTC, so times shown on screen are stable."""


@pytest.fixture
def make_app(
    db_url: str, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., StudyApp]]:
    """The real app on the recall fixture decks, started at the recall flow."""
    backends: list[Backend] = []
    monkeypatch.setenv("STUDYRNN_LOG_DIR", str(tmp_path / "logs"))

    def make(
        start: str = "recall",
        recall_decks: tuple[str, ...] = (),
        decks: Path = DECKS,
        real_checker: bool = False,
    ) -> StudyApp:
        backend = Backend(
            db_url,
            [decks],
            device="cpu",
            clock=clock,
            checker_factory=None if real_checker else lambda _d: IdleChecker(),
        )
        backends.append(backend)
        return StudyApp(backend, start=start, recall_decks=recall_decks)

    yield make
    for backend in backends:
        backend.close()
