"""One FSRS step for one card, as Anki takes it.

The memory model is fsrs-rs (``fsrs_rs_python``), the code Anki itself runs: from the card's
stability and difficulty and the *study days* since its last answer it gives the next memory
state and the unrounded interval for each rating. A same-day answer (0 days) uses FSRS-6's
short-term formula. Elapsed days are ``day(now) - day(last_review)`` in the learner's study
days (``schedule.day``), never 24-hour periods, so a card answered on its due day counts its
full interval whatever the hour, and a daylight-saving change moves nothing.

Around the model, the card's state moves as in Anki's ``rslib/src/scheduler/states``:

- new and learning cards follow the learning steps (``schedule.steps``); Good on the last
  step graduates with the Good interval, Easy graduates at once with an interval longer than
  Good's;
- a review card gets Hard < Good < Easy, each at least a day past the one before, and no
  shorter than the previous interval unless FSRS shrank it (``fuzz.keep_at_least``);
- Again on a review card starts the relearning steps; Good on the last one returns it to
  review with the Good interval.

A review card is due on a study day: ``due`` is the start of that day, and the queue offers it
the whole day. Review intervals are fuzzed as Anki fuzzes them (``schedule.fuzz``), with a draw
seeded per card and review, so the buttons show exactly what the answer applies.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import fsrs_rs_python as rs

from studyrnn.schedule import fuzz, steps
from studyrnn.schedule.day import StudyDay
from studyrnn.values import Rating

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(rs.DEFAULT_PARAMETERS)


@dataclass(frozen=True, slots=True)
class Memory:
    """A card's schedule as the store keeps it (state 0 is "new")."""

    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None


@dataclass(frozen=True, slots=True)
class SchedulerConfig:
    parameters: tuple[float, ...] | None = None  # None: FSRS-6's defaults
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    day: StudyDay = field(default_factory=StudyDay)
    fuzz: bool = True  # off only to compare with reference schedules recorded without fuzz


@dataclass(frozen=True, slots=True)
class Next:
    """What one rating does: the card's new schedule and the interval shown on its button
    (whole days for a review card, the step for a learning card)."""

    memory: Memory
    interval: timedelta


@dataclass(frozen=True, slots=True)
class Days:
    """The study days of an answer and of the one before it, when the caller knows them
    (a history recorded in another time zone keeps the days it was recorded with)."""

    today: date
    last: date | None


@functools.lru_cache(maxsize=8)
def _model(parameters: tuple[float, ...]) -> rs.FSRS:
    return rs.FSRS(list(parameters))


def elapsed_days(day: StudyDay, last_review: datetime | None, now: datetime) -> int:
    """Study days from the last answer to ``now``: what FSRS was fitted on and Anki uses."""
    if last_review is None:
        return 0
    return max(0, (day.day_of(now) - day.day_of(last_review)).days)


def scheduled_days(day: StudyDay, memory: Memory) -> int:
    """The interval a review card was last given, in study days."""
    if memory.due is None or memory.last_review is None:
        return 0
    return max(0, (day.day_of(memory.due) - day.day_of(memory.last_review)).days)


