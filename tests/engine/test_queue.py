"""Today's queue: order, limits, the study day, burying, leeches, suspend, undo, cram, and the
variant seed of parametric cards. Real store, real parser, a fixed clock."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

from studyrnn.decks.params import draw
from studyrnn.engine.study import Study
from studyrnn.values import Rating, Settings, Source


def basic_deck(n: int) -> str:
    return "---\ndeck: Basics\n---\n" + "".join(
        f"## Question number {i} about tensors?\nAnswer {i}.\n\n" for i in range(n)
    )


CLOZE = """---
deck: Cloze
---
## The {{c1::hidden}} state is passed to the {{c2::next}} time step.
"""

PARAMETRIC = """---
deck: Code
---
## `h_n.shape` of a {{=layers}}-layer LSTM(10, {{=hidden}}), batch_first, on ({{=batch}}, 5, 10)?
<!-- id: lstm-hn-shape-param -->
```python params
layers = choice([1, 2, 3])
hidden = choice([8, 16, 20])
batch = randint(2, 64)
```
```python setup
lstm = nn.LSTM(10, hidden, num_layers=layers, batch_first=True)
out, (h_n, c_n) = lstm(torch.randn(batch, 5, 10))
```
```python expect
h_n.shape
```
"""


def graduate(study: Study, cid: int) -> None:
    """New -> review in one answer."""
    study.answer(cid, Rating.EASY, duration_ms=500)


def test_new_cards_are_limited_to_twenty_a_day(study: Study, decks: Path, clock: Any) -> None:
    (decks / "basics.md").write_text(basic_deck(25))
    study.sync()
    queue = study.queue()
    assert len(queue) == 20 and study.queue_size() == 20
    assert queue == sorted(queue)  # new cards come in the order they were added
    for cid in queue[:5]:
        graduate(study, cid)
    assert study.queue_size() == 15  # five of today's twenty are done
    clock.advance(hours=18, minutes=59)  # 03:59 the next morning: still the same study day
    assert study.queue_size() == 15
    clock.advance(minutes=1)  # 04:00: a new study day, a new allowance
    assert study.queue_size() == 20


def test_learning_cards_come_first_then_reviews_with_new_interleaved(
    study: Study, decks: Path, clock: Any
) -> None:
    (decks / "basics.md").write_text(basic_deck(8))
    study.sync()
    ids = study.queue()
    for cid in ids[:4]:
        graduate(study, cid)  # four review cards, due in some days
    study.answer(ids[4], Rating.AGAIN, duration_ms=500)  # a learning card, due in 1 minute
    clock.advance(days=60)
    queue = study.queue()
    assert queue[0] == ids[4]  # the due learning card first
    assert sorted(queue[1:]) == sorted(ids[:4] + ids[5:])
    reviews = set(ids[:4])
    positions = [i for i, cid in enumerate(queue[1:]) if cid not in reviews]
    assert positions != [4, 5, 6]  # new cards are spread among the reviews, not after them
    assert study.next_card() is not None and study.next_card().card_id == ids[4]  # type: ignore[union-attr]


def test_review_limit(study: Study, decks: Path, clock: Any) -> None:
    (decks / "basics.md").write_text(basic_deck(6))
    study.sync()
    for cid in study.queue():
        graduate(study, cid)
    study.save_settings(dataclasses.replace(Settings(), reviews_per_day=4, new_per_day=0))
    clock.advance(days=90)
    assert study.queue_size() == 4
    study.answer(study.queue()[0], Rating.GOOD, duration_ms=500)
    assert study.queue_size() == 3


def test_answering_one_sibling_buries_the_other_for_the_day(
    study: Study, decks: Path, clock: Any
) -> None:
    (decks / "cloze.md").write_text(CLOZE)
    study.sync()
    first, second = study.queue()
    study.answer(first, Rating.GOOD, duration_ms=500)
    assert second not in study.queue()
    clock.advance(hours=19)  # 04:00 next day
    assert second in study.queue()


def test_bury_and_suspend(study: Study, decks: Path, clock: Any) -> None:
    (decks / "basics.md").write_text(basic_deck(3))
    study.sync()
    a, b, c = study.queue()
    study.bury(a)
    study.suspend(b)
    assert study.queue() == [c]
    assert study.card_info(b).suspended
    study.suspend(b, False)
    assert study.queue() == [b, c]
    clock.advance(days=1)
    assert study.queue() == [a, b, c]


def test_a_recall_answer_buries_the_card_until_the_next_study_day(
    study: Study, decks: Path, clock: Any
) -> None:
    """The learner read a recall card's answer while checking, so its 10-minute learning step
    must not bring it back today; a plain review's step does."""
    (decks / "basics.md").write_text(basic_deck(2))
    study.sync()
    recalled, reviewed = study.queue()
    study.answer(recalled, Rating.GOOD, duration_ms=500, source=Source.RECALL)
    study.answer(reviewed, Rating.GOOD, duration_ms=500)
    assert [study.card_info(c).state for c in (recalled, reviewed)] == ["learning", "learning"]
    clock.advance(minutes=15)
    assert study.queue() == [reviewed]
    clock.now = clock.now.replace(hour=3, minute=59) + timedelta(days=1)  # before the cutoff
    assert study.queue() == [reviewed]
    clock.advance(minutes=1)  # 04:00, a new study day
    assert study.queue() == [recalled, reviewed]


