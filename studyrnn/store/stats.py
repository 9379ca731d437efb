"""The numbers behind ``studyrnn stats`` and the app's statistics screen.

Every review row carries its study day (``reviews.study_day``, the local day after the cutoff,
fixed when it was answered), so per-day questions are plain indexed ``GROUP BY study_day``
queries that run the same on SQLite and PostgreSQL, and ``ix_reviews_day`` covers them without
reading the rows.

- True retention, over the last 30 days and per month alike, counts only the first answer to a
  card each study day (``reviews.first_of_day``, set when the answer is written), and only
  when that answer was to a card in the review state (a card in its learning steps is not a
  test of memory); Again is the only failure, as in Anki's "true retention". Cram answers are
  left out: they are drills, not tests.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, case, false, func, select, text, true
from sqlalchemy.orm import Session

from studyrnn.store.models import LEARNING, RELEARNING, REVIEW, CardRow, Review
from studyrnn.values import Rating, Source, Stats


class StudyDays(Protocol):
    """What the statistics need of the study day (``schedule.day.StudyDay`` is one); a protocol
    so that the store does not import the scheduling layer above it."""

    def day_of(self, moment: datetime) -> date: ...
    def start(self, day: date) -> datetime: ...
    def end(self, day: date) -> datetime: ...


FORECAST_DAYS = 30
HEATMAP_DAYS = 7 * 26
RETENTION_MONTHS = 12

_not_cram = Review.source != Source.CRAM.value


def per_day_counts(session: Session, first: int, last: int) -> dict[int, int]:
    rows = session.execute(
        select(Review.study_day, func.count())
        .where(Review.study_day >= first, Review.study_day <= last)
        .group_by(Review.study_day)
    )
    return {day: n for day, n in rows}


# Walks back one day at a time inside the database, each step one index lookup; the same SQL
# runs on SQLite and PostgreSQL.
STREAK_SQL = text(
    """
    WITH RECURSIVE run(day) AS (
        SELECT :start
        UNION ALL
        SELECT day - 1 FROM run
        WHERE EXISTS (SELECT 1 FROM reviews WHERE reviews.study_day = day - 1)
    )
    SELECT count(*) FROM run
    """
)


def streak(session: Session, today: int) -> int:
    """Study days in a row with at least one review, ending today (or yesterday, when today
    has none yet: the streak is not broken before the day is over)."""

    def reviewed(day: int) -> bool:
        hit = session.scalar(select(Review.id).where(Review.study_day == day).limit(1))
        return hit is not None

    start = today if reviewed(today) else today - 1
    if not reviewed(start):
        return 0
    return int(session.scalar(STREAK_SQL, {"start": start}) or 0)


def _first_answers(first: int, last: int) -> Any:
    """The answers true retention counts, from study day ``first`` to ``last`` (ordinals):
    the first answer to a card in its day (``first_of_day``, which leaves cram out), when the
    card was in review."""
    return and_(
        Review.study_day >= first,
        Review.study_day <= last,
        Review.first_of_day == true(),
        Review.state_before == REVIEW,
    )


_failed = func.sum(case((Review.rating == int(Rating.AGAIN), 1), else_=0))


def true_retention(session: Session, first: int, last: int) -> float | None:
    total, failures = session.execute(
        select(func.count(), _failed).where(_first_answers(first, last))
    ).one()
    return 1 - (failures or 0) / total if total else None


def retention_by_month(session: Session, today: date) -> tuple[tuple[str, float], ...]:
    """True retention of each of the last ``RETENTION_MONTHS`` calendar months (of study
    days), oldest first; a month without a counted answer is left out."""
    year, month = today.year, today.month - RETENTION_MONTHS + 1
    while month < 1:
        year, month = year - 1, month + 12
    first = date(year, month, 1).toordinal()
    rows = session.execute(
        select(Review.study_day, func.count(), _failed)
        .where(_first_answers(first, today.toordinal()))
        .group_by(Review.study_day)
    )
    months: dict[str, list[int]] = {}
    for day, total, failed in rows:
        slot = months.setdefault(date.fromordinal(day).strftime("%Y-%m"), [0, 0])
        slot[0] += total
        slot[1] += failed or 0
    return tuple((m, 1 - f / t) for m, (t, f) in sorted(months.items()) if t)


def forecast(
    session: Session, day: StudyDays, today: date, cards: Any = None
) -> tuple[tuple[date, int], ...]:
    """Cards due on each of the next study days; today includes the overdue ones. Each day is
    one range count on the covering queue index. ``cards`` narrows the cards (see ``compute``)."""
    scheduled = select(func.count()).where(
        true() if cards is None else cards,
        CardRow.retired == false(),
        CardRow.suspended == false(),
        CardRow.state.in_((LEARNING, REVIEW, RELEARNING)),
    )
    out = []
    for n in range(FORECAST_DAYS):
        which = today + timedelta(days=n)
        query = scheduled.where(CardRow.due < day.end(which))
        if n:
            query = query.where(CardRow.due >= day.start(which))
        out.append((which, session.scalar(query) or 0))
    return tuple(out)


def compute(
    session: Session, day: StudyDays, now: datetime, *, history: bool = True, cards: Any = None
) -> Stats:
    """All the statistics; ``history=False`` leaves out the heatmap and retention by month
    (empty tuples), which read a year of the log, for the quick ``studyrnn stats``.

    ``cards`` is the SQL condition for the cards counted (the configured decks', given by the
    engine; None: every card): it narrows the card counts (forecast, leeches), not the review
    log, which is the learner's history whichever decks are configured now."""
    today = day.day_of(now)
    t = today.toordinal()
    first_shown = t - HEATMAP_DAYS + 1 if history else t
    counts = per_day_counts(session, first_shown, t)
    mix = dict.fromkeys(Rating, 0)
    for rating, n in session.execute(
        select(Review.rating, func.count())
        .where(Review.study_day > t - 30, Review.study_day <= t, _not_cram)
        .group_by(Review.rating)
    ):
        mix[Rating(rating)] = n
    leeches = session.scalar(
        select(func.count()).where(
            true() if cards is None else cards, CardRow.leech == true(), CardRow.retired == false()
        )
    )
    return Stats(
        reviews_today=counts.get(t, 0),
        streak_days=streak(session, t),
        true_retention_30d=true_retention(session, t - 29, t),
        forecast=forecast(session, day, today, cards),
        leeches=leeches or 0,
        reviews_per_day=tuple(
            (date.fromordinal(d), counts.get(d, 0)) for d in range(first_shown, t + 1)
        )
        if history
        else (),
        retention_by_month=retention_by_month(session, today) if history else (),
        button_mix=mix,
    )
