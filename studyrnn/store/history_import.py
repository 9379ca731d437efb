"""Loading a review history from a CSV (``card_id,review_rating,review_time,review_duration``),
so the optimizer and the statistics can work on a real history.

Each distinct ``card_id`` becomes a retired card in the deck "Imported reviews" (key
``import:<card_id>``): the reviews need a card to belong to, and a retired card never enters
the queue. The history is replayed through fsrs so every log row has real states and due dates.
Importing the same file twice adds nothing the second time (rows are matched on card and time).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from studyrnn.decks.model import Card, CardKind
from studyrnn.errors import UsageError
from studyrnn.store.chunks import chunked
from studyrnn.store.codec import card_to_json
from studyrnn.store.models import CardRow, Deck, Review
from studyrnn.values import Rating, Source


class Schedule(Protocol):
    """A card's schedule after an answer (``schedule.fsrs_step.Memory`` is one)."""

    @property
    def state(self) -> int: ...
    @property
    def step(self) -> int | None: ...
    @property
    def stability(self) -> float | None: ...
    @property
    def difficulty(self) -> float | None: ...
    @property
    def due(self) -> datetime | None: ...
    @property
    def last_review(self) -> datetime | None: ...


# (card id, [(rating, time), ...]) -> [(schedule before, schedule after), ...]; passed in by the
# caller, so that the store does not import the scheduling layer above it.
Replay = Callable[[int, Sequence[tuple[Rating, datetime]]], Sequence[tuple[Schedule, Schedule]]]

DECK = "Imported reviews"
COLUMNS = ("card_id", "review_rating", "review_time", "review_duration")


@dataclass(frozen=True, slots=True)
class ImportReport:
    reviews: int
    cards: int
    skipped: int  # already imported
    zone: str = ""  # the time zone whose study days the history was replayed in

    def summary(self) -> str:
        done = (
            f"imported {self.reviews} reviews of {self.cards} cards ({self.skipped} already there)"
        )
        return f"{done}; study days in {self.zone}" if self.zone else done


def read_csv(path: Path) -> dict[int, list[tuple[Rating, datetime, int]]]:
    """The file's reviews per card, in time order; a bad row is a UsageError naming its line."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", "check the path") from exc
    per_card: dict[int, list[tuple[Rating, datetime, int]]] = defaultdict(list)
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS[:3] if c not in (reader.fieldnames or ())]
        if missing:
            raise UsageError(
                f"{path} lacks the column(s) {', '.join(missing)}",
                f"the first line must name the columns {','.join(COLUMNS)}",
            )
        for line, row in enumerate(reader, start=2):
            try:
                when = datetime.fromisoformat(row["review_time"])
                if when.tzinfo is None:
                    raise ValueError("the time has no time zone")
                per_card[int(row["card_id"])].append(
                    (
                        Rating(int(row["review_rating"])),
                        when.astimezone(UTC),
                        int(float(row.get("review_duration") or 0)),
                    )
                )
            except (ValueError, TypeError) as exc:
                raise UsageError(
                    f"{path}:{line}: cannot read this review: {exc}",
                    "card_id is an integer, rating 1-4, time ISO 8601 with a zone, duration ms",
                ) from exc
    for history in per_card.values():
        history.sort(key=lambda item: item[1])
    return per_card


def _placeholder(external_id: int) -> Card:
    key = f"import:{external_id}"
    return Card(
        key=key,
        note_key=key,
        explicit_id=None,
        deck=DECK,
        section="",
        kind=CardKind.BASIC,
        front=f"Imported card {external_id}",
        back="",
        body="",
        path="",
        line=0,
    )


def import_reviews(
    session: Session,
    path: Path,
    replay: Replay,
    day_of: Callable[[datetime], date],
    zone: str = "",
) -> ImportReport:
    """Add the file's reviews; ``replay`` gives each card's schedule after each answer and
    ``day_of`` each answer's study day, both in the zone named ``zone``."""
    per_card = read_csv(path)
    deck_id = session.scalar(select(Deck.id).where(Deck.name == DECK))
    if deck_id is None:
        deck = Deck(name=DECK)
        session.add(deck)
        session.flush()
        deck_id = deck.id
    imported = skipped = 0
    rows: list[dict[str, object]] = []
    touched: set[int] = set()  # cards that got imported reviews
    for external_id, history in per_card.items():
        card = _placeholder(external_id)
        row = session.scalar(select(CardRow).where(CardRow.key == card.key))
        if row is None:
            row = CardRow(
                key=card.key,
                note_key=card.note_key,
                deck_id=deck_id,
                section="",
                kind="basic",
                front=card.front,
                back="",
                tags="",
                path="",
                line=0,
                position=0,
                content=card_to_json(card),
                retired=True,
                leech=False,
                state=0,
                reps=0,
                lapses=0,
                suspended=False,
            )
            session.add(row)
            session.flush()
        steps = replay(row.id, [(rating, when) for rating, when, _ in history])
        have = set(session.scalars(select(Review.reviewed_at).where(Review.card_id == row.id)))
        added, already = review_rows(row, history, steps, day_of, have)
        if added:
            touched.add(row.id)
        rows += added
        imported += len(added)
        skipped += already
        set_schedule(row, history, steps)
    if rows:
        session.execute(insert(Review), rows)
        mark_first_answers(session, sorted(touched))
    return ImportReport(reviews=imported, cards=len(per_card), skipped=skipped, zone=zone)


