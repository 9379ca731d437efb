"""Today's counts: one set of numbers (queue, deck rows, `stats`), learning steps on time with
Anki's learn-ahead, the new-card limit with study more, review ahead, and undo of every action
in order. Real store, real parser, a clock the test moves."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from studyrnn.engine.study import Study
from studyrnn.values import DeckCounts, Rating, Settings

Clock = Any  # the store tests' clock: ``clock.now``, ``clock.advance(minutes=3)``


def deck(name: str, n: int) -> str:
    return f"---\ndeck: {name}\n---\n" + "".join(
        f"## {name} question {i}?\nAnswer {i}.\n\n" for i in range(n)
    )


def three(c: DeckCounts) -> tuple[int, int, int]:
    return (c.new, c.learning, c.review)


def everywhere(study: Study, name: str) -> set[tuple[int, int, int]]:
    """The deck's counts as each place computes them: must be one value."""
    [row] = [c for c in study.deck_counts() if c.deck == name and c.section == ""]
    stats = study.stats(history=False).today
    assert stats is not None and three(stats) == three(study.total_counts())
    return {three(row), three(study.counts(name)), three(study.next_up(name).counts)}


def test_counts_only_go_down_as_cards_are_answered(study: Study, decks: Path, clock: Clock) -> None:
    """New cards on their 10-minute step move to "lrn" at once and stay there until they
    graduate; the session never shows more cards than the counts say."""
    (decks / "a.md").write_text(deck("Alpha", 3))
    study.sync()
    assert everywhere(study, "Alpha") == {(3, 0, 0)}
    first = study.next_up("Alpha")
    assert first.item is not None and first.early is None
    study.answer(first.item.card_id, Rating.GOOD, duration_ms=500)  # 1m step done: 10m next
    assert everywhere(study, "Alpha") == {(2, 1, 0)}
    seen = []
    for _ in range(2):
        up = study.next_up("Alpha")
        assert up.item is not None and up.item.state == "new"
        seen.append(three(up.counts))
        study.answer(up.item.card_id, Rating.EASY, duration_ms=500)  # graduates at once
    assert seen == [(2, 1, 0), (1, 1, 0)]
    assert everywhere(study, "Alpha") == {(0, 1, 0)}
    assert study.queue_size("Alpha") == 1
    up = study.next_up("Alpha")  # only the learning card is left: shown 10 min early
    assert up.item is not None and up.item.card_id == first.item.card_id
    assert up.early == timedelta(minutes=10) and three(up.counts) == (0, 1, 0)
    study.answer(up.item.card_id, Rating.GOOD, duration_ms=500)  # graduates
    assert everywhere(study, "Alpha") == {(0, 0, 0)}
    end = study.next_up("Alpha")
    assert (end.item, end.show_at, end.limit.reached) == (None, None, False)


def test_twenty_new_cards_on_their_steps_show_as_learning_not_as_a_surprise(
    study: Study, decks: Path, clock: Clock
) -> None:
    """The reported mismatch: Home said 0 new 0 lrn 0 due while the review opened on 20."""
    (decks / "a.md").write_text(deck("Alpha", 25))
    study.sync()
    for _ in range(20):
        up = study.next_up()
        assert up.item is not None
        study.answer(up.item.card_id, Rating.GOOD, duration_ms=500)  # the 10-minute step
        clock.advance(seconds=5)
    total = study.total_counts()
    assert (three(total), total.new_waiting) == ((0, 20, 0), 5)
    up = study.next_up()
    assert three(up.counts) == (0, 20, 0)
    assert up.item is not None and up.early is not None  # learn-ahead, and it says so
    stats = study.stats(history=False)
    assert stats.forecast[0][1] == 20 and stats.today == total


def test_a_learning_card_does_not_come_back_early_while_others_wait(
    study: Study, decks: Path, clock: Clock
) -> None:
    (decks / "a.md").write_text(deck("Alpha", 5))
    study.sync()
    up = study.next_up()
    assert up.item is not None
    card = up.item.card_id
    study.answer(card, Rating.GOOD, duration_ms=500)
    study.answer(card, Rating.AGAIN, duration_ms=500)  # back to the 1-minute step
    study.answer(card, Rating.GOOD, duration_ms=500)  # now due in 10 minutes
    clock.advance(minutes=3)
    up = study.next_up()
    assert up.item is not None and up.item.card_id != card and up.item.state == "new"
    clock.advance(minutes=7)  # due: it comes before the new cards
    up = study.next_up()
    assert up.item is not None and (up.item.card_id, up.early) == (card, None)


