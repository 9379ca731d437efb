"""Long ``IN (...)`` lists, cut to a size every database accepts, and the one lookup that
sync and the importers all make with them: card rows by key."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyrnn.store.models import CardRow

CHUNK = 500  # values per IN (...), well under every database's parameter limit

T = TypeVar("T")


def chunked(values: Sequence[T]) -> Iterator[list[T]]:
    """``values`` in lists of at most ``CHUNK``."""
    for start in range(0, len(values), CHUNK):
        yield list(values[start : start + CHUNK])


def rows_by_key(session: Session, keys: Sequence[str]) -> dict[str, CardRow]:
    """The store's card rows for ``keys`` (retired ones too), by key; keys with no card are
    left out."""
    out: dict[str, CardRow] = {}
    for chunk in chunked(keys):
        out.update(
            (r.key, r) for r in session.scalars(select(CardRow).where(CardRow.key.in_(chunk)))
        )
    return out
