"""A review heatmap of the last weeks, one cell per day, GitHub style, in local dates.

Levels are drawn with glyphs of rising density as well as colour, so the map still reads
with NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static

GLYPHS = ("·", "░", "▒", "▓", "█")
STYLES = ("dim", "#3f8f4f", "#2ea043", "#26c04a", "bold #39d353")  # GitHub-like greens
DAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def level(count: int, peak: int) -> int:
    """0 for no reviews, else 1..4 by share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, 1 + (4 * count - 1) // peak)


def heatmap_text(per_day: Sequence[tuple[date, int]], today: date, weeks: int = 12) -> Text:
    """Rows Monday..Sunday, columns weeks, the last column being this week."""
    counts = dict(per_day)
    peak = max(counts.values(), default=0)
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    text = Text()
    for row in range(7):
        text.append(f"{DAYS[row]:<4}", style="dim")
        for week in range(weeks):
            day = start + timedelta(weeks=week, days=row)
            if day > today:
                text.append("  ")
                continue
            lvl = level(counts.get(day, 0), peak)
            text.append(GLYPHS[lvl] + " ", style=STYLES[lvl])
        text.append("\n")
    total = sum(n for d, n in counts.items() if d >= start)
    text.append(f"{total} reviews in {weeks} weeks", style="dim")
    return text


class Heatmap(Static):
    """The heatmap widget; ``show`` redraws it."""

    def show(self, per_day: Sequence[tuple[date, int]], today: date, weeks: int = 12) -> None:
        self.update(heatmap_text(per_day, today, weeks))
