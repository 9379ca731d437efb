"""What a recall session is, as the layers above see it: frozen values read from the store,
plus the pure logic around them (which cards to check and in what order, the counts, how
coverage of a deck changed across sessions).

No store access here (that is ``recall.store_ops``) and no UI.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from studyrnn.recall.marks import Mark, Stage
from studyrnn.values import CardInfo

SECTION_SEP = " › "


@dataclass(frozen=True, slots=True)
class Target:
    """A deck, or one section of it (``section`` ""), that the learner chose to recall."""

    deck: str
    section: str = ""

    @property
    def label(self) -> str:
        return f"{self.deck}{SECTION_SEP}{self.section}" if self.section else self.deck

    def covers(self, deck: str, section: str) -> bool:
        return deck == self.deck and (not self.section or section == self.section)

    @classmethod
    def parse(cls, text: str) -> Target:
        """``"RNNs"`` or ``"RNNs › LSTM"`` (``>`` and ``/`` work as the separator too)."""
        for sep in (SECTION_SEP.strip(), ">", "/"):
            if sep in text:
                deck, _, section = text.partition(sep)
                return cls(deck.strip(), section.strip())
        return cls(text.strip())


@dataclass(frozen=True, slots=True)
class MarkRecord:
    card_key: str
    card_id: int | None
    deck: str
    section: str
    front: str
    position: int
    mark: Mark
    note: str = ""
    suggested: Mark | None = None
    duration_ms: int = 0
    marked_at: datetime | None = None
    review_id: int | None = None

    @property
    def place(self) -> str:
        return f"{self.deck}{SECTION_SEP}{self.section}" if self.section else self.deck


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: int
    goal: str
    targets: tuple[Target, ...]
    text: str
    debrief: str
    stage: Stage
    started_at: datetime
    saved_at: datetime
    recall_ms: int = 0
    check_ms: int = 0
    finished_at: datetime | None = None
    marks: tuple[MarkRecord, ...] = field(default=())

    @property
    def counts(self) -> dict[Mark, int]:
        out = dict.fromkeys(Mark, 0)
        for m in self.marks:
            out[m.mark] += 1
        return out

    @property
    def spent_ms(self) -> int:
        return self.recall_ms + self.check_ms

    @property
    def open(self) -> bool:
        """Interrupted: offered for resumption on the next start."""
        return self.stage in (Stage.RECALL, Stage.CHECK, Stage.DEBRIEF)

    def flagged(self) -> list[MarkRecord]:
        """The 🔴 and 🟡 marks, in check order: what the debrief and the export list."""
        return [m for m in self.marks if m.mark in (Mark.MISSED, Mark.SHAKY)]

    def title(self) -> str:
        return ", ".join(t.label for t in self.targets) or "(no decks)"


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One card on the check screen, in the order it is shown."""

    position: int
    info: CardInfo

    @property
    def key(self) -> str:
        return self.info.card.key


def plan_check(targets: Sequence[Target], cards: Iterable[CardInfo]) -> list[CheckItem]:
    """The cards to check: those of the chosen decks and sections, target by target in the
    order chosen, each in deck order (file, then line), which keeps sections together.
    Retired and suspended cards are left out; a card two targets cover comes once."""
    pool = [c for c in cards if not c.retired and not c.suspended]
    pool.sort(key=lambda c: (c.card.path, c.card.line, c.card.key))
    chosen: list[CardInfo] = []
    seen: set[str] = set()
    for target in targets:
        for info in pool:
            if info.card.key not in seen and target.covers(info.card.deck, info.card.section):
                chosen.append(info)
                seen.add(info.card.key)
    return [CheckItem(i, info) for i, info in enumerate(chosen)]


@dataclass(frozen=True, slots=True)
class Coverage:
    """How one session went on one deck: the marks of that deck's cards."""

    session_id: int
    started_at: datetime
    recalled: int
    shaky: int
    missed: int
    skipped: int

    @property
    def checked(self) -> int:
        return self.recalled + self.shaky + self.missed

    @property
    def share(self) -> float | None:
        """Recalled share of the checked (not skipped) cards; None when none were checked."""
        return self.recalled / self.checked if self.checked else None


def coverage(sessions: Iterable[SessionRecord], deck: str) -> list[Coverage]:
    """Per session that checked cards of ``deck``, oldest first: recalled / shaky / missed."""
    out: list[Coverage] = []
    for s in sorted(sessions, key=lambda s: (s.started_at, s.id)):
        marks = [m.mark for m in s.marks if m.deck == deck]
        if not marks:
            continue
        out.append(
            Coverage(
                s.id,
                s.started_at,
                marks.count(Mark.RECALLED),
                marks.count(Mark.SHAKY),
                marks.count(Mark.MISSED),
                marks.count(Mark.SKIP),
            )
        )
    return out


def decks_in(sessions: Iterable[SessionRecord]) -> list[str]:
    """Every deck some session marked a card of, sorted, for the Journal screen's picker."""
    return sorted({m.deck for s in sessions for m in s.marks})


def format_duration(ms: int) -> str:
    """``42 s``, ``12 min``, ``1 h 05 min``: how long a session took, for people."""
    seconds = max(0, ms) // 1000
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
