"""Fixtures for the engine's tests: a database URL on SQLite and, when STUDYRNN_TEST_PG_URL is
set, on PostgreSQL too; a clock the test moves; deck folders written by the test.

``tests/engine/conftest.py`` loads this file too, so both folders share one definition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyrnn.decks.model import DeckSet
from studyrnn.decks.parser import load
from studyrnn.engine.study import Study

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning, well after the cutoff


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_url: Callable[[str], str]) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'studyrnn.db'}"
    return pg_url("store")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'studyrnn.db'}"


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@dataclass
class CountingLoader:
    """The real parser, counting which files it was asked to parse."""

    calls: list[list[str]]

    def __call__(self, paths: Sequence[Path]) -> DeckSet:
        self.calls.append(sorted(Path(p).name for p in paths))
        return load(paths)


@pytest.fixture
def loader() -> CountingLoader:
    return CountingLoader([])


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    return folder


@pytest.fixture
def make_study(
    db_url: str, clock: Clock, decks: Path, loader: CountingLoader
) -> Iterator[Callable[[], Study]]:
    opened: list[Study] = []

    def make() -> Study:
        study = Study(db_url, [decks], clock=clock, tz=UTC, loader=loader)
        opened.append(study)
        return study

    yield make
    for study in opened:
        study.close()


@pytest.fixture
def study(make_study: Callable[[], Study]) -> Study:
    return make_study()


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path
