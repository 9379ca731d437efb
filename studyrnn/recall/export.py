"""A recall session as markdown, in the shape the learner writes by hand:

    # Goal / # Debrief / # Notes (the free-recall text as written)

then ``# Marks``: the decks, the times and the counts, and the 🔴 and 🟡 cards grouped by
deck and section, each with its note (``🔴 front => note``, the learner's own arrow).
✓ and skipped cards are counted, not listed: the notes are for what went wrong.

Pure: a ``SessionRecord`` in, a string out. The journal command writes the files.
"""

from __future__ import annotations

import re

from studyrnn.recall.journal import SessionRecord, format_duration
from studyrnn.recall.marks import Mark

_SPACE = re.compile(r"\s+")


def summary_line(session: SessionRecord) -> str:
    """``12 cards: 8 ✓ recalled, 2 🟡 shaky, 1 🔴 missed, 1 skipped.``"""
    counts = session.counts
    parts = [f"{counts[m]} {m.symbol} {m.label}" for m in (Mark.RECALLED, Mark.SHAKY, Mark.MISSED)]
    parts.append(f"{counts[Mark.SKIP]} {Mark.SKIP.label}")
    total = sum(counts.values())
    return f"{total} card{'s' if total != 1 else ''}: {', '.join(parts)}."


def times_line(session: SessionRecord) -> str:
    """``Started 2026-11-29 10:00 UTC; 42 min (writing 30 min, checking 12 min).``"""
    started = session.started_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Started {started}; {format_duration(session.spent_ms)} "
        f"(writing {format_duration(session.recall_ms)}, "
        f"checking {format_duration(session.check_ms)})."
    )


def one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def to_markdown(session: SessionRecord) -> str:
    out: list[str] = ["# Goal", session.goal.strip(), "", "# Debrief", session.debrief.strip(), ""]
    out += ["# Notes", "", session.text.strip(), "", "# Marks", ""]
    out.append(f"- Decks: {session.title()}.")
    out.append(f"- {times_line(session)}")
    out.append(f"- {summary_line(session)}")
    place = None
    for m in session.flagged():
        if m.place != place:
            place = m.place
            out += ["", f"## {place}", ""]
        line = f"- {m.mark.symbol} {one_line(m.front)}"
        if m.note.strip():
            line += f" => {one_line(m.note)}"
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def file_name(session: SessionRecord) -> str:
    """``recall-007-2026-11-29.md``: sorts by number, dated for people."""
    return f"recall-{session.id:03d}-{session.started_at:%Y-%m-%d}.md"
