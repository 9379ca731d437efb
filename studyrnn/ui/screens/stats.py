"""Stats: reviews per day, the 30-day forecast, true retention by month, the answer mix.

Drawn with textual-plotext. Dates are the engine's study days, labelled month-day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from studyrnn.ui.format import rating_name
from studyrnn.ui.messages import StatsLoaded
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.screens.home import today_text
from studyrnn.values import Rating, Stats


def day_ticks(days: Sequence[date], count: int = 4) -> tuple[list[float], list[str]]:
    """A few evenly spaced x ticks labelled ``MM-DD`` for a day-per-bar plot."""
    if not days:
        return [], []
    step = max(1, (len(days) - 1) // max(1, count - 1))
    positions = list(range(0, len(days), step))
    return [float(p + 1) for p in positions], [days[p].strftime("%m-%d") for p in positions]


def integer_ticks(top: float, count: int = 4) -> list[int]:
    """Whole-number y ticks from 0 to at least ``top``: counts of reviews are never 2.5."""
    ceiling = max(1, math.ceil(top))
    step = max(1, math.ceil(ceiling / count))
    return list(range(0, ceiling + step, step))


def set_integer_y(plt: Any, top: float) -> None:
    ticks = integer_ticks(top)
    plt.ylim(0, ticks[-1])
    plt.yticks(ticks, [str(t) for t in ticks])


def bar_by_day(plot: PlotextPlot, title: str, series: Sequence[tuple[date, int]]) -> None:
    plt = plot.plt
    plt.clear_figure()
    plt.title(title)
    days = [d for d, _ in series]
    values = [n for _, n in series]
    if values:
        plt.bar(list(range(1, len(values) + 1)), values, marker="hd")
        set_integer_y(plt, max(values))
        positions, labels = day_ticks(days)
        plt.xticks(positions, labels)
    plot.refresh()


def bar_labelled(
    plot: PlotextPlot, title: str, labels: list[str], values: list[float], top: float = 0.0
) -> None:
    plt = plot.plt
    plt.clear_figure()
    plt.title(title)
    if values:
        plt.bar(labels, values, marker="hd", width=0.6)
        set_integer_y(plt, max(top, *values))
    plot.refresh()


class StatsScreen(StudyScreen):
    """Four plots and a summary line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", id="back"),
        Binding("f5", "reload", "Reload", id="reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Stats", id="stats-title", classes="screen-title", markup=False)
        with Grid(id="plots"):
            yield PlotextPlot(id="per-day")
            yield PlotextPlot(id="forecast")
            yield PlotextPlot(id="retention")
            yield PlotextPlot(id="buttons")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False, name="load the stats")
    def load(self) -> None:
        self.post_message(StatsLoaded(self.backend.call(lambda study: study.stats())))

    def on_stats_loaded(self, message: StatsLoaded) -> None:
        self.show(message.stats)

    def show(self, stats: Stats) -> None:
        self.query_one("#stats-title", Static).update(f"Stats · {today_text(stats)}")
        bar_by_day(
            self.query_one("#per-day", PlotextPlot),
            "Reviews per day (last 30 days)",
            stats.reviews_per_day[-30:],
        )
        bar_by_day(
            self.query_one("#forecast", PlotextPlot), "Due in the next 30 days", stats.forecast[:30]
        )
        months = list(stats.retention_by_month)
        bar_labelled(
            self.query_one("#retention", PlotextPlot),
            # An empty frame reads as broken: say it is empty on purpose.
            "True retention by month (%)" if months else "True retention by month: no data yet",
            [m for m, _ in months],
            [round(100 * r, 1) for _, r in months],
            top=100.0,
        )
        bar_labelled(
            self.query_one("#buttons", PlotextPlot),
            "Answer buttons",
            [rating_name(r) for r in Rating],
            [float(stats.button_mix.get(r, 0)) for r in Rating],
        )

    def action_reload(self) -> None:
        self.load()

    def action_leave(self) -> None:
        self.app.pop_screen()
