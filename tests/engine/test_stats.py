"""Statistics: reviews today, streak, true retention (first review of a card each day, Again
fails, cram ignored), the forecast and the button mix."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from studyrnn.engine.study import Study
from studyrnn.values import Rating, Source

DECK = "".join(f"## Stats question {i}?\nAnswer {i}.\n\n" for i in range(3))


def test_stats_follow_the_log(study: Study, decks: Path, clock: Any) -> None:
    (decks / "s.md").write_text(DECK)
    study.sync()
    a, b, c = study.queue()
    for cid in (a, b, c):
        study.answer(cid, Rating.EASY, duration_ms=100)  # day 0: three new cards graduate
    empty = study.stats()
    assert (empty.reviews_today, empty.streak_days, empty.true_retention_30d) == (3, 1, None)

    clock.advance(days=1)
    assert study.stats().streak_days == 1  # yesterday counts until today is over
    clock.advance(days=29)  # all three are due by now
    study.answer(a, Rating.GOOD, duration_ms=100)  # first review of a today: a pass
    study.answer(b, Rating.AGAIN, duration_ms=100)  # first review of b today: a failure
    clock.advance(minutes=11)
    study.answer(b, Rating.GOOD, duration_ms=100)  # second review of b today: not counted
    study.answer(c, Rating.AGAIN, duration_ms=100, source=Source.CRAM)  # cram: not counted
    stats = study.stats()
    assert stats.reviews_today == 4
    assert stats.streak_days == 1  # day 0 and today, with a gap between
    assert stats.true_retention_30d == 0.5
    assert stats.button_mix == {Rating.AGAIN: 1, Rating.HARD: 0, Rating.GOOD: 2, Rating.EASY: 0}
    assert stats.leeches == 0
    assert len(stats.forecast) == 30 and stats.forecast[0][0] == clock.now.date()
    assert stats.forecast[0][1] == 1  # only c is still due today
    assert sum(n for _, n in stats.forecast) == 1 + sum(
        1
        for cid in (a, b)
        if (due := study.card_info(cid).due) and due < clock.now + timedelta(days=30)
    )
    assert stats.reviews_per_day[-1] == (clock.now.date(), 4)
    assert [m for m, _ in stats.retention_by_month] == [clock.now.strftime("%Y-%m")]
    quick = study.stats(history=False)
    assert (quick.reviews_per_day, quick.retention_by_month) == ((), ())
    assert quick.true_retention_30d == 0.5


def test_streak_counts_consecutive_days(study: Study, decks: Path, clock: Any) -> None:
    (decks / "s.md").write_text(DECK)
    study.sync()
    [a, *_] = study.queue()
    for _ in range(5):
        study.answer(a, Rating.AGAIN, duration_ms=100, source=Source.CRAM)
        clock.advance(days=1)
    assert study.stats().streak_days == 5
    study.answer(a, Rating.AGAIN, duration_ms=100, source=Source.CRAM)
    assert study.stats().streak_days == 6


def test_retention_by_month_counts_only_the_first_answer_of_a_day(
    study: Study, decks: Path, clock: Any
) -> None:
    """Per month as over 30 days: the first answer to a card each study day, when the card was
    in review, Again a failure. Counting every review-state answer would give March 0.25 and
    April 0.5 here."""
    (decks / "s.md").write_text(DECK)
    study.sync()
    a, b, c = study.queue()
    for cid in (a, b, c):
        study.answer(cid, Rating.EASY, duration_ms=100)  # 2 March: new -> review, not counted

    clock.advance(days=1)  # 3 March
    study.answer(a, Rating.AGAIN, duration_ms=100)  # first of a today, in review: a failure
    study.answer(b, Rating.GOOD, duration_ms=100)  # first of b today, in review: a pass
    study.answer(b, Rating.AGAIN, duration_ms=100)  # second of b today: not counted
    assert study.card_info(b).state == "relearning"

    clock.advance(days=1)  # 4 March
    study.answer(b, Rating.GOOD, duration_ms=100)  # first of b today, but relearning
    assert study.card_info(b).state == "review"
    study.answer(b, Rating.AGAIN, duration_ms=100)  # in review, but not the first today

    clock.now = clock.now.replace(month=4, day=1)  # 1 April
    study.answer(c, Rating.GOOD, duration_ms=100)  # first of c today, in review: a pass
    study.answer(c, Rating.AGAIN, duration_ms=100)  # second of c today: not counted
    study.answer(a, Rating.GOOD, duration_ms=100)  # first of a today, but relearning

    stats = study.stats()
    assert stats.retention_by_month == (("2026-03", 0.5), ("2026-04", 1.0))
    # 3 March to 1 April: a failed, b and c passed
    assert stats.true_retention_30d == pytest.approx(2 / 3)


def test_imported_reviews_count_once_a_day_in_true_retention(
    study: Study, tmp_path: Path, clock: Any
) -> None:
    """An imported history is marked like answers given here: per card and study day only the
    first answer counts. Counting every review-state answer would give 0.5."""
    csv = tmp_path / "log.csv"
    csv.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        "7,4,2026-03-01T10:00:00+00:00,100\n"  # new -> review
        "7,1,2026-03-10T10:00:00+00:00,100\n"  # first of the day, in review: a failure
        "7,3,2026-03-10T10:15:00+00:00,100\n"  # relearning -> review
        "7,3,2026-03-20T10:00:00+00:00,100\n"  # first of the day, in review: a pass
        "7,1,2026-03-20T11:00:00+00:00,100\n"  # in review, but the second of the day
        "8,4,2026-03-05T10:00:00+00:00,100\n"  # new -> review
        "8,3,2026-03-15T10:00:00+00:00,100\n"  # first of the day, in review: a pass
    )
    assert study.import_reviews(csv).summary() == (
        "imported 7 reviews of 2 cards (0 already there); study days in UTC"
    )
    assert study.import_reviews(csv).summary() == (
        "imported 0 reviews of 2 cards (7 already there); study days in UTC"
    )
    clock.now = clock.now.replace(day=31)
    stats = study.stats()
    assert stats.retention_by_month == (("2026-03", pytest.approx(2 / 3)),)
    assert stats.true_retention_30d == pytest.approx(2 / 3)
