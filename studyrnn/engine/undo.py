"""Undo: one stack of the learner's actions on cards (answer, bury, suspend), newest last.

Each entry holds what taking the action back needs, and ``take_back`` reverses exactly what
the action changed in the store:

- an answer: its review row is deleted and the card and the siblings it buried are restored
  from the row's ``prior`` snapshot (``engine.answers.take_back``). This is the only way a
  review row ever goes away;
- a bury: the card's ``buried_until`` goes back to what it was;
- a suspend (or unsuspend): the card's ``suspended`` flag goes back to what it was.

The stack lives in memory, for one ``Study`` (one app or one CLI session): undo takes back
what this session did, in order, never another process's answers.

Part of the engine facade (``studyrnn.engine.study``); takes the caller's ``Session``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from studyrnn.engine import answers
from studyrnn.engine.context import card_row
from studyrnn.store.models import CardRow

ANSWER, BURY, SUSPEND = "answer", "bury", "suspend"


@dataclass(frozen=True, slots=True)
class Action:
    """One undoable action. ``review_id`` for an answer; ``buried_until`` (a bury) or
    ``suspended`` (a suspend) is the card's value before the action."""

    kind: str
    card_id: int
    review_id: int | None = None
    buried_until: datetime | None = None
    suspended: bool = False


class UndoStack:
    """The actions, newest last; safe to push and pop from several threads."""

    def __init__(self) -> None:
        self._actions: list[Action] = []
        self._lock = threading.Lock()

    def push(self, action: Action) -> None:
        with self._lock:
            self._actions.append(action)

    def pop(self) -> Action | None:
        with self._lock:
            return self._actions.pop() if self._actions else None

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._actions)


def take_back(session: Session, action: Action) -> CardRow | None:
    """Reverse ``action`` in the store; the card as it is again, or None when there was
    nothing left to reverse (the review row is already gone)."""
    if action.kind == ANSWER:
        assert action.review_id is not None
        return answers.take_back(session, action.review_id)
    row = card_row(session, action.card_id)
    if action.kind == BURY:
        row.buried_until = action.buried_until
    elif action.kind == SUSPEND:
        row.suspended = action.suspended
    else:
        raise ValueError(f"unknown action {action.kind!r}")
    session.flush()
    return row
