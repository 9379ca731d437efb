"""Sync: reconcile the parsed decks with the store without losing any card's history.

- Files are hashed first; a file whose bytes match the digest stored at the last sync is not
  parsed again (its cards count as unchanged, and its stored lint problems are returned again).
- Cards are matched by key (an explicit id, or deck + front); a matched card keeps its row, so
  its schedule and reviews, whatever else was edited, and wherever it moved.
- An id-less card whose text was edited gets a new key. It is paired with a card that vanished
  from the same deck in this sync when they are clearly the same card: text similarity of at
  least ``SIMILAR`` (difflib ratio of front and back), or the same place in the same file with a
  ratio of at least ``SAME_PLACE``. The pair keeps the old row: "carried over".
- A vanished card is retired, never deleted; when its key comes back it is un-retired with its
  history (counted as added, since it is back in the decks).
The parser is passed in (``load``) so the store does not decide how decks are parsed.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import false, insert, select
from sqlalchemy.orm import Session

from studyrnn.decks.model import Card, DeckSet, Problem, Severity
from studyrnn.errors import UsageError
from studyrnn.store.chunks import chunked, rows_by_key
from studyrnn.store.codec import card_to_json
from studyrnn.store.models import NEW, CardRow, Deck, DeckFile
from studyrnn.values import SyncReport

SIMILAR = 0.75
SAME_PLACE = 0.3

Loader = Callable[[Sequence[Path]], DeckSet]
_CARDS = CardRow.metadata.tables[CardRow.__tablename__]  # the table, for Core bulk inserts


def new_seed() -> int:
    """A fresh variant seed for a parametric card (31 bits: fits every database's INTEGER)."""
    return secrets.randbelow(2**31)


def deck_files(paths: Iterable[Path]) -> list[Path]:
    """The markdown files under ``paths`` (folders are searched recursively, hidden ones
    skipped), resolved and sorted, each once."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for md in path.rglob("*.md"):
                rel = md.relative_to(path).parts
                if not any(part.startswith(".") for part in rel):
                    found.add(md.resolve())
        elif path.is_file():
            found.add(path.resolve())
        else:
            raise UsageError(f"no deck file or folder at {path}", "check the path, or use --decks")
    return sorted(found)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _in_scope(stored: str, paths: Sequence[Path]) -> bool:
    target = Path(stored)
    for path in paths:
        resolved = path.resolve()
        if target == resolved or resolved in target.parents:
            return True
    return False


def _problems_to_json(problems: Iterable[Problem]) -> str:
    return json.dumps(
        [[p.path, p.line, p.severity.value, p.code, p.message] for p in problems],
        separators=(",", ":"),
    )


def _problems_from_json(text: str) -> list[Problem]:
    rows = json.loads(text)
    return [Problem(p, line, Severity(sev), code, msg) for p, line, sev, code, msg in rows]


@functools.lru_cache(maxsize=4096)
def resolved(path: str) -> str:
    """Paths are stored resolved, so that the same file given two ways is one file."""
    return str(Path(path).resolve())


def tags_column(tags: Sequence[str]) -> str:
    return f" {' '.join(tags)} " if tags else ""


def _similarity(card: Card, row: CardRow) -> float:
    a = f"{card.front}\n{card.back}"
    b = f"{row.front}\n{row.back}"
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SAME_PLACE or matcher.quick_ratio() < SAME_PLACE:
        return 0.0
    return matcher.ratio()


@dataclass
class _Counts:
    added: int = 0
    changed: int = 0
    carried_over: int = 0
    retired: int = 0
    unchanged: int = 0


class _Decks:
    """Deck name -> id, creating decks on first use."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids = {name: id_ for id_, name in session.execute(select(Deck.id, Deck.name))}
        self.names = {id_: name for name, id_ in self.ids.items()}

    def id_of(self, name: str) -> int:
        if name not in self.ids:
            deck = Deck(name=name)
            self.session.add(deck)
            self.session.flush()
            self.ids[name] = deck.id
            self.names[deck.id] = name
        return self.ids[name]


def _without_places(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_places(v) for k, v in value.items() if k not in ("line", "path")}
    if isinstance(value, list):
        return [_without_places(v) for v in value]
    return value


def _meaning(content: str | None) -> Any:
    """A card's content without its file and line numbers: moving a card, or editing the
    cards above it, does not change it."""
    return _without_places(json.loads(content)) if content else None


def _columns(card: Card, position: int, deck_id: int) -> dict[str, Any]:
    """The card's content as the ``cards`` columns sync writes (never its schedule)."""
    return {
        "key": card.key,
        "note_key": card.note_key,
        "explicit_id": card.explicit_id,
        "deck_id": deck_id,
        "section": card.section,
        "kind": card.kind.value,
        "front": card.front,
        "back": card.back,
        "tags": tags_column(card.tags),
        "path": resolved(card.path),
        "line": card.line,
        "position": position,
        "content": card_to_json(card),
    }


def _apply(row: CardRow, card: Card, position: int, deck_id: int) -> bool:
    """Write the card's content into the row; True when anything the learner sees changed."""
    columns = _columns(card, position, deck_id)
    content = columns["content"]
    changed = row.deck_id != deck_id or (
        content != row.content and _meaning(content) != _meaning(row.content)
    )
    for name, value in columns.items():
        setattr(row, name, value)
    return changed


def _new_row(card: Card, position: int, deck_id: int) -> dict[str, Any]:
    """A new card's columns, for one bulk insert of all the new cards of a sync."""
    return {
        **_columns(card, position, deck_id),
        "retired": False,
        "leech": False,
        "state": NEW,
        "reps": 0,
        "lapses": 0,
        "suspended": False,
        "pending_seed": new_seed(),
    }


def sync(session: Session, paths: Sequence[Path], now: datetime, load: Loader) -> SyncReport:
    """Reconcile the decks under ``paths`` with the store, in the caller's transaction."""
    files = deck_files(paths)
    known = {row.path: row for row in session.scalars(select(DeckFile))}
    digests = {str(f): digest(f) for f in files}
    unchanged_files = [p for p, d in digests.items() if p in known and known[p].digest == d]
    changed_files = [p for p in digests if p not in unchanged_files]
    removed_files = [p for p in known if p not in digests and _in_scope(p, paths)]

    counts = _Counts()
    problems: list[Problem] = []
    for path in unchanged_files:
        problems.extend(_problems_from_json(known[path].problems))
    counts.unchanged = sum(known[path].cards for path in unchanged_files)

    parsed = load([Path(p) for p in changed_files]) if changed_files else DeckSet((), ())
    problems.extend(parsed.problems)
    per_file = _reconcile(session, parsed, changed_files + removed_files, counts, problems)

    for deck_file in parsed.files:
        stored_path = resolved(deck_file.path)
        row = known.get(stored_path)
        file_problems = _problems_to_json(deck_file.problems)
        if row is None:
            session.add(
                DeckFile(
                    path=stored_path,
                    digest=digests.get(stored_path, deck_file.digest),
                    problems=file_problems,
                    cards=per_file.get(stored_path, 0),
                    synced_at=now,
                )
            )
        else:
            row.digest = digests.get(stored_path, deck_file.digest)
            row.problems = file_problems
            row.cards = per_file.get(stored_path, 0)
            row.synced_at = now
    for path in removed_files:
        session.delete(known[path])
    problems.sort(key=lambda p: (p.path, p.line))
    return SyncReport(
        added=counts.added,
        changed=counts.changed,
        carried_over=counts.carried_over,
        retired=counts.retired,
        unchanged=counts.unchanged,
        problems=tuple(problems),
    )


def _reconcile(
    session: Session,
    parsed: DeckSet,
    touched_paths: Sequence[str],
    counts: _Counts,
    problems: list[Problem],
) -> Counter[str]:
    """Match, carry over, add and retire; returns how many cards each file now has."""
    decks = _Decks(session)
    cards = [
        (card, index) for deck_file in parsed.files for index, card in enumerate(deck_file.cards)
    ]
    by_key = rows_by_key(session, [card.key for card, _ in cards])
    old_active: dict[int, CardRow] = {}
    for chunk in chunked(touched_paths):
        for row in session.scalars(
            select(CardRow).where(CardRow.path.in_(chunk), CardRow.retired == false())
        ):
            old_active[row.id] = row

    unmatched: list[tuple[Card, int]] = []
    seen: set[str] = set()
    per_file: Counter[str] = Counter()
    for card, index in cards:
        if card.key in seen:
            problems.append(
                Problem(
                    card.path,
                    card.line,
                    Severity.WARNING,
                    "duplicate-key",
                    "this card has the same question as another card of the deck, so it was"
                    " not synced (give one of them an id, or change its question)",
                )
            )
            continue
        seen.add(card.key)
        per_file[resolved(card.path)] += 1
        known = by_key.get(card.key)
        if known is None:
            unmatched.append((card, index))
            continue
        old_active.pop(known.id, None)
        changed = _apply(known, card, index, decks.id_of(card.deck))
        if known.retired:
            known.retired = False
            counts.added += 1
        elif changed:
            counts.changed += 1
        else:
            counts.unchanged += 1

    # A vanished card is a candidate for new cards of its deck, and of its file (so renaming
    # a deck in the front matter, which changes every derived key, keeps the history too).
    vanished: dict[str, list[CardRow]] = defaultdict(list)
    for row in old_active.values():
        vanished[f"deck:{decks.names[row.deck_id]}"].append(row)
        vanished[f"file:{row.path}"].append(row)
    pairs = _pair(unmatched, vanished)
    for (card, index), row in pairs:
        old_active.pop(row.id, None)
        _apply(row, card, index, decks.id_of(card.deck))
        counts.carried_over += 1
    paired = {id(card) for (card, _), _ in pairs}
    added = [
        _new_row(card, index, decks.id_of(card.deck))
        for card, index in unmatched
        if id(card) not in paired
    ]
    if added:
        # One Core executemany for all of them: adding 10,000 cards one ORM object at a time
        # took seconds, most of it in the unit of work.
        session.execute(insert(_CARDS), added)
    counts.added += len(added)
    for gone in old_active.values():
        gone.retired = True
        counts.retired += 1
    session.flush()
    return per_file


def _pair(
    unmatched: Sequence[tuple[Card, int]], vanished: dict[str, list[CardRow]]
) -> list[tuple[tuple[Card, int], CardRow]]:
    """Greedy best-first pairing of new cards with vanished ones of the same deck or file."""
    scored: list[tuple[float, int, int, tuple[Card, int], CardRow]] = []
    for n, (card, index) in enumerate(unmatched):
        candidates = {
            row.id: row
            for key in (f"deck:{card.deck}", f"file:{resolved(card.path)}")
            for row in vanished.get(key, ())
        }
        for row in candidates.values():
            ratio = _similarity(card, row)
            same_place = row.path == resolved(card.path) and row.position == index
            if ratio >= SIMILAR or (same_place and ratio >= SAME_PLACE):
                scored.append((ratio + (1.0 if same_place else 0.0), n, row.id, (card, index), row))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    used_cards: set[int] = set()
    used_rows: set[int] = set()
    out: list[tuple[tuple[Card, int], CardRow]] = []
    for _score, n, row_id, item, row in scored:
        if n in used_cards or row_id in used_rows:
            continue
        used_cards.add(n)
        used_rows.add(row_id)
        out.append((item, row))
    return out
