"""Answering a card, and taking the last answer back.

An answer runs one FSRS step, updates the card's schedule columns, buries its siblings for
the rest of the study day and appends one row to the review log. The row keeps ``prior``, a
JSON snapshot of everything the answer changed (the card's schedule and the siblings' bury
times), so that undo restores the exact previous state and deletes the row.

- Source ``review``: the normal case.
- Source ``recall``: a mark from a recall session. Scheduled the same way, then the card itself
  is buried until the next study day too: the learner has just read its answer while checking,
  so a short learning step must not ask it again today.
- Source ``cram``: drilling ahead. Logged, but the schedule is not touched.

Part of the engine facade (``studyrnn.engine.study``); takes the caller's ``Session``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyrnn.engine.context import Context, card_row, memory
from studyrnn.schedule import fsrs_step
from studyrnn.store.models import NEW, REVIEW, CardRow, Review
from studyrnn.store.sync import new_seed
from studyrnn.values import Rating, Source

LEECH_LAPSES = 8  # a card that lapses this often is tagged a leech (Anki's default)


def record(
    session: Session,
    context: Context,
    row: CardRow,
    rating: Rating,
    now: datetime,
    *,
    duration_ms: int,
    source: Source,
    verdict: str | None,
    seed: int | None,
) -> Review:
    """Schedule ``row`` for ``rating`` and add its log row (flushed, so it has its id)."""
    snapshot = _snapshot(row)
    before_state, before_due = row.state, row.due
    # Only scheduled answers set last_review, so it says whether the card was answered
    # (cram aside) earlier in this study day, without a query.
    today_starts = context.day.start(context.today(now))
    first_of_day = source is not Source.CRAM and (
        row.last_review is None or row.last_review < today_starts
    )
    # Only code cards have a variant or seeded inputs; a seed on a basic card would mean nothing.
    is_code = row.kind in ("predict", "write")
    used_seed = (seed if seed is not None else row.pending_seed) if is_code else None
    buried: list[list[Any]] = []
    if source is not Source.CRAM:
        after = fsrs_step.step(context.config, row.id, row.reps, memory(row), rating, now)
        if row.state == REVIEW and rating is Rating.AGAIN:
            row.lapses += 1
            row.leech = row.leech or row.lapses >= LEECH_LAPSES
        row.state, row.step = after.state, after.step
        row.stability, row.difficulty = after.stability, after.difficulty
        row.due, row.last_review = after.due, after.last_review
        row.reps += 1
        tomorrow = context.tomorrow_starts(now)
        row.buried_until = tomorrow if source is Source.RECALL else None
        buried = _bury_siblings(session, row, tomorrow)
    row.pending_seed = new_seed()  # the next review of a parametric card draws a new variant
    log = Review(
        card_id=row.id,
        rating=int(rating),
        reviewed_at=now,
        study_day=context.today(now).toordinal(),
        first_of_day=first_of_day,
        duration_ms=max(0, int(duration_ms)),
        source=source.value,
        state_before=before_state,
        state_after=row.state,
        due_before=before_due,
        due_after=row.due,
        verdict=verdict,
        seed=used_seed,
        prior=json.dumps({"card": snapshot, "buried": buried}),
    )
    session.add(log)
    session.flush()
    return log


def take_back(session: Session, review_id: int) -> CardRow | None:
    """Undo the answer logged as ``review_id``: restore the card and the siblings it buried,
    delete the log row. Returns the card, or None when there is nothing to undo."""
    log = session.get(Review, review_id)
    if log is None or log.prior is None:
        return None
    prior = json.loads(log.prior)
    row = card_row(session, log.card_id)
    _restore(row, prior["card"])
    for sibling_id, until in prior.get("buried", []):
        sibling = session.get(CardRow, sibling_id)
        if sibling is not None:
            sibling.buried_until = _from_iso(until)
    session.delete(log)
    session.flush()
    return row


def _bury_siblings(session: Session, row: CardRow, until: datetime) -> list[list[Any]]:
    """Hide the note's other cards (cloze siblings, the other direction of a bidirectional
    card) until ``until``; returns ``[id, previous buried_until]`` pairs for undo. Only new and
    review siblings are buried: a sibling in the middle of its learning steps keeps going."""
    out: list[list[Any]] = []
    # Only note_key in SQL: with more conditions SQLite may pick a worse index.
    siblings = session.scalars(select(CardRow).where(CardRow.note_key == row.note_key))
    for sibling in siblings:
        if sibling.id == row.id or sibling.retired or sibling.state not in (NEW, REVIEW):
            continue
        if sibling.buried_until is None or sibling.buried_until < until:
            out.append([sibling.id, _iso(sibling.buried_until)])
            sibling.buried_until = until
    return out


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if value is not None else None


def _snapshot(row: CardRow) -> dict[str, Any]:
    """Everything an answer may change on a card, for undo."""
    return {
        "state": row.state,
        "step": row.step,
        "stability": row.stability,
        "difficulty": row.difficulty,
        "due": _iso(row.due),
        "last_review": _iso(row.last_review),
        "reps": row.reps,
        "lapses": row.lapses,
        "leech": row.leech,
        "buried_until": _iso(row.buried_until),
        "pending_seed": row.pending_seed,
    }


def _restore(row: CardRow, snapshot: dict[str, Any]) -> None:
    row.state = snapshot["state"]
    row.step = snapshot["step"]
    row.stability = snapshot["stability"]
    row.difficulty = snapshot["difficulty"]
    row.due = _from_iso(snapshot["due"])
    row.last_review = _from_iso(snapshot["last_review"])
    row.reps = snapshot["reps"]
    row.lapses = snapshot["lapses"]
    row.leech = snapshot["leech"]
    row.buried_until = _from_iso(snapshot["buried_until"])
    row.pending_seed = snapshot["pending_seed"]
