"""Engine speed on a synthetic store: 100,000 cards and 1,000,000 review-log rows (SQLite).

Prints, against the targets of the engine issue:
- building today's queue (``Study.next_card`` and the full ``Study.queue``): 50 ms;
- the next card with today's counts, as the review screen asks (``Study.next_up``): 50 ms;
- Home's counts (``Study.deck_counts`` and ``Study.total_counts``), grouped by deck and section
  over every card: 500 ms (about what they took before the counts were unified);
- answering a card (fsrs step, log row, state update, commit), median: 5 ms;
- ``Study.stats``: 300 ms;
- re-sync of an unchanged 10,000-card deck folder: 100 ms.

Run: ``python benchmarks/store_bench.py [--cards N] [--reviews N] [--keep DIR]``. The store is
filled with SQLAlchemy Core ``executemany`` (not the ORM), which is how the figures stay
honest about the engine rather than about loading.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from studyrnn.decks.model import Card, CardKind
from studyrnn.engine.study import Study
from studyrnn.store.codec import card_to_json
from studyrnn.store.migrate import open_store
from studyrnn.store.models import CardRow, Deck, Review
from studyrnn.values import Rating

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DECKS = 20
BATCH = 20_000


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def fill(url: str, cards: int, reviews: int) -> None:
    rng = random.Random(7)
    engine = open_store(url)
    with engine.begin() as conn:
        conn.execute(insert(Deck), [{"id": i + 1, "name": f"Deck {i}"} for i in range(DECKS)])
        rows = []
        for i in range(1, cards + 1):
            deck = i % DECKS + 1
            card = Card(
                key=f"bench-{i}", note_key=f"bench-{i}", explicit_id=f"bench-{i}",
                deck=f"Deck {deck - 1}", section="", kind=CardKind.BASIC,
                front=f"Synthetic question {i}?", back=f"Answer {i}.", body=f"Answer {i}.",
                path=f"/bench/deck{deck}.md", line=i,
            )  # fmt: skip
            roll = rng.random()
            state = 0 if roll < 0.35 else 1 if roll < 0.40 else 2
            due = None
            if state == 1:
                due = NOW + timedelta(minutes=rng.randint(-600, 600))
            elif state == 2:
                due = NOW + timedelta(days=rng.uniform(-30, 365))
            rows.append(
                {
                    "id": i, "key": card.key, "note_key": card.note_key,
                    "explicit_id": card.explicit_id, "deck_id": deck, "section": "",
                    "kind": "basic", "front": card.front, "back": card.back, "tags": "",
                    "path": card.path, "line": i, "position": i, "content": card_to_json(card),
                    "retired": False, "leech": rng.random() < 0.01, "state": state,
                    "step": 0 if state == 1 else None,
                    "stability": rng.uniform(1, 300) if state else None,
                    "difficulty": rng.uniform(1, 10) if state else None,
                    "due": due, "last_review": NOW - timedelta(days=3) if state else None,
                    "reps": 5 if state else 0, "lapses": 1 if state else 0, "suspended": False,
                    "buried_until": None, "pending_seed": rng.randrange(2**31),
                }
            )  # fmt: skip
            if len(rows) == BATCH:
                conn.execute(insert(CardRow), rows)
                rows = []
        if rows:
            conn.execute(insert(CardRow), rows)
        span = 3 * 365 * 86400
        batch = []
        answered: set[tuple[int, int]] = set()  # (card, study day), for first_of_day
        for n in range(reviews):
            at = NOW - timedelta(seconds=span * (1 - n / reviews) + 1)
            card_id = rng.randint(1, cards)
            study_day = (at - timedelta(hours=4)).date().toordinal()
            first = (card_id, study_day) not in answered
            answered.add((card_id, study_day))
            batch.append(
                {
                    "card_id": card_id, "rating": rng.choice((1, 3, 3, 3, 3, 4)),
                    "reviewed_at": at, "duration_ms": 5000, "source": "review",
                    "study_day": study_day, "first_of_day": first,
                    "state_before": 2, "state_after": 2, "due_before": at, "due_after": at,
                    "verdict": None, "seed": None, "prior": None,
                }
            )  # fmt: skip
            if len(batch) == BATCH:
                conn.execute(insert(Review), batch)
                batch = []
        if batch:
            conn.execute(insert(Review), batch)
    engine.dispose()


def write_decks(folder: Path, cards: int, files: int = 50) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    per_file = cards // files
    for f in range(files):
        body = [f"---\ndeck: Sync {f}\n---\n"]
        for c in range(per_file):
            n = f * per_file + c
            body.append(f"## Sync question {n}?\n<!-- id: sync-{n} -->\nAnswer {n}.\n\n")
        (folder / f"deck{f:03}.md").write_text("".join(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--sync-cards", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Build the store in this folder and keep it.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="studyrnn-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.db"
    url = f"sqlite:///{db}"
    if not db.exists():
        start = time.perf_counter()
        fill(url, args.cards, args.reviews)
        print(
            f"filled {args.cards:,} cards and {args.reviews:,} reviews"
            f" in {time.perf_counter() - start:.1f} s"
        )
    clock_now = [NOW]
    decks = folder / "decks"
    write_decks(decks, args.sync_cards)
    # The filled cards' files are under /bench (no such folder): configure it too, or they
    # would be cards of decks not configured now, kept but never queued. Sync only `decks`.
    study = Study(url, [decks, Path("/bench")], clock=lambda: clock_now[0], tz=UTC)
    start, start_cpu = time.perf_counter(), time.process_time()
    first = study.sync([decks])
    print(
        f"first sync of {args.sync_cards:,} cards: {time.perf_counter() - start:.2f} s,"
        f" CPU {time.process_time() - start_cpu:.2f} s ({first.summary()})"
    )

    next_card = timed(lambda: study.next_card(), 30)
    full_queue = timed(lambda: study.queue(), 30)
    next_up = timed(lambda: study.next_up(), 30)
    home_counts = timed(lambda: (study.deck_counts(), study.total_counts()), 10)
    queue_ids = study.queue()
    answers = []
    answers_cpu = []
    for cid in queue_ids[:200]:
        clock_now[0] += timedelta(seconds=5)
        start, start_cpu = time.perf_counter(), time.process_time()
        study.answer(cid, Rating.GOOD, duration_ms=4000)
        answers.append((time.perf_counter() - start) * 1000)
        answers_cpu.append((time.process_time() - start_cpu) * 1000)
    stats = timed(lambda: study.stats(history=False), 5)
    stats_full = timed(lambda: study.stats(), 5)
    resync = timed(lambda: study.sync([decks]), 10)
    study.close()
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (figures are wall-clock unless said)")

    def line(name: str, values: list[float], target: float) -> None:
        median = statistics.median(values)
        verdict = "ok" if median <= target else "OVER"
        print(
            f"{name:<42} median {median:8.2f} ms  (max {max(values):8.2f})"
            f"  target {target:>4} ms  {verdict}"
        )

    line("next card (queue build, first card)", next_card, 50)
    line(f"full queue ({len(queue_ids)} cards)", full_queue, 50)
    line("next card with today's counts (next_up)", next_up, 50)
    line("Home's counts (every deck, all decks)", home_counts, 500)
    line(f"answer a card ({len(answers)} answers)", answers, 5)
    line("answer a card, CPU time of this process", answers_cpu, 5)
    line("stats (the studyrnn stats command)", stats, 300)
    line("stats with heatmap and months (the app)", stats_full, 300)
    line(f"re-sync, unchanged {args.sync_cards:,}-card folder", resync, 100)


if __name__ == "__main__":
    main()
