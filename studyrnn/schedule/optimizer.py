"""Fitting FSRS parameters to the learner's own review log, and scoring them honestly.

The log is split by time: parameters are fitted on the older reviews and scored (log loss and
RMSE over bins, as the FSRS benchmark does) on the newer ones, so a fit is judged on reviews
it never saw. fsrs-rs-python does both the fit and the scoring: on the 12,580-review sample it
fits in well under a second, where fsrs' own torch optimizer takes tens of seconds for
parameters that score the same (the measurement is in the engine's report and README).

An FSRS training item is one card's history up to one review: the ratings and the study-day
gaps between them. Only items whose last gap is at least a day are scored (same-day steps are
the learning steps' business, not the memory model's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import fsrs_rs_python as rs

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(rs.DEFAULT_PARAMETERS)
HOLDOUT = 0.2  # the newest fifth of the reviews is held out for scoring


@dataclass(frozen=True, slots=True)
class Answer:
    card_id: int
    rating: int
    reviewed_at: datetime


@dataclass(frozen=True, slots=True)
class Score:
    log_loss: float
    rmse_bins: float

    def beats(self, other: Score) -> bool:
        return self.log_loss < other.log_loss and self.rmse_bins <= other.rmse_bins


@dataclass(frozen=True, slots=True)
class Fit:
    parameters: tuple[float, ...]
    current: Score
    fitted: Score
    train_items: int
    test_items: int
    split_at: datetime

    @property
    def better(self) -> bool:
        return self.fitted.beats(self.current)


class NotEnoughReviews(ValueError):
    """Too few reviews to fit or to score."""


def items_by_time(
    answers: Iterable[Answer], day_of: Callable[[datetime], date]
) -> list[tuple[datetime, rs.FSRSItem]]:
    """Every scorable item, with the time of its last review."""
    per_card: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        per_card[answer.card_id].append(answer)
    out: list[tuple[datetime, rs.FSRSItem]] = []
    for history in per_card.values():
        history.sort(key=lambda a: a.reviewed_at)
        reviews: list[rs.FSRSReview] = []
        previous: date | None = None
        for answer in history:
            today = day_of(answer.reviewed_at)
            gap = (today - previous).days if previous is not None else 0
            previous = today
            reviews.append(rs.FSRSReview(answer.rating, gap))
            if len(reviews) > 1 and gap > 0:
                out.append((answer.reviewed_at, rs.FSRSItem(list(reviews))))
    out.sort(key=lambda pair: pair[0])
    return out


def split(
    items: Sequence[tuple[datetime, rs.FSRSItem]], holdout: float = HOLDOUT
) -> tuple[list[rs.FSRSItem], list[rs.FSRSItem], datetime]:
    if len(items) < 20:
        raise NotEnoughReviews(f"only {len(items)} scorable reviews; at least 20 are needed")
    cut = int(len(items) * (1 - holdout))
    return [i for _, i in items[:cut]], [i for _, i in items[cut:]], items[cut][0]


def score(parameters: Sequence[float], items: Sequence[rs.FSRSItem]) -> Score:
    evaluation = rs.FSRS(list(parameters)).evaluate(list(items))
    return Score(float(evaluation.log_loss), float(evaluation.rmse_bins))


def fit_rs(items: Sequence[rs.FSRSItem]) -> tuple[float, ...]:
    return tuple(rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(list(items)))


def fit_py(answers: Sequence[Answer]) -> tuple[float, ...]:
    """fsrs' own optimizer (torch, imported only here): kept to measure against, not the default."""
    import fsrs
    from fsrs.optimizer import Optimizer

    logs = [
        fsrs.ReviewLog(
            card_id=a.card_id,
            rating=fsrs.Rating(a.rating),
            review_datetime=a.reviewed_at,
            review_duration=None,
        )
        for a in answers
    ]
    return tuple(float(p) for p in Optimizer(logs).compute_optimal_parameters())


ENGINES = ("fsrs-rs", "py-fsrs")


def fit(
    answers: Sequence[Answer],
    day_of: Callable[[datetime], date],
    current: Sequence[float] | None = None,
    engine: str = "fsrs-rs",
) -> Fit:
    """Fit on the older reviews, score the fit and ``current`` (default: fsrs' defaults) on
    the newer ones."""
    train, test, split_at = split(items_by_time(answers, day_of))
    if engine == "py-fsrs":
        parameters = fit_py([a for a in answers if a.reviewed_at < split_at])
    else:
        parameters = fit_rs(train)
    return Fit(
        parameters=parameters,
        current=score(current or DEFAULT_PARAMETERS, test),
        fitted=score(parameters, test),
        train_items=len(train),
        test_items=len(test),
        split_at=split_at,
    )
