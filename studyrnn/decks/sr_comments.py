"""Obsidian Spaced Repetition's scheduling comments, read: ``<!--SR:!2024-03-02,4,270-->``.

The plugin writes one comment after each card, holding one segment per card the note makes
(a cloze note's blanks in order, a reversed card's two directions, forward first):

- ``!2024-03-02,4,270``: SM-2, as the plugin schedules by default: the due day, the interval in
  days that led to it, and the ease in percent (older versions wrote it without the ``!``,
  and some dates as ``DD-MM-YYYY`` or ``Sat Mar 02 2024``). ``2000-01-01`` stands for a card
  never reviewed.
- ``!fsrs,DUE,INTERVAL,STABILITY,DIFFICULTY,STATE,REPS,LAPSES,STEPS,LAST``: FSRS, when the
  learner chose it: the memory state itself, with ISO timestamps.

Neither holds the answers given, only where they left the card: the day it was last reviewed
(the due day less the interval) and how well it was known. So a segment becomes a schedule,
never a review; ``studyrnn import obsidian`` carries it into the store (see
``engine.sr_schedules``). Each segment that cannot become one says why, in words that go
into the import's summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

COMMENT = re.compile(r"<!--SR:(.*?)-->")
NEVER_REVIEWED = date(2000, 1, 1)  # the plugin's due day for a card without a schedule
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%a %b %d %Y")
_FSRS_REVIEW = 2  # ts-fsrs's states: 0 new, 1 learning, 2 review, 3 relearning

# why a segment is not carried over
NEVER = "never reviewed in Obsidian"
LEARNING = "still in Obsidian's learning steps"
UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class Sm2Schedule:
    """An SM-2 segment: due on ``due``, given ``interval`` days on its last review."""

    due: date
    interval: float  # days
    ease: float  # percent: 250 is an ease factor of 2.5


@dataclass(frozen=True, slots=True)
class FsrsSchedule:
    """An FSRS segment of a card in review."""

    due: datetime  # aware UTC
    last_review: datetime  # aware UTC
    stability: float
    difficulty: float
    reps: int
    lapses: int


SrSchedule = Sm2Schedule | FsrsSchedule


def segments(comment: str) -> list[SrSchedule | str]:
    """Each segment of a comment's text (what is between ``<!--SR:`` and ``-->``): its
    schedule, or why it has none."""
    return [_segment(part.strip()) for part in comment.split("!") if part.strip()]


def _segment(text: str) -> SrSchedule | str:
    fields = [f.strip() for f in text.split(",")]
    try:
        if fields[0] == "fsrs":
            return _fsrs(fields)
        if len(fields) != 3:
            return UNREADABLE
        due = _date(fields[0])
        interval, ease = float(fields[1]), float(fields[2])
    except ValueError:
        return UNREADABLE
    if due == NEVER_REVIEWED:
        return NEVER
    if not (interval > 0 and ease > 0):
        return UNREADABLE
    return Sm2Schedule(due, interval, ease)


def _fsrs(fields: list[str]) -> FsrsSchedule | str:
    if len(fields) != 10:
        return UNREADABLE
    state = int(fields[5])
    if state == 0 or fields[9] == "-":
        return NEVER
    if state != _FSRS_REVIEW:
        # minutes-long steps with Obsidian's settings; studyrnn's own steps start afresh
        return LEARNING
    due, last = _timestamp(fields[1]), _timestamp(fields[9])
    stability, difficulty = float(fields[3]), float(fields[4])
    if not (stability > 0 and 1 <= difficulty <= 10) or last > due:
        return UNREADABLE
    return FsrsSchedule(due, last, stability, difficulty, int(fields[6]), int(fields[7]))


def _date(text: str) -> date:
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def _timestamp(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"a time without a zone: {text!r}")
    return moment.astimezone(UTC)
