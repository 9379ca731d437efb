"""A reviewing process for the durability tests (run as a script, not collected by pytest).

Usage: python answer_loop.py DB_URL DECK_DIR COUNT [GO_FILE]

Answers COUNT times (0: until killed), cycling over every card, and prints ``ack <review id>
<card id>`` after each answer has returned, that is after it was committed. With GO_FILE it
waits for that file to exist before starting, so two processes start together.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from studyrnn.engine.study import Study
from studyrnn.values import Rating


def main() -> None:
    url, deck_dir, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    go = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    study = Study(url, [deck_dir])
    cards = [info.card_id for info in study.search(limit=10_000) if not info.retired]
    print("ready", flush=True)
    while go is not None and not go.exists():
        time.sleep(0.01)
    n = 0
    while count == 0 or n < count:
        card = cards[n % len(cards)]
        row = study.answer(card, Rating.GOOD if n % 3 else Rating.AGAIN, duration_ms=n)
        print(f"ack {row.id} {card}", flush=True)
        n += 1
    study.close()


if __name__ == "__main__":
    main()