class _Answer:
    """The four outcomes for one card at one moment; one fsrs-rs call serves them all."""

    def __init__(
        self,
        config: SchedulerConfig,
        card_id: int,
        reps: int,
        memory: Memory,
        now: datetime,
        days: Days | None,
    ) -> None:
        self.config, self.memory, self.now = config, memory, now
        current = None
        if memory.state != NEW and memory.stability is not None and memory.difficulty is not None:
            current = rs.MemoryState(memory.stability, memory.difficulty)
        model = _model(config.parameters or DEFAULT_PARAMETERS)
        day = config.day
        self.today = days.today if days is not None else day.day_of(now)
        last = days.last if days is not None else None
        if last is None and memory.last_review is not None:
            last = day.day_of(memory.last_review)
        elapsed = max(0, (self.today - last).days) if last is not None else 0
        self.previous = 0  # the interval a review card was last given, in study days
        if memory.due is not None and last is not None:
            self.previous = max(0, (day.day_of(memory.due) - last).days)
        self.states = model.next_states(current, config.desired_retention, elapsed)
        self.card_id, self.reps = card_id, reps

    def _state(self, rating: Rating) -> rs.ItemState:
        if rating is Rating.AGAIN:
            return self.states.again
        if rating is Rating.HARD:
            return self.states.hard
        return self.states.good if rating is Rating.GOOD else self.states.easy

    @functools.cached_property
    def draw(self) -> float | None:
        # Drawn only when a review interval is fuzzed: seeding costs more than the rest.
        return fuzz.factor(self.card_id, self.reps) if self.config.fuzz else None

    def _fuzzed(self, interval: float, minimum: int) -> int:
        maximum = max(1, self.config.maximum_interval)
        return fuzz.fuzzed(interval, min(max(minimum, 1), maximum), maximum, self.draw)

    def learning(self, rating: Rating, state: int, step: int, delay: timedelta) -> Next:
        memory = self._state(rating).memory
        after = Memory(state, step, memory.stability, memory.difficulty, self.now + delay, self.now)
        return Next(after, delay)

    def review(self, rating: Rating, days: int) -> Next:
        memory = self._state(rating).memory
        due = self.config.day.start(self.today + timedelta(days=days))
        after = Memory(REVIEW, None, memory.stability, memory.difficulty, due, self.now)
        return Next(after, timedelta(days=days))

    def graduate(self, rating: Rating) -> Next:
        """Leaving the (re)learning steps with Hard, Good or Again when no step is left."""
        interval = float(fuzz.round_half_up(self._state(rating).interval))
        return self.review(rating, self._fuzzed(max(interval, 1.0), 1))

    def graduate_easy(self) -> Next:
        good = self._fuzzed(self.states.good.interval, 1)
        easy = float(max(1, fuzz.round_half_up(self.states.easy.interval)))
        return self.review(Rating.EASY, self._fuzzed(easy, good + 1))

    def in_steps(self, rating: Rating, ladder: Sequence[timedelta], step: int, state: int) -> Next:
        """A new, learning or relearning card."""
        if rating is Rating.EASY:
            return self.graduate_easy()
        if rating is Rating.AGAIN:
            delay, to = steps.again_delay(ladder), 0
        elif rating is Rating.HARD:
            delay, to = steps.hard_delay(ladder, step), step
        else:
            delay, to = steps.good_delay(ladder, step), step + 1
        if delay is None:
            return self.graduate(rating)
        return self.learning(rating, state, to, delay)

    def passing(self) -> dict[Rating, Next]:
        """Hard, Good and Easy on a review card: each at least a day past the one before."""
        previous = self.previous
        maximum = max(1, self.config.maximum_interval)
        out: dict[Rating, Next] = {}
        floor = 0
        for rating in (Rating.HARD, Rating.GOOD, Rating.EASY):
            interval = self._state(rating).interval
            least = max(fuzz.keep_at_least(interval, previous, maximum), floor + 1)
            days = self._fuzzed(interval, least)
            out[rating] = self.review(rating, days)
            floor = days
        return out

    def one(self, rating: Rating) -> Next:
        state = self.memory.state
        if state == REVIEW:
            if rating is Rating.AGAIN:
                return self.in_steps(rating, self.config.relearning_steps, 0, RELEARNING)
            return self.passing()[rating]
        if state == RELEARNING:
            ladder, kind = self.config.relearning_steps, RELEARNING
        else:
            ladder, kind = self.config.learning_steps, LEARNING
        return self.in_steps(rating, ladder, self.memory.step or 0, kind)

    def all(self) -> dict[Rating, Next]:
        if self.memory.state == REVIEW:
            return {Rating.AGAIN: self.one(Rating.AGAIN), **self.passing()}
        return {rating: self.one(rating) for rating in Rating}


def next_states(
    config: SchedulerConfig,
    card_id: int,
    reps: int,
    memory: Memory,
    now: datetime,
    days: Days | None = None,
) -> dict[Rating, Next]:
    """What each rating would do to the card at ``now`` (aware UTC). ``days`` overrides the
    study days ``config.day`` would give ``now`` and the last review."""
    return _Answer(config, card_id, reps, memory, now, days).all()


def step(
    config: SchedulerConfig,
    card_id: int,
    reps: int,
    memory: Memory,
    rating: Rating,
    now: datetime,
    days: Days | None = None,
) -> Memory:
    """The card's schedule after answering ``rating`` at ``now`` (aware UTC): the same as
    ``next_states`` gives for that rating, without computing the others."""
    return _Answer(config, card_id, reps, memory, now, days).one(Rating(rating)).memory


def preview(
    config: SchedulerConfig, card_id: int, reps: int, memory: Memory, now: datetime
) -> dict[Rating, timedelta]:
    """The interval each rating would give, computed exactly as ``step`` computes it."""
    return {r: n.interval for r, n in next_states(config, card_id, reps, memory, now).items()}


def replay(
    config: SchedulerConfig,
    card_id: int,
    answers: Sequence[tuple[Rating, datetime]],
    days: Sequence[date] | None = None,
) -> list[tuple[Memory, Memory]]:
    """(before, after) for each answer of a history, in order: used to import a review log
    and to recompute memory states when the parameters change. ``days``, when given, are the
    answers' study days (otherwise ``config.day`` gives them)."""
    memory = Memory()
    out: list[tuple[Memory, Memory]] = []
    last: date | None = None
    for reps, (rating, when) in enumerate(answers):
        known = Days(days[reps], last) if days is not None else None
        after = step(config, card_id, reps, memory, rating, when, known)
        out.append((memory, after))
        memory = after
        last = known.today if known is not None else None
    return out


__all__ = [
    "LEARNING",
    "NEW",
    "RELEARNING",
    "REVIEW",
    "Days",
    "Memory",
    "Next",
    "SchedulerConfig",
    "elapsed_days",
    "next_states",
    "preview",
    "replay",
    "step",
]
