"""Which answer the app preselects after a code check (the learner can always pick another).

- predict: a pass suggests Good, any other verdict that counts suggests Again;
- write: a pass on the first try suggests Good, a pass after retries Hard; revealing the
  solution or giving up suggests Again;
- ``skipped`` and ``internal`` suggest nothing: they are never recorded as a failure.
"""

from __future__ import annotations

from studyrnn.runner.verdict import CheckResult
from studyrnn.values import Rating


def for_predict(result: CheckResult) -> Rating | None:
    if not result.verdict.counts_against_learner:
        return None
    return Rating.GOOD if result.passed else Rating.AGAIN


def for_write(result: CheckResult, tries: int) -> Rating | None:
    """``tries`` counts the checks that counted, this one included. None while the learner
    should keep editing (a failed try) or when the check did not count."""
    if not result.verdict.counts_against_learner or not result.passed:
        return None
    return Rating.GOOD if tries <= 1 else Rating.HARD


def for_giving_up() -> Rating:
    return Rating.AGAIN
