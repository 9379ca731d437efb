"""The four marks a learner gives a card when checking a recall, and what each does to the
schedule. Pure values: no store, no UI. The check screen, the store and the export all speak
in these.
"""

from __future__ import annotations

import enum

from studyrnn.values import Rating


class Mark(enum.StrEnum):
    """How well a card's content came up in the free recall. The values are stored."""

    RECALLED = "recalled"  # ✓
    SHAKY = "shaky"  # 🟡
    MISSED = "missed"  # 🔴 missing or wrong
    SKIP = "skip"  # not part of today's goal

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def rating(self) -> Rating | None:
        """The review a mark becomes: ✓ Good, 🟡 Hard, 🔴 Again; skip records nothing."""
        return _RATINGS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_SYMBOLS = {Mark.RECALLED: "✓", Mark.SHAKY: "🟡", Mark.MISSED: "🔴", Mark.SKIP: "–"}
_LABELS = {
    Mark.RECALLED: "recalled",
    Mark.SHAKY: "shaky",
    Mark.MISSED: "missed",
    Mark.SKIP: "skipped",
}
_RATINGS: dict[Mark, Rating | None] = {
    Mark.RECALLED: Rating.GOOD,
    Mark.SHAKY: Rating.HARD,
    Mark.MISSED: Rating.AGAIN,
    Mark.SKIP: None,
}


class Stage(enum.StrEnum):
    """Where a session is. RECALL, CHECK and DEBRIEF are open: offered for resumption on the
    next start. A learner who declines that closes it as ABANDONED; it stays in the journal."""

    RECALL = "recall"
    CHECK = "check"
    DEBRIEF = "debrief"
    DONE = "done"
    ABANDONED = "abandoned"
