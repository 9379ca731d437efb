"""Revision 0004 (extra new cards for a day, one deck's count index) upgrades a 0003 store and
keeps every row."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from studyrnn.store.migrate import alembic_config, open_store


def test_a_0003_store_keeps_its_rows_and_gains_the_extra_new_table(tmp_path: Path) -> None:
    path = tmp_path / "studyrnn.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0003")
            conn.execute(text("INSERT INTO decks (id, name) VALUES (1, 'kept')"))
            conn.execute(text("INSERT INTO settings (key, value) VALUES ('new_per_day', '7')"))
    finally:
        engine.dispose()
    engine = open_store(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            assert conn.execute(text("SELECT name FROM decks")).scalars().all() == ["kept"]
            assert conn.execute(text("SELECT value FROM settings")).scalars().all() == ["7"]
            conn.execute(
                text("INSERT INTO extra_new (study_day, deck_id, count) VALUES (740000, 1, 5)")
            )
            assert conn.execute(text("SELECT count FROM extra_new")).scalar_one() == 5
            indexes = {i["name"] for i in inspect(conn).get_indexes("cards")}
    finally:
        engine.dispose()
    assert "ix_cards_deck_queue" in indexes
