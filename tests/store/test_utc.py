"""Datetimes come back from the store aware and in ``datetime.timezone.utc`` (fsrs accepts
nothing else), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from studyrnn.store.engine import Sessions
from studyrnn.store.migrate import open_store
from studyrnn.store.models import DeckFile


def test_datetimes_round_trip_as_utc(db_url: str) -> None:
    engine = open_store(db_url)
    sessions = Sessions(engine)
    berlin_noon = datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    try:
        with sessions.write() as session:
            session.add(
                DeckFile(path="/a.md", digest="0" * 64, problems="[]", synced_at=berlin_noon)
            )
        with sessions.read() as session:
            stored = session.scalar(select(DeckFile.synced_at))
        assert stored == datetime(2026, 7, 1, 10, 0, 0, 123456, tzinfo=UTC)
        assert stored is not None and stored.tzinfo is UTC
        with pytest.raises(StatementError, match="naive datetime"), sessions.write() as session:
            session.add(
                DeckFile(
                    path="/b.md", digest="0" * 64, problems="[]", synced_at=datetime(2026, 1, 1)
                )
            )
    finally:
        engine.dispose()


def test_a_reviewed_card_reads_back_in_utc(make_study, decks) -> None:  # type: ignore[no-untyped-def]
    from studyrnn.values import Rating

    (decks / "a.md").write_text("## What is a tensor?\nAn n-dimensional array.\n")
    study = make_study()
    study.sync()
    [cid] = study.queue()
    row = study.answer(cid, Rating.EASY, duration_ms=100)
    info = study.card_info(cid)
    reopened = make_study()  # a fresh engine reads what the first wrote
    [history] = reopened.history(cid)
    assert history.reviewed_at.tzinfo is UTC and history.due_after is not None
    assert history.due_after.tzinfo is UTC and history.due_after == row.due_after == info.due
    assert reopened.preview(cid).intervals[Rating.GOOD] > timedelta(days=1)  # fsrs accepts it
