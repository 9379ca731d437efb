"""Fixtures shared by every layer's tests: the repository root, a SQLite database URL in the
test's temp folder, local time pinned to UTC, and emptied PostgreSQL databases for the tests
that also run on the server ``.ci/run`` starts.

A folder's own conftest may override ``db_url`` (the store tests parametrise it over both
databases) and opt in to ``local_time_in_utc`` with an autouse fixture of its own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PG_ENV = "STUDYRNN_TEST_PG_URL"


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'study.db'}"


@pytest.fixture
def local_time_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time pinned to UTC, so times and local dates are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _emptied_pg_database(base_url: str, area: str) -> str:
    """A database of this area's and this xdist worker's own on the server of ``base_url``,
    created if missing and emptied: tests on two workers never meet."""
    url = make_url(base_url)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{url.database}_{area}_{worker}".replace("-", "_")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if exists is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    target = url.set(database=name)
    engine = create_engine(target, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    return target.render_as_string(hide_password=False)


@pytest.fixture
def pg_url() -> Callable[[str], str]:
    """``pg_url(area)``: the URL of an emptied PostgreSQL database for this test; the test is
    skipped when STUDYRNN_TEST_PG_URL is not set."""

    def make(area: str) -> str:
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(f"{PG_ENV} is not set (.ci/run sets it)")
        return _emptied_pg_database(base, area)

    return make
