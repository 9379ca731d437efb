"""Building the SQLAlchemy engine, and the two kinds of session the engine's callers use.

SQLite is set up for "never lose an acknowledged review" and for several processes at once:
- WAL journal, so readers never block the writer and a crashed process leaves a consistent file;
- ``synchronous=NORMAL``: in WAL mode a commit is in the WAL file before it returns, so a
  killed or crashed process (``kill -9``, an exception, a closed terminal) never loses an
  acknowledged answer; only a power cut or kernel crash can roll back the last commits before
  the next checkpoint. FULL would close that gap too, at an fsync per answer (about 15 ms on
  these machines, three times the 5 ms an answer may take), so NORMAL is the choice;
- a 30 s busy timeout, and write transactions that start with ``BEGIN IMMEDIATE``, so two
  processes queue for the write lock instead of failing with "database is locked" when a read
  transaction tries to upgrade to a write;
- foreign keys on.
Nothing here runs at import time: ``make_engine`` is called when a store is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 30_000
IMMEDIATE = "studyrnn_immediate"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets the pragmas and transaction handling above."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    database = make_url(url).database
    if not database or database == ":memory:":
        # One shared connection, so every thread sees the same in-memory database (tests).
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Sessions:
    """Session factories for one engine: ``read()`` for queries, ``write()`` for changes.

    Each ``with`` block is one transaction, committed when the block ends without an error.
    A ``write()`` block holds SQLite's write lock from its first statement, so the reads it does
    before writing cannot be invalidated by another process's commit.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(**{IMMEDIATE: True})
        self._write = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write() as session, session.begin():
            yield session