def test_undo_of_a_recall_answer_lifts_its_bury(study: Study, decks: Path) -> None:
    (decks / "basics.md").write_text(basic_deck(1))
    study.sync()
    [cid] = study.queue()
    study.answer(cid, Rating.AGAIN, duration_ms=500, source=Source.RECALL)
    assert study.queue() == []
    study.undo()
    assert study.queue() == [cid] and study.history(cid) == []


def lapse(study: Study, clock: Any, cid: int) -> None:
    info = study.card_info(cid)
    assert info.state == "review" and info.due is not None
    clock.now = info.due + timedelta(hours=1)
    study.answer(cid, Rating.AGAIN, duration_ms=500)
    clock.advance(minutes=11)
    study.answer(cid, Rating.GOOD, duration_ms=500)  # relearning -> review


def test_a_card_that_lapses_eight_times_is_a_leech(study: Study, decks: Path, clock: Any) -> None:
    (decks / "basics.md").write_text(basic_deck(1))
    study.sync()
    [cid] = study.queue()
    graduate(study, cid)
    for _ in range(7):
        lapse(study, clock, cid)
    assert study.card_info(cid).lapses == 7 and not study.card_info(cid).leech
    lapse(study, clock, cid)
    assert study.card_info(cid).leech and study.card_info(cid).lapses == 8
    assert study.stats().leeches == 1


def test_undo_restores_the_exact_state_and_removes_the_row(
    study: Study, decks: Path, clock: Any
) -> None:
    (decks / "cloze.md").write_text(CLOZE)
    study.sync()
    first, second = study.queue()
    graduate(study, first)
    clock.advance(days=30)
    before = study.card_info(first)
    history = study.history(first)
    study.answer(first, Rating.AGAIN, duration_ms=700)
    assert study.card_info(first) != before
    assert second not in study.queue()  # buried by the answer
    item = study.undo()
    assert item is not None and (item.action, item.item.card_id) == ("answer", first)
    assert study.card_info(first) == before
    assert study.history(first) == history
    assert second in study.queue()  # the burial was undone too
    assert study.undo() is not None  # the first answer
    assert study.card_info(first).state == "new" and study.history(first) == []
    assert study.undo() is None


def test_cram_drills_without_touching_the_schedule(study: Study, decks: Path) -> None:
    (decks / "basics.md").write_text(basic_deck(2))
    study.sync()
    a, b = study.queue()
    graduate(study, a)
    before = study.card_info(a)
    assert study.queue(cram=True) == [a]  # only studied cards; the new one is not crammed
    item = study.next_card(cram=True)
    assert item is not None and item.card_id == a
    row = study.answer(a, Rating.AGAIN, duration_ms=400, source=Source.CRAM)
    assert row.source is Source.CRAM
    assert (row.state_before, row.state_after, row.due_before, row.due_after) == (
        "review",
        "review",
        before.due,
        before.due,
    )
    assert study.card_info(a) == before
    assert study.queue(cram=True) == []  # each card once per day
    assert study.queue() == [b]


