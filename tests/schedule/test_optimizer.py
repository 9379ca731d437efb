"""The optimizer on a real learner's log (12,580 reviews): fitted on the older reviews, the
parameters predict the newer ones better than fsrs' defaults."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyrnn.schedule.day import StudyDay
from studyrnn.schedule.optimizer import DEFAULT_PARAMETERS, Answer, NotEnoughReviews, fit
from studyrnn.schedule.parameter_bounds import checked

SAMPLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fsrs-review-log-sample.csv"
)


def answers() -> list[Answer]:
    if not SAMPLE.exists():
        pytest.skip(f"the shared review log is not at {SAMPLE}")
    with SAMPLE.open(newline="") as handle:
        return [
            Answer(
                int(r["card_id"]), int(r["review_rating"]), datetime.fromisoformat(r["review_time"])
            )
            for r in csv.DictReader(handle)
        ]


def test_fit_beats_the_defaults_on_held_out_reviews() -> None:
    result = fit(answers(), StudyDay(4, UTC).day_of)
    assert (result.train_items, result.test_items) == (5020, 1256)
    assert result.fitted.log_loss < result.current.log_loss < 0.5
    assert result.fitted.rmse_bins <= result.current.rmse_bins
    assert result.better and len(result.parameters) == len(DEFAULT_PARAMETERS)
    assert checked(result.parameters) == result.parameters  # within the ranges fsrs accepts
    # Eight seeds; the kept fit is the median one, and its gain beats the noise of fitting.
    assert len(result.seed_losses) == 8 and result.fitted.log_loss in result.seed_losses
    assert sorted(result.seed_losses).index(result.fitted.log_loss) == 3
    assert result.noise > 0 and result.gain > result.noise and result.margin > 0
    refit = fit(answers(), StudyDay(4, UTC).day_of, current=result.parameters)
    assert not refit.better  # the same fit does not beat itself by more than the noise
    assert refit.margin < 0


def test_too_few_reviews_is_said_plainly() -> None:
    few = [Answer(1, 3, datetime(2026, 1, d, tzinfo=UTC)) for d in range(1, 5)]
    with pytest.raises(NotEnoughReviews, match="at least 20"):
        fit(few, StudyDay(4, UTC).day_of)
