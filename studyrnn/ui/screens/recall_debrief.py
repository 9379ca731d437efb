"""Recall, step 4: the debrief. Counts per mark, the 🔴 and 🟡 cards with their notes, the
time spent, and one line the learner writes. Finishing records every mark as a review with
source "recall" (✓ Good, 🟡 Hard, 🔴 Again; skip records nothing) through the engine, so the
cards obey the same rules as after a normal review.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Markdown, Static

from studyrnn.recall.export import one_line, summary_line
from studyrnn.recall.journal import SessionRecord, format_duration
from studyrnn.recall.marks import Stage
from studyrnn.recall.service import finish
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.screens.recall_flow import RecallFinished, RecallFlow, RecallReady


def debrief_markdown(s: SessionRecord, planned: int = 0) -> str:
    """The summary above the debrief line. ``planned``: the cards the check step offered, so
    that cards left unmarked are named, not silently missing from the counts."""
    lines = [f"**{summary_line(s)}**", ""]
    unmarked = planned - len(s.marks)
    if unmarked > 0:
        lines += [
            f"{unmarked} of {planned} cards not marked: they record nothing "
            "(ctrl+b goes back to checking).",
            "",
        ]
    lines += [
        f"Time spent: {format_duration(s.spent_ms)} "
        f"(writing {format_duration(s.recall_ms)}, checking {format_duration(s.check_ms)}).",
        "",
    ]
    flagged = s.flagged()
    if flagged:
        lines.append("To work on:")
        lines.append("")
        for m in flagged:
            note = f" => {one_line(m.note)}" if m.note else ""
            lines.append(f"- {m.mark.symbol} {one_line(m.front)}{note}")
    else:
        lines.append("Nothing marked 🔴 or 🟡.")
    return "\n".join(lines)


class RecallDebriefScreen(StudyScreen):
    """Sum up, write the debrief line, and put the marks into the schedule."""

    CSS_PATH = "recall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "finish", "Finish", id="recall-finish", priority=True),
        Binding("ctrl+b", "back", "Back to checking", id="recall-back-to-check", priority=True),
        Binding("escape", "pause", "Pause", id="recall-debrief-pause"),
    ]

    def __init__(self, flow: RecallFlow) -> None:
        super().__init__()
        assert flow.session is not None
        self.flow = flow
        self.session = flow.session
        self.done = False

    def compose(self) -> ComposeResult:
        yield Static(f"Debrief · {self.session.goal}", classes="screen-title")
        with VerticalScroll(id="debrief-body"):
            yield Markdown(
                debrief_markdown(self.session, len(self.flow.items)), id="debrief-summary"
            )
            yield Static("Your debrief, in a line", classes="section-title")
            yield Input(
                self.session.debrief,
                placeholder="Overall good recall; fix what is fed back into an RNN layer",
                id="debrief-line",
            )
            yield Static("enter or ctrl+s finishes and records the marks", id="debrief-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#debrief-line", Input).focus()

    def on_screen_suspend(self) -> None:
        if not self.done:
            self.flow.journal.update(
                self.session.id, debrief=self.query_one("#debrief-line", Input).value
            )

    @on(Input.Submitted, "#debrief-line")
    def _submitted(self) -> None:
        self.action_finish()

    def action_finish(self) -> None:
        if self.done:
            self.dismiss()
            return
        line = self.query_one("#debrief-line", Input).value.strip()
        if not line:
            self.notify("Write your debrief line first.", severity="warning")
            return
        self.query_one("#debrief-status", Static).update("Recording the marks…")
        self.record(line)

    @work(thread=True, exclusive=True, group="recall-debrief", exit_on_error=False)
    def record(self, line: str) -> None:
        session = self.session
        rows = self.backend.call(
            lambda study: finish(self.flow.journal, study, session.id, line, session.check_ms)
        )
        self.flow.reload()
        self.post_message(RecallFinished(len(rows)))

    def on_recall_finished(self, message: RecallFinished) -> None:
        self.done = True
        self.flow.finished = True
        n = message.reviews
        self.query_one("#debrief-status", Static).update(
            f"Saved as session {self.session.id}. {n} review{'s' if n != 1 else ''} recorded "
            f"(source recall). Export it with `studyrnn journal export {self.session.id}`. "
            "Press enter to leave."
        )
        self.query_one("#debrief-line", Input).disabled = True
        self.focus()

    def on_key(self, event: events.Key) -> None:
        """Once finished, enter leaves; the key stops here so the screen below never sees it."""
        if self.done and event.key == "enter":
            event.stop()
            event.prevent_default()
            self.dismiss()

    def action_pause(self) -> None:
        """Leave; an unfinished debrief is saved and offered back on the next start."""
        self.dismiss()

    def action_back(self) -> None:
        if not self.done:
            self.back(self.query_one("#debrief-line", Input).value)

    @work(thread=True, exclusive=True, group="recall-debrief", exit_on_error=False)
    def back(self, line: str) -> None:
        self.done = True  # the line is saved here; suspending must not save it again
        self.flow.journal.update(self.session.id, stage=Stage.CHECK, debrief=line)
        if not self.flow.items:
            self.flow.plan()
        self.flow.reload()
        assert self.flow.session is not None
        self.post_message(RecallReady(self.flow.session))

    def on_recall_ready(self, message: RecallReady) -> None:
        from studyrnn.ui.screens.recall_check import RecallCheckScreen

        self.app.switch_screen(RecallCheckScreen(self.flow))
