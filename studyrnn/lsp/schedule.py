"""A card's schedule from the store, for the hover, through the engine facade.

The store is opened on the first hover and kept for the session. A SQLite store that does not
exist yet is not created: the server writes nothing, and a deck nobody studies has no
schedule to show.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyrnn.engine.study import Study


@dataclass(frozen=True, slots=True)
class Schedule:
    state: str
    due: datetime | None
    stability: float | None
    lapses: int
    reps: int
    last_verdict: str | None  # the checker's verdict of the last answer to a code card


class ScheduleLookup:
    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self._study: Study | None = None
        self._lock = threading.Lock()

    def store_exists(self) -> bool:
        from sqlalchemy.engine import make_url  # the store's imports wait for the first hover

        url = make_url(self.db_url)
        if not url.drivername.startswith("sqlite"):
            return True
        database = url.database
        return bool(database) and database != ":memory:" and Path(str(database)).is_file()

    def _open(self) -> Study | None:
        if self._study is None and self.store_exists():
            from studyrnn.engine.study import Study  # the store's imports, on first hover only

            self._study = Study(self.db_url, [])
        return self._study

    def of(self, key: str) -> Schedule | None:
        """The schedule of the card with this key, or None when the store lacks it."""
        with self._lock:
            study = self._open()
            if study is None:
                return None
            info = next((i for i in study.search(key, limit=1000) if i.card.key == key), None)
            if info is None:
                return None
            history = study.history(info.card_id)
        verdicts = [row.verdict for row in history if row.verdict]
        return Schedule(
            state=info.state,
            due=info.due,
            stability=info.stability,
            lapses=info.lapses,
            reps=info.reps,
            last_verdict=verdicts[-1] if verdicts else None,
        )

    def close(self) -> None:
        with self._lock:
            if self._study is not None:
                self._study.close()
                self._study = None