def test_parametric_seed_stays_until_answered(study: Study, decks: Path) -> None:
    (decks / "code.md").write_text(PARAMETRIC)
    study.sync()
    first = study.next_card()
    again = study.next_card()
    assert first is not None and again is not None
    assert first.seed is not None and first.seed == again.seed
    code = first.card.code
    assert code is not None and code.params is not None
    assert first.params == draw(code.params.code, first.seed) != {}
    row = study.answer(first.card_id, Rating.AGAIN, duration_ms=900, verdict="wrong")
    assert (row.seed, row.verdict) == (first.seed, "wrong")
    after = study.next_card()
    assert after is not None and after.card_id == first.card_id
    assert after.seed != first.seed


def test_preview_is_what_answer_applies(study: Study, decks: Path, clock: Any) -> None:
    (decks / "basics.md").write_text(basic_deck(1))
    study.sync()
    [cid] = study.queue()
    graduate(study, cid)
    clock.advance(days=20)
    shown = study.preview(cid).intervals
    row = study.answer(cid, Rating.GOOD, duration_ms=500)
    # A review card is due at the start of a study day: the shown number of days after today.
    day = study.study_day()
    assert row.due_after == day.start(day.day_of(clock.now) + shown[Rating.GOOD])
    assert shown[Rating.GOOD] == timedelta(days=66)  # long enough for fuzz to apply


def test_deck_counts_cap_each_deck_by_the_shared_daily_limits(
    study: Study, decks: Path, clock: Any
) -> None:
    """Per deck, what studying that deck alone brings today (capped by what is left of the
    shared limits); all decks together is capped once, so it is not the rows' sum."""
    for name in ("Alpha", "Beta"):
        (decks / f"{name.lower()}.md").write_text(
            f"---\ndeck: {name}\n---\n"
            + "".join(f"## {name} question {i}?\nAnswer {i}.\n\n" for i in range(15))
        )
    study.sync()

    def counts() -> list[tuple[str, int, int, int, int]]:
        return [
            (c.deck, c.new, c.learning, c.review, c.total)
            for c in study.deck_counts()
            if c.section == ""
        ]

    def total() -> tuple[int, int, int, int]:
        t = study.total_counts()
        return (t.new, t.learning, t.review, t.total)

    assert counts() == [("Alpha", 15, 0, 0, 15), ("Beta", 15, 0, 0, 15)]
    assert total() == (20, 0, 0, 30)
    assert len(study.queue("Beta")) == 15  # what the Beta row promised
    queue = study.queue()
    assert len(queue) == 20
    for cid in queue[:8]:
        study.answer(cid, Rating.GOOD, duration_ms=500)  # Alpha's first eight: 10 min step
    # 12 new left today; the eight on their 10-minute step count as learning at once
    assert counts() == [("Alpha", 7, 8, 0, 15), ("Beta", 12, 0, 0, 15)]
    assert total() == (12, 8, 0, 30)
    clock.advance(minutes=10)
    assert counts() == [("Alpha", 7, 8, 0, 15), ("Beta", 12, 0, 0, 15)]
    assert total() == (12, 8, 0, 30)
    assert len(study.queue()) == 8 + 12

    for cid in queue[8:15]:
        graduate(study, cid)  # the rest of Alpha's new cards: due in days
    study.save_settings(dataclasses.replace(study.settings(), reviews_per_day=3))
    clock.advance(days=60)  # a new study day; Alpha's 15 are due, 3 reviews allowed
    assert counts() == [("Alpha", 0, 8, 3, 15), ("Beta", 15, 0, 0, 15)]
    assert total() == (15, 8, 3, 30)