def test_a_learning_card_beyond_learn_ahead_makes_the_session_wait(
    study: Study, decks: Path, clock: Clock
) -> None:
    (decks / "a.md").write_text(deck("Alpha", 1))
    study.sync()
    study.save_settings(dataclasses.replace(Settings(), learning_steps=(timedelta(hours=1),)))
    [card] = study.queue()
    start = clock.now
    study.answer(card, Rating.AGAIN, duration_ms=500)  # the one-hour step
    up = study.next_up()
    assert (up.item, three(up.counts)) == (None, (0, 1, 0))
    assert up.next_due == start + timedelta(hours=1)
    assert up.show_at == start + timedelta(minutes=40)  # the learn-ahead limit is 20 minutes
    clock.advance(minutes=39)
    assert study.next_up().item is None
    clock.advance(minutes=1)
    up = study.next_up()
    assert up.item is not None and (up.item.card_id, up.early) == (card, timedelta(minutes=20))


def test_a_step_that_ends_after_the_cutoff_counts_tomorrow(
    study: Study, decks: Path, clock: Clock
) -> None:
    (decks / "a.md").write_text(deck("Alpha", 1))
    study.sync()
    study.save_settings(dataclasses.replace(Settings(), learning_steps=(timedelta(hours=1),)))
    clock.now = clock.now.replace(hour=3, minute=30) + timedelta(days=1)  # 03:30, cutoff 04:00
    [card] = study.queue()
    study.answer(card, Rating.AGAIN, duration_ms=500)  # due 04:30: tomorrow's study day
    up = study.next_up()
    assert (up.item, up.show_at, three(up.counts)) == (None, None, (0, 0, 0))


def test_the_new_card_limit_explains_itself_and_study_more_lifts_it(
    make_study: Callable[[], Study], decks: Path, clock: Clock
) -> None:
    (decks / "a.md").write_text(deck("Alpha", 25))
    (decks / "b.md").write_text(deck("Beta", 5))
    study = make_study()
    study.sync()
    for cid in study.queue("Alpha")[:20]:
        study.answer(cid, Rating.EASY, duration_ms=500)
    beta = study.counts("Beta")
    assert (three(beta), beta.new_waiting) == ((0, 0, 0), 5)
    limit = study.new_limit("Beta")
    assert limit.reached
    assert limit.explain() == (
        "5 new cards wait for tomorrow: the daily new-card limit is at 20/20 today, shared by"
        " all decks (set in Settings)."
    )
    up = study.next_up("Beta")
    assert (up.item, up.show_at, up.limit) == (None, None, limit)

    study.study_more("Beta", 3)
    assert everywhere(study, "Beta") == {(3, 0, 0)}
    assert three(study.counts("Alpha")) == (0, 0, 0)  # the grant is Beta's alone
    assert three(study.total_counts()) == (3, 0, 0)
    reopened = make_study()  # kept in the store
    assert three(reopened.counts("Beta")) == (3, 0, 0)
    for _ in range(3):
        up = reopened.next_up()  # over all decks: Beta's extra cards come
        assert up.item is not None and up.item.card.deck == "Beta"
        reopened.answer(up.item.card_id, Rating.EASY, duration_ms=500)
    assert three(reopened.total_counts()) == (0, 0, 0)
    assert reopened.new_limit("Beta").explain() == (
        "2 new cards wait for tomorrow: the daily new-card limit is at 20/20 today, plus 3/3"
        " extra, shared by all decks (set in Settings)."
    )
    reopened.study_more(None, 4)  # for all decks: raises today's shared limit
    assert [three(reopened.counts(d)) for d in ("Alpha", "Beta", None)] == [
        (4, 0, 0),
        (2, 0, 0),
        (4, 0, 0),
    ]
    clock.advance(days=1)  # a new study day: the grants are over
    assert [three(reopened.counts(d)) for d in ("Alpha", "Beta")] == [(5, 0, 0), (2, 0, 0)]


