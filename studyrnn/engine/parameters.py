"""The learner's review history as data: loading one from a CSV (``import-reviews``), fitting
FSRS parameters to it (``optimize``), and putting new parameters in force.

A fit is kept only when it predicts the newer, held-out reviews better than the parameters in
use by more than the noise of fitting (see ``schedule.optimizer``). Parameters are checked
against the ranges ``fsrs`` accepts before they are stored (``schedule.parameter_bounds``),
and when they change every card's stability and difficulty is recomputed from its history, in
the same transaction, as Anki does; due dates move only when the learner asks.

Part of the engine facade (``studyrnn.engine.study``); takes the caller's ``Session``, and
fitting itself runs outside any transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import groupby
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyrnn.engine.context import Context
from studyrnn.errors import UsageError
from studyrnn.schedule import fsrs_step, optimizer
from studyrnn.schedule.day import StudyDay
from studyrnn.schedule.fsrs_step import REVIEW, SchedulerConfig
from studyrnn.schedule.parameter_bounds import BadParameters, checked
from studyrnn.store import anki_history, history_import
from studyrnn.store import settings as settings_store
from studyrnn.store.history_import import ImportReport
from studyrnn.store.models import CardRow, Review
from studyrnn.values import Rating, Source


@dataclass(frozen=True, slots=True)
class Recomputed:
    """What putting new parameters in force did to the cards."""

    cards: int  # cards whose memory state was recomputed from their history
    rescheduled: int  # review cards whose due date moved (only with ``reschedule``)


@dataclass(frozen=True, slots=True)
class Optimization:
    """What ``Study.optimize`` did: the fit with both scores, whether it was kept, and what
    keeping it did to the cards (None when it was not kept)."""

    fit: optimizer.Fit
    kept: bool
    reviews: int
    recomputed: Recomputed | None = None


def import_reviews(session: Session, context: Context, path: Path, day: StudyDay) -> ImportReport:
    """Load a review history CSV, each card's answers replayed through FSRS in the study days
    of ``day``'s zone, so that its schedule is what those answers would have given."""
    config = dataclasses.replace(context.config, day=day)
    replay = partial(fsrs_step.replay, config)
    return history_import.import_reviews(session, path, replay, day.day_of, day.zone_name())


def import_anki_history(
    session: Session,
    context: Context,
    histories: Mapping[str, tuple[Sequence[tuple[int, datetime, int]], int | None, bool]],
    created: int,
    day: StudyDay,
) -> anki_history.AttachReport:
    """Attach the review histories of cards imported from Anki, keyed by studyrnn card key:
    (answers, Anki's due day number of a review card, suspended). Anki counts due days from
    its collection's creation day (``created``, epoch seconds); the answers are replayed in
    the study days of ``day``'s zone."""
    config = dataclasses.replace(context.config, day=day)
    day_zero = day.day_of(datetime.fromtimestamp(created, UTC))
    continued = {
        key: anki_history.Continued(
            [(Rating(rating), when, duration) for rating, when, duration in answers],
            day.start(day_zero + timedelta(days=due)) if due is not None else None,
            suspended,
        )
        for key, (answers, due, suspended) in histories.items()
    }
    report = anki_history.attach(session, continued, partial(fsrs_step.replay, config), day.day_of)
    return dataclasses.replace(report, zone=day.zone_name())


def answers_to_fit(session: Session) -> list[optimizer.Answer]:
    """Every answer that went through the scheduler (cram answers did not), oldest first,
    each with the study day it was recorded in."""
    rows = session.execute(
        select(Review.card_id, Review.rating, Review.reviewed_at, Review.study_day)
        .where(Review.source != Source.CRAM.value)
        .order_by(Review.reviewed_at, Review.id)
    )
    return [
        optimizer.Answer(card_id, rating, at, date.fromordinal(day))
        for card_id, rating, at, day in rows
    ]


def fit(answers: Sequence[optimizer.Answer], context: Context) -> optimizer.Fit:
    try:
        return optimizer.fit(
            answers,
            context.day.day_of,
            context.config.parameters,
            relearning_steps=len(context.settings.relearning_steps),
        )
    except optimizer.NotEnoughReviews as exc:
        raise UsageError(
            f"cannot fit FSRS parameters yet: {exc}",
            "review for a few weeks, or load a history with `studyrnn import-reviews`",
        ) from exc


def valid(parameters: Sequence[float]) -> tuple[float, ...]:
    try:
        return checked(parameters)
    except BadParameters as exc:
        raise UsageError(
            f"these FSRS parameters cannot be used: {exc}",
            "give the 21 parameters of FSRS-6, as Anki's deck options show them",
        ) from exc


def put_in_force(
    session: Session,
    context: Context,
    parameters: Sequence[float],
    *,
    at: datetime,
    reviews: int,
    score: optimizer.Score | None,
    method: str,
    reschedule: bool,
) -> Recomputed:
    """Store ``parameters`` (checked) as the ones in use, and recompute every card's memory
    state with them, in the caller's transaction."""
    clean = valid(parameters)
    settings_store.save_parameters(
        session,
        list(clean),
        fitted_at=at,
        reviews=reviews,
        log_loss=score.log_loss if score is not None else None,
        rmse_bins=score.rmse_bins if score is not None else None,
        method=method,
    )
    config = dataclasses.replace(context.config, parameters=clean)
    return recompute(session, config, reschedule=reschedule)


def recompute(session: Session, config: SchedulerConfig, *, reschedule: bool) -> Recomputed:
    """Replay every card's history with ``config``: stability and difficulty always, and with
    ``reschedule`` the due date of cards in review. Each answer keeps the study day it was
    recorded in."""
    rows = session.execute(
        select(Review.card_id, Review.rating, Review.reviewed_at, Review.study_day)
        .where(Review.source != Source.CRAM.value)
        .order_by(Review.card_id, Review.reviewed_at, Review.id)
    )
    histories = {card_id: list(h) for card_id, h in groupby(rows, key=lambda r: r.card_id)}
    by_id = {c.id: c for c in session.scalars(select(CardRow))}  # one query, not one per card
    cards = moved = 0
    for card_id, answers in histories.items():
        card = by_id.get(card_id)
        if card is None:
            continue
        steps = fsrs_step.replay(
            config,
            card_id,
            [(Rating(a.rating), a.reviewed_at) for a in answers],
            [date.fromordinal(a.study_day) for a in answers],
        )
        last = steps[-1][1]
        card.stability, card.difficulty = last.stability, last.difficulty
        cards += 1
        if reschedule and card.state == REVIEW and last.state == REVIEW and card.due != last.due:
            card.due = last.due
            moved += 1
    session.flush()
    return Recomputed(cards, moved)
