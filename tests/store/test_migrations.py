"""Opening a store: new, older (0001), newer, and corrupt databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from studyrnn.errors import StoreError
from studyrnn.store.base import Base
from studyrnn.store.migrate import (
    alembic_config,
    backups,
    head_revision,
    open_store,
    quick_head,
)


def revision_of(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        [(rev,)] = con.execute("SELECT version_num FROM alembic_version").fetchall()
        return str(rev)
    finally:
        con.close()


def test_an_empty_file_becomes_a_stamped_store(tmp_path: Path) -> None:
    path = tmp_path / "studyrnn.db"
    path.touch()
    engine = open_store(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            journal = conn.execute(text("PRAGMA journal_mode")).scalar()
    finally:
        engine.dispose()
    assert {"cards", "reviews", "decks", "deck_files", "settings", "fsrs_parameters"} <= tables
    assert revision_of(path) == head_revision()
    assert journal == "wal"
    assert backups(path) == []  # nothing to back up in a new store


def test_the_quick_head_is_alembics_head() -> None:
    assert quick_head() == head_revision()


def test_migrations_build_the_same_schema_as_the_models(tmp_path: Path) -> None:
    # Base.metadata holds the recall layer's tables too: store.migrate imports their models.
    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_a_0001_store_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "studyrnn.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0001")
            conn.execute(text("INSERT INTO decks (name) VALUES ('kept')"))
    finally:
        engine.dispose()
    engine = open_store(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM decks")).scalars().all()
    finally:
        engine.dispose()
    assert names == ["kept"]
    assert revision_of(path) == head_revision()
    [backup] = backups(path)
    assert backup.name.startswith("studyrnn.db.bak-0001-")
    assert revision_of(backup) == "0001"


def test_a_store_from_a_newer_studyrnn_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "studyrnn.db"
    open_store(f"sqlite:///{path}").dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{path}")
    assert str(path) in caught.value.message and "newer studyrnn" in caught.value.message
    assert revision_of(path) == "9999_future"  # left as it was


def test_a_corrupt_file_is_refused_naming_it_and_the_newest_backup(tmp_path: Path) -> None:
    path = tmp_path / "studyrnn.db"
    older = path.with_name("studyrnn.db.bak-0001-20260101T000000Z")
    newer = path.with_name("studyrnn.db.bak-0001-20260201T000000Z")
    older.write_bytes(b"old")
    newer.write_bytes(b"new")
    import os

    os.utime(older, (1_000_000, 1_000_000))
    garbage = b"this is not a database at all" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{path}")
    assert str(path) in caught.value.message
    assert str(newer) in caught.value.hint
    assert path.read_bytes() == garbage  # never overwritten


def test_a_damaged_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "studyrnn.db"
    open_store(f"sqlite:///{path}").dispose()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the header survives, the schema page does not
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{path}")
    assert str(path) in caught.value.message
    assert "no backup" in caught.value.hint
    assert path.read_bytes() == bytes(data)


def test_0003_marks_the_first_answer_of_each_card_and_day(db_url: str) -> None:
    """The upgrade to 0003 sets ``first_of_day`` on reviews already in the log: the smallest
    id of a card's answers in a study day, cram answers never."""
    engine = create_engine(db_url)
    card = {
        "key": "k", "note_key": "k", "deck_id": 1, "section": "", "kind": "basic",
        "front": "Q?", "back": "A.", "tags": "", "path": "d.md", "line": 1, "position": 0,
        "content": "{}", "retired": False, "leech": False, "state": 2, "reps": 0,
        "lapses": 0, "suspended": False,
    }  # fmt: skip
    reviews = [  # (id, card, study day, source)
        (1, 1, 100, "review"),
        (2, 1, 100, "review"),
        (3, 1, 101, "cram"),
        (4, 1, 101, "review"),
        (5, 2, 100, "recall"),
        (6, 2, 102, "cram"),
    ]
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0002")
            conn.execute(text("INSERT INTO decks (id, name) VALUES (1, 'd')"))
            for card_id in (1, 2):
                values = {**card, "id": card_id, "key": f"k{card_id}"}
                columns = ", ".join(values)
                marks = ", ".join(f":{name}" for name in values)
                conn.execute(text(f"INSERT INTO cards ({columns}) VALUES ({marks})"), values)
            for review_id, card_id, day, source in reviews:
                conn.execute(
                    text(
                        "INSERT INTO reviews (id, card_id, rating, reviewed_at, study_day,"
                        " duration_ms, source, state_before, state_after) VALUES (:id, :card,"
                        " 3, :at, :day, 0, :source, 2, 2)"
                    ),
                    {"id": review_id, "card": card_id, "at": "2026-03-02 09:00:00",
                     "day": day, "source": source},
                )  # fmt: skip
            command.upgrade(alembic_config(conn), "head")
            marked = conn.execute(text("SELECT id, first_of_day FROM reviews ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [(review_id, bool(first)) for review_id, first in marked] == [
        (1, True),
        (2, False),
        (3, False),
        (4, True),
        (5, True),
        (6, False),
    ]
