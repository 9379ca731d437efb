"""Recall figures: how long one autosave takes (the editor saves every 3 s and on every screen
change, so it must be a few milliseconds), and how fast the check step's suggestions are
computed for a large deck against a long recall text.

Run: ``python benchmarks/recall_bench.py``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from studyrnn.recall.journal import Target
from studyrnn.recall.service import RecallJournal
from studyrnn.recall.suggest import RecallIndex

SEED_NOTES = Path(__file__).resolve().parent.parent.parent / "shared" / "seed-notes"
FALLBACK = "The forget gate decides what to erase from the long-term state c_t. " * 200


def recall_text() -> str:
    notes = sorted(SEED_NOTES.glob("*.md")) if SEED_NOTES.is_dir() else []
    notes = [n for n in notes if n.name != "README.md"]
    return notes[0].read_text(encoding="utf-8") if notes else FALLBACK


def autosave_ms(text: str, rounds: int = 50) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        journal = RecallJournal(f"sqlite:///{folder}/bench.db")
        try:
            session = journal.start("bench", (Target("RNNs"),))
            times = []
            for i in range(rounds):
                start = time.perf_counter()
                journal.autosave(session.id, text + str(i), i * 3000)
                times.append((time.perf_counter() - start) * 1000)
            return times
        finally:
            journal.close()


def suggestions_ms(text: str, cards: int = 1000) -> float:
    fronts = [f"What does gate number {i} of the LSTM cell decide?" for i in range(cards)]
    back = "Which parts of the long-term state `c_{{t-1}}` to erase, step {}."
    backs = [back.format(i) for i in range(cards)]
    start = time.perf_counter()
    index = RecallIndex(text)
    for front, back in zip(fronts, backs, strict=True):
        index.suggest(front, back)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    text = recall_text()
    saves = autosave_ms(text)
    print(f"recall text: {len(text):,} characters, {len(text.split()):,} words")
    print(
        f"autosave (SQLite, synchronous=FULL): median {statistics.median(saves):.1f} ms, "
        f"max {max(saves):.1f} ms over {len(saves)} saves"
    )
    print(f"suggestions for 1,000 cards: {suggestions_ms(text):.0f} ms")


if __name__ == "__main__":
    main()
