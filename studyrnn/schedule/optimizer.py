"""Fitting FSRS parameters to the learner's own review log, and keeping a fit only when it
predicts better by more than the noise of fitting.

The log is split by time: parameters are fitted on the older reviews and scored (log loss and
RMSE over bins, as the FSRS benchmark does) on the newer ones, so a fit is judged on reviews
it never saw. fsrs-rs-python fits as Anki does (8 passes, each item with its card id, short-term
reviews on, one relearning step).

Fitting is stochastic: on the shared 12,580-review log the held-out log loss of a fit varies
by about 0.0006 from one training seed to the next, the same order as the gain over the
default parameters. So the fit is run with ``SEEDS`` seeds; the gain is the current
parameters' held-out log loss minus the fits' mean, the noise is twice the fits' standard
deviation, and the fit is kept only when the gain is larger than the noise (a positive
margin) and RMSE(bins) is no worse. The parameters kept are those of the median seed, not the
luckiest one, so the gain printed is the gain a learner gets.

An FSRS training item is one card's history up to one review: the ratings and the study-day
gaps between them. Only items whose last gap is at least a day are used (same-day steps are
the learning steps' business, not the memory model's). A review's study day is the one it was
recorded with (an imported history keeps the time zone it was imported in).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import fsrs_rs_python as rs

from studyrnn.schedule.parameter_bounds import checked

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(rs.DEFAULT_PARAMETERS)
HOLDOUT = 0.2  # the newest fifth of the reviews is held out for scoring
SEEDS = 8  # training seeds per fit, to measure the noise of fitting
PASSES = 8  # Anki's training passes (rslib/src/scheduler/fsrs/params.rs)
NOISE_SIGMAS = 2.0  # the gain must exceed this many standard deviations over seeds


@dataclass(frozen=True, slots=True)
class Answer:
    card_id: int
    rating: int
    reviewed_at: datetime
    day: date | None = None  # its study day, when the caller knows it


@dataclass(frozen=True, slots=True)
class Item:
    """One training or scoring item, with its card and the time of its last review."""

    card_id: int
    at: datetime
    item: rs.FSRSItem


@dataclass(frozen=True, slots=True)
class Score:
    log_loss: float
    rmse_bins: float


@dataclass(frozen=True, slots=True)
class Fit:
    parameters: tuple[float, ...]  # the median seed's, checked against fsrs' ranges
    current: Score
    fitted: Score  # the median seed's
    seed_losses: tuple[float, ...]  # every seed's held-out log loss
    train_items: int
    test_items: int
    split_at: datetime

    @property
    def gain(self) -> float:
        """Held-out log loss saved on average over the seeds (positive: the fit is better)."""
        return self.current.log_loss - statistics.fmean(self.seed_losses)

    @property
    def noise(self) -> float:
        """How much of the gain fitting alone can give: twice the spread over seeds."""
        if len(self.seed_losses) < 2:
            return 0.0
        return NOISE_SIGMAS * statistics.stdev(self.seed_losses)

    @property
    def margin(self) -> float:
        return self.gain - self.noise

    @property
    def better(self) -> bool:
        return self.margin > 0 and self.fitted.rmse_bins <= self.current.rmse_bins


class NotEnoughReviews(ValueError):
    """Too few reviews to fit or to score."""


def items_by_time(answers: Iterable[Answer], day_of: Callable[[datetime], date]) -> list[Item]:
    """Every usable item, oldest last review first."""
    per_card: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        per_card[answer.card_id].append(answer)
    out: list[Item] = []
    for card_id, history in per_card.items():
        history.sort(key=lambda a: a.reviewed_at)
        reviews: list[rs.FSRSReview] = []
        previous: date | None = None
        for answer in history:
            today = answer.day if answer.day is not None else day_of(answer.reviewed_at)
            gap = (today - previous).days if previous is not None else 0
            previous = today
            reviews.append(rs.FSRSReview(answer.rating, gap))
            if len(reviews) > 1 and gap > 0:
                out.append(Item(card_id, answer.reviewed_at, rs.FSRSItem(list(reviews))))
    out.sort(key=lambda item: item.at)
    return out


def split(items: Sequence[Item], holdout: float = HOLDOUT) -> tuple[list[Item], list[Item]]:
    if len(items) < 20:
        raise NotEnoughReviews(f"only {len(items)} scorable reviews; at least 20 are needed")
    cut = int(len(items) * (1 - holdout))
    return list(items[:cut]), list(items[cut:])


def score(parameters: Sequence[float], items: Sequence[Item]) -> Score:
    evaluation = rs.FSRS(list(parameters)).evaluate([i.item for i in items])
    return Score(float(evaluation.log_loss), float(evaluation.rmse_bins))


def train(items: Sequence[Item], seed: int, relearning_steps: int = 1) -> tuple[float, ...]:
    """One fit as Anki makes it."""
    fitted = rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        [i.item for i in items],
        [i.card_id for i in items],
        True,
        relearning_steps,
        rs.TrainingConfig(num_epochs=PASSES, seed=seed),
    )
    return tuple(float(p) for p in fitted)


def fit(
    answers: Sequence[Answer],
    day_of: Callable[[datetime], date],
    current: Sequence[float] | None = None,
    *,
    seeds: int = SEEDS,
    relearning_steps: int = 1,
) -> Fit:
    """Fit on the older reviews with ``seeds`` seeds; score the fits and ``current``
    (default: FSRS-6's defaults) on the newer ones."""
    older, newer = split(items_by_time(answers, day_of))
    fits = []
    for seed in range(seeds):
        parameters = checked(train(older, seed, relearning_steps))
        fits.append((score(parameters, newer), parameters))
    fits.sort(key=lambda pair: pair[0].log_loss)
    median_score, median_parameters = fits[(len(fits) - 1) // 2]
    return Fit(
        parameters=median_parameters,
        current=score(current or DEFAULT_PARAMETERS, newer),
        fitted=median_score,
        seed_losses=tuple(s.log_loss for s, _ in fits),
        train_items=len(older),
        test_items=len(newer),
        split_at=newer[0].at,
    )