def test_study_more_before_the_limit_is_reached_adds_to_the_deck(study: Study, decks: Path) -> None:
    (decks / "a.md").write_text(deck("Alpha", 40))
    (decks / "b.md").write_text(deck("Beta", 40))
    study.sync()
    study.study_more("Alpha", 10)
    assert [study.counts(d).new for d in ("Alpha", "Beta", None)] == [30, 20, 30]
    for cid in study.queue("Alpha")[:12]:
        study.answer(cid, Rating.EASY, duration_ms=500)  # 10 extra, then 2 of the shared 20
    assert [study.counts(d).new for d in ("Alpha", "Beta", None)] == [18, 18, 18]


def test_review_ahead_brings_the_reviews_of_the_next_days(
    study: Study, decks: Path, clock: Clock
) -> None:
    (decks / "a.md").write_text(deck("Alpha", 4))
    study.sync()
    for cid in study.queue():
        study.answer(cid, Rating.EASY, duration_ms=500)  # each due in some days
    dues = sorted((study.card_info(c).due, c) for c in study.queue() or range(0))
    assert dues == []  # nothing left today
    infos = sorted((i.due, i.card_id) for i in study.search() if i.due is not None)
    days = (infos[0][0] - clock.now).days + 1  # enough days to reach the first one
    ahead = study.counts("Alpha", ahead_days=days)
    assert three(ahead) == (0, 0, sum(1 for due, _ in infos if due <= infos[0][0]))
    up = study.next_up("Alpha", ahead_days=days)
    assert up.item is not None and up.item.card_id == infos[0][1] and up.early is None
    study.answer(up.item.card_id, Rating.GOOD, duration_ms=500)
    assert study.counts("Alpha", ahead_days=days).review == ahead.review - 1
    assert three(study.counts("Alpha")) == (0, 0, 0)


def test_undo_takes_back_answer_bury_and_suspend_in_order(
    study: Study, decks: Path, clock: Clock
) -> None:
    """The reported bug: undo after a bury undid the answer before it and left the card
    buried."""
    (decks / "a.md").write_text(deck("Alpha", 4))
    study.sync()
    a, b, c, d = study.queue()
    study.answer(a, Rating.GOOD, duration_ms=500)
    study.bury(b)
    study.suspend(c)
    assert study.queue() == [d] and three(study.counts()) == (1, 1, 0)
    undone = study.undo()
    assert undone is not None and (undone.action, undone.item.card_id) == ("suspend", c)
    assert not study.card_info(c).suspended and study.queue() == [c, d]
    undone = study.undo()
    assert undone is not None and (undone.action, undone.item.card_id) == ("bury", b)
    assert study.queue() == [b, c, d]
    assert len(study.history(a)) == 1  # the answer is still there
    undone = study.undo()
    assert undone is not None and (undone.action, undone.item.card_id) == ("answer", a)
    assert study.history(a) == [] and study.card_info(a).state == "new"
    assert study.queue() == [a, b, c, d] and study.undo() is None


def test_undo_of_an_unsuspend_suspends_again(study: Study, decks: Path) -> None:
    (decks / "a.md").write_text(deck("Alpha", 1))
    study.sync()
    [a] = study.queue()
    study.suspend(a)
    study.suspend(a, False)
    undone = study.undo()
    assert undone is not None and undone.action == "suspend"
    assert study.card_info(a).suspended
    study.undo()
    assert not study.card_info(a).suspended


def test_over_a_whole_session_the_cards_left_never_go_up(
    study: Study, decks: Path, clock: Clock
) -> None:
    """Reviews, new cards and learning steps mixed, every rating: the cards left today
    (new + lrn + due) never rise, and each answer brings the session's progress forward."""
    (decks / "a.md").write_text(deck("Alpha", 30))
    study.sync()
    for cid in study.queue()[:10]:
        study.answer(cid, Rating.EASY, duration_ms=500)
    clock.advance(days=30)  # the ten are due; twenty new cards wait
    ratings = [Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY, Rating.GOOD]
    left = [study.counts().left]
    answered = 0
    while (up := study.next_up()).item is not None or up.show_at is not None:
        if up.item is None:
            assert up.show_at is not None
            clock.now = up.show_at
            continue
        assert up.counts.left == left[-1]  # the header shows what the last answer left
        study.answer(up.item.card_id, ratings[answered % len(ratings)], duration_ms=500)
        answered += 1
        clock.advance(seconds=20)
        left.append(study.counts().left)
    assert all(after <= before for before, after in itertools.pairwise(left))
    assert left[0] == 30 and left[-1] == 0 and answered > 30
