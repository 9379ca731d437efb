"""Reading and writing recall sessions: plain functions over a SQLAlchemy ``Session``.

The caller owns the transaction (``with sessions.write() as s:``), so one autosave is one short
commit. Each function touches only the recall tables (``store.recall_models``) and gives back
the frozen values of ``recall.journal``, never an ORM object.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from studyrnn.errors import UsageError
from studyrnn.recall.journal import MarkRecord, SessionRecord, Target
from studyrnn.recall.marks import Mark, Stage
from studyrnn.store.recall_models import RecallMarkRow, RecallSessionRow

OPEN_STAGES = (Stage.RECALL.value, Stage.CHECK.value, Stage.DEBRIEF.value)


def create(s: Session, goal: str, targets: Sequence[Target], now: datetime) -> int:
    row = RecallSessionRow(
        goal=goal.strip(),
        targets=_dump_targets(targets),
        text="",
        debrief="",
        stage=Stage.RECALL.value,
        started_at=now,
        saved_at=now,
        recall_ms=0,
        check_ms=0,
    )
    s.add(row)
    s.flush()
    return row.id


def _row(s: Session, session_id: int) -> RecallSessionRow:
    row = s.get(RecallSessionRow, session_id)
    if row is None:
        raise UsageError(
            f"there is no recall session {session_id}",
            "run `studyrnn journal list` to see the sessions and their numbers",
        )
    return row


def save_text(s: Session, session_id: int, text: str, recall_ms: int, now: datetime) -> None:
    """The autosave: the recall text and the writing time so far."""
    row = _row(s, session_id)
    row.text = text
    row.recall_ms = max(0, recall_ms)
    row.saved_at = now


def update(
    s: Session,
    session_id: int,
    now: datetime,
    *,
    goal: str | None = None,
    targets: Sequence[Target] | None = None,
    stage: Stage | None = None,
    check_ms: int | None = None,
    debrief: str | None = None,
) -> None:
    row = _row(s, session_id)
    if goal is not None:
        row.goal = goal.strip()
    if targets is not None:
        row.targets = _dump_targets(targets)
    if stage is not None:
        row.stage = stage.value
        if stage in (Stage.DONE, Stage.ABANDONED) and row.finished_at is None:
            row.finished_at = now
    if check_ms is not None:
        row.check_ms = max(0, check_ms)
    if debrief is not None:
        row.debrief = debrief.strip()
    row.saved_at = now


def put_mark(s: Session, session_id: int, mark: MarkRecord, now: datetime) -> None:
    """Set (or change) the mark of one card in a session. A mark that already became a review
    keeps its link; changing it after the debrief is not supported by the screens."""
    _row(s, session_id)
    row = s.scalars(_mark_query(session_id, mark.card_key)).one_or_none()
    if row is None:
        row = RecallMarkRow(session_id=session_id, card_key=mark.card_key)
        s.add(row)
    row.card_id = mark.card_id
    row.deck = mark.deck
    row.section = mark.section
    row.front = mark.front
    row.position = mark.position
    row.mark = mark.mark.value
    row.note = mark.note.strip()
    row.suggested = mark.suggested.value if mark.suggested is not None else None
    row.duration_ms = max(0, mark.duration_ms)
    row.marked_at = now
    row.review_id = mark.review_id if row.review_id is None else row.review_id


def remove_mark(s: Session, session_id: int, card_key: str) -> None:
    row = s.scalars(_mark_query(session_id, card_key)).one_or_none()
    if row is not None and row.review_id is None:
        s.delete(row)


def link_review(s: Session, session_id: int, card_key: str, review_id: int) -> None:
    s.scalars(_mark_query(session_id, card_key)).one().review_id = review_id


def _mark_query(session_id: int, card_key: str) -> Select[RecallMarkRow]:
    """The mark of one card in one session (at most one: the pair is unique)."""
    return select(RecallMarkRow).where(
        RecallMarkRow.session_id == session_id, RecallMarkRow.card_key == card_key
    )


def load(s: Session, session_id: int) -> SessionRecord:
    return _record(s, _row(s, session_id))


def latest_open(s: Session) -> SessionRecord | None:
    """The most recent interrupted session, to offer for resumption."""
    row = s.scalars(
        select(RecallSessionRow)
        .where(RecallSessionRow.stage.in_(OPEN_STAGES))
        .order_by(RecallSessionRow.saved_at.desc(), RecallSessionRow.id.desc())
        .limit(1)
    ).one_or_none()
    return None if row is None else _record(s, row)


def all_sessions(s: Session) -> list[SessionRecord]:
    """Every session, oldest first, with its marks."""
    rows = s.scalars(select(RecallSessionRow).order_by(RecallSessionRow.id)).all()
    marks: dict[int, list[RecallMarkRow]] = {}
    for m in s.scalars(select(RecallMarkRow).order_by(RecallMarkRow.position, RecallMarkRow.id)):
        marks.setdefault(m.session_id, []).append(m)
    return [_record(s, r, marks.get(r.id, [])) for r in rows]


def _record(
    s: Session, row: RecallSessionRow, marks: Sequence[RecallMarkRow] | None = None
) -> SessionRecord:
    if marks is None:
        marks = s.scalars(
            select(RecallMarkRow)
            .where(RecallMarkRow.session_id == row.id)
            .order_by(RecallMarkRow.position, RecallMarkRow.id)
        ).all()
    return SessionRecord(
        id=row.id,
        goal=row.goal,
        targets=_load_targets(row.targets),
        text=row.text,
        debrief=row.debrief,
        stage=Stage(row.stage),
        started_at=row.started_at,
        saved_at=row.saved_at,
        recall_ms=row.recall_ms,
        check_ms=row.check_ms,
        finished_at=row.finished_at,
        marks=tuple(
            MarkRecord(
                card_key=m.card_key,
                card_id=m.card_id,
                deck=m.deck,
                section=m.section,
                front=m.front,
                position=m.position,
                mark=Mark(m.mark),
                note=m.note,
                suggested=Mark(m.suggested) if m.suggested else None,
                duration_ms=m.duration_ms,
                marked_at=m.marked_at,
                review_id=m.review_id,
            )
            for m in marks
        ),
    )


def _dump_targets(targets: Sequence[Target]) -> str:
    return json.dumps([[t.deck, t.section] for t in targets], ensure_ascii=False)


def _load_targets(raw: str) -> tuple[Target, ...]:
    return tuple(Target(str(deck), str(section)) for deck, section in json.loads(raw or "[]"))
