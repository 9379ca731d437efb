"""Obsidian Spaced Repetition schedules (``decks.sr_comments``) onto the store's cards.

An SM-2 schedule says the card was last reviewed on its due day less its interval (rounded
to whole days, at least one, as the plugin itself reads it), and its memory state comes from
the ease and the interval as Anki derives one (``schedule.sm2``), with the FSRS parameters in
use. An FSRS schedule already is a memory state. Either way the card is due at the start of
the study day Obsidian had it due, in the learner's zone. Part of the engine facade
(``studyrnn.engine.study``); takes the caller's ``Session``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy.orm import Session

from studyrnn.decks.sr_comments import Sm2Schedule, SrSchedule
from studyrnn.engine.context import Context
from studyrnn.schedule import sm2
from studyrnn.schedule.day import StudyDay
from studyrnn.schedule.fsrs_step import DEFAULT_PARAMETERS
from studyrnn.store.schedule_import import Carried, CarryReport
from studyrnn.store.schedule_import import carry as carry_rows


def carried(schedule: SrSchedule, day: StudyDay, parameters: tuple[float, ...]) -> Carried:
    """The store's schedule for one Obsidian schedule, in the study days of ``day``."""
    if isinstance(schedule, Sm2Schedule):
        interval = max(1, int(schedule.interval + 0.5))
        stability, difficulty = sm2.memory_state(parameters, schedule.ease, schedule.interval)
        return Carried(
            stability,
            difficulty,
            due=day.start(schedule.due),
            last_review=day.start(schedule.due - timedelta(days=interval)),
        )
    return Carried(
        schedule.stability,
        schedule.difficulty,
        due=day.start(day.day_of(schedule.due)),
        last_review=schedule.last_review,
        reps=schedule.reps,
        lapses=schedule.lapses,
    )


def carry(
    session: Session, context: Context, schedules: Mapping[str, SrSchedule], day: StudyDay
) -> CarryReport:
    parameters = context.config.parameters or DEFAULT_PARAMETERS
    return carry_rows(session, {k: carried(s, day, parameters) for k, s in schedules.items()})
