"""What every study operation needs before it starts: the learner's settings, the FSRS
configuration they imply, and the study day; and the lookups every operation shares (a card or
a deck by id or name, with a clear error when it is not there, and "may this card be shown").

Part of the engine facade (``studyrnn.engine.study``): it combines the store with the scheduling
layer, and, like the rest of the facade's modules, takes the caller's ``Session`` and never
opens or commits one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from studyrnn.errors import UsageError
from studyrnn.schedule.day import StudyDay
from studyrnn.schedule.fsrs_step import Memory, SchedulerConfig
from studyrnn.store import settings as settings_store
from studyrnn.store.models import CardRow, Deck
from studyrnn.values import Settings


@dataclass(frozen=True, slots=True)
class Context:
    """The settings in force for one operation, read once at its start."""

    settings: Settings
    config: SchedulerConfig
    day: StudyDay

    def today(self, now: datetime) -> date:
        return self.day.day_of(now)

    def tomorrow_starts(self, now: datetime) -> datetime:
        """When the next study day begins: how long a bury lasts."""
        return self.day.end(self.day.day_of(now))


def load_context(session: Session, tz: tzinfo | None, *, fuzz: bool = True) -> Context:
    """Settings, the FSRS parameters in use (the optimizer's, else FSRS-6's defaults) and the
    study day in ``tz`` (None: the machine's time zone). ``fuzz=False`` only for comparing
    with reference schedules recorded without fuzz."""
    settings = settings_store.load(session)
    fitted = settings_store.current_parameters(session)
    day = StudyDay(settings.day_cutoff_hour, tz)
    config = SchedulerConfig(
        parameters=tuple(json.loads(fitted.parameters)) if fitted is not None else None,
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        day=day,
        fuzz=fuzz,
    )
    return Context(settings, config, day)


def card_row(session: Session, card_id: int) -> CardRow:
    row = session.get(CardRow, card_id)
    if row is None:
        raise UsageError(f"no card with id {card_id}", "ids are shown by browse and history")
    return row


def deck_id(session: Session, deck: str | None) -> int | None:
    """The id of the deck named ``deck``; None stands for every deck."""
    if deck is None:
        return None
    found = session.scalar(select(Deck.id).where(Deck.name == deck))
    if found is None:
        raise UsageError(f"no deck named {deck!r}", "run `studyrnn due` to see the decks")
    return found


def showable(now: datetime) -> Any:
    """The SQL condition for a card that may be shown at ``now``: still in a deck, not
    suspended, and not buried (or its bury is over)."""
    return and_(
        CardRow.retired == false(),
        CardRow.suspended == false(),
        or_(CardRow.buried_until.is_(None), CardRow.buried_until <= now),
    )


def memory(row: CardRow) -> Memory:
    """The card's schedule as the FSRS step takes it."""
    return Memory(row.state, row.step, row.stability, row.difficulty, row.due, row.last_review)