def review_rows(
    row: CardRow,
    history: Sequence[tuple[Rating, datetime, int]],
    steps: Sequence[tuple[Schedule, Schedule]],
    day_of: Callable[[datetime], date],
    have: Collection[datetime],
) -> tuple[list[dict[str, object]], int]:
    """The log rows for the card's answers that are not in the store yet (``have``: the
    times of its reviews there), for one bulk insert, and how many were already there."""
    rows: list[dict[str, object]] = []
    for (rating, when, duration), (before, after) in zip(history, steps, strict=True):
        if when in have:
            continue
        rows.append(
            {
                "card_id": row.id,
                "rating": int(rating),
                "reviewed_at": when,
                "study_day": day_of(when).toordinal(),
                "duration_ms": duration,
                "source": Source.REVIEW.value,
                "state_before": before.state,
                "state_after": after.state,
                "due_before": before.due,
                "due_after": after.due,
                "verdict": None,
                "seed": None,
                "prior": None,
            }
        )
    return rows, len(history) - len(rows)


def set_schedule(
    row: CardRow,
    history: Sequence[tuple[Rating, datetime, int]],
    steps: Sequence[tuple[Schedule, Schedule]],
) -> None:
    """The card's schedule after its last answer, and its answer and lapse counts."""
    last = steps[-1][1]
    row.state, row.step, row.stability = last.state, last.step, last.stability
    row.difficulty, row.due, row.last_review = last.difficulty, last.due, last.last_review
    row.reps = len(history)
    row.lapses = sum(
        1
        for (r, _w, _d), (b, _a) in zip(history, steps, strict=True)
        if b.state == 2 and r is Rating.AGAIN
    )


def mark_first_answers(session: Session, card_ids: Sequence[int]) -> None:
    """Set ``first_of_day`` on these cards' reviews: true on the first answer to a card in
    each study day (the smallest id: reviews are written in time order), cram answers left out;
    what ``Study.answer`` sets as it goes. Each card is marked again whole, so that a history
    imported in two goes is marked as if it came in one."""
    for chunk in chunked(card_ids):
        first_ids = (
            select(func.min(Review.id))
            .where(Review.card_id.in_(chunk), Review.source != Source.CRAM.value)
            .group_by(Review.study_day, Review.card_id)
        )
        session.execute(
            update(Review)
            .where(Review.card_id.in_(chunk))
            .values(first_of_day=Review.id.in_(first_ids)),
            execution_options={"synchronize_session": False},
        )
