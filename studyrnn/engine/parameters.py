"""The learner's review history as data: loading one from a CSV (``import-reviews``) and
fitting FSRS parameters to it (``optimize``).

A fit is kept only when it predicts the newer, held-out reviews better than the parameters in
use (see ``schedule.optimizer``). Part of the engine facade (``studyrnn.engine.study``); takes the
caller's ``Session``, and fitting itself runs outside any transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyrnn.engine.context import Context
from studyrnn.errors import UsageError
from studyrnn.schedule import fsrs_step, optimizer
from studyrnn.store import history_import
from studyrnn.store import settings as settings_store
from studyrnn.store.history_import import ImportReport
from studyrnn.store.models import Review
from studyrnn.values import Source


@dataclass(frozen=True, slots=True)
class Optimization:
    """What ``Study.optimize`` did: the fit with both scores, and whether it was kept."""

    fit: optimizer.Fit
    kept: bool
    reviews: int


def import_reviews(session: Session, context: Context, path: Path) -> ImportReport:
    """Load a review history CSV, each card's answers replayed through FSRS so that its
    schedule is what those answers would have given."""
    replay = partial(fsrs_step.replay, context.config)
    return history_import.import_reviews(session, path, replay, context.day.day_of)


def answers_to_fit(session: Session) -> list[optimizer.Answer]:
    """Every answer that went through the scheduler (cram answers did not), oldest first."""
    rows = session.execute(
        select(Review.card_id, Review.rating, Review.reviewed_at)
        .where(Review.source != Source.CRAM.value)
        .order_by(Review.reviewed_at, Review.id)
    )
    return [optimizer.Answer(card_id, rating, at) for card_id, rating, at in rows]


def fit(answers: Sequence[optimizer.Answer], context: Context, engine: str) -> optimizer.Fit:
    try:
        return optimizer.fit(answers, context.day.day_of, context.config.parameters, engine=engine)
    except optimizer.NotEnoughReviews as exc:
        raise UsageError(
            f"cannot fit FSRS parameters yet: {exc}",
            "review for a few weeks, or load a history with `studyrnn import-reviews`",
        ) from exc


def keep(
    session: Session, result: optimizer.Fit, *, fitted_at: datetime, reviews: int, engine: str
) -> None:
    """Store the fitted parameters; from now on they are the ones in use."""
    settings_store.save_parameters(
        session,
        list(result.parameters),
        fitted_at=fitted_at,
        reviews=reviews,
        log_loss=result.fitted.log_loss,
        rmse_bins=result.fitted.rmse_bins,
        method=engine,
    )
