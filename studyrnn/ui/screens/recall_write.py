"""Recall, step 2: write everything you remember. The material is not shown.

A full-screen markdown editor and a running timer. The text is saved to the store every
``AUTOSAVE_S`` seconds when it changed (in a worker, one short commit), and synchronously on
every screen change (leaving, a dialog on top, going on to the check), so a crash or
``kill -9`` loses at most the last few seconds of writing. The timer counts only while this
screen is on top; the time is stored with the text, so a resumed session goes on counting.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Static, TextArea

from studyrnn.recall.marks import Stage
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.screens.recall_flow import RecallFlow, RecallReady, RecallSaved

AUTOSAVE_S = 3.0


def clock_text(ms: int) -> str:
    """``12:04`` (minutes:seconds), or ``1:02:04`` past an hour: the running timer."""
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class RecallWriteScreen(StudyScreen):
    """Free recall: a markdown editor, a timer, and nothing to peek at."""

    CSS_PATH = "recall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+d", "check", "Done: check myself", id="recall-done", priority=True),
        Binding("ctrl+s", "save", "Save now", id="recall-save", priority=True),
        Binding("escape", "pause", "Pause", id="recall-pause", priority=True),
    ]

    def __init__(self, flow: RecallFlow) -> None:
        super().__init__()
        self.flow = flow
        assert flow.session is not None
        self.session = flow.session
        self.base_ms = flow.session.recall_ms
        self.since: float | None = None  # monotonic start of the current stretch on top
        self.saved_text = flow.session.text
        self.latest_text = flow.session.text
        self.saved_ms = flow.session.recall_ms
        self.leaving = False
        self.store_lock = threading.Lock()
        self.version = 0
        self.stored_version = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="write-head"):
            yield Static(f"Goal: {self.session.goal}", id="write-goal")
            yield Static("", id="write-saved")
            yield Static(clock_text(self.base_ms), id="write-timer")
        area = TextArea(
            self.session.text,
            id="write-text",
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="indent",
            placeholder=(
                "Write everything you remember about your goal, without looking. "
                "ctrl+d when done: then you check it against the cards."
            ),
        )
        if "markdown" in area.available_languages:
            area.language = "markdown"
        yield area
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one("#write-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        self.set_interval(1.0, self.tick)
        self.set_interval(AUTOSAVE_S, self.autosave)

    # --- time ------------------------------------------------------------------------------
    def on_screen_resume(self) -> None:
        self.since = time.monotonic()

    def on_screen_suspend(self) -> None:
        """A dialog or another screen came on top: stop the clock and save now."""
        self.save_now()
        self.base_ms = self.elapsed_ms()
        self.since = None

    def on_unmount(self) -> None:
        """Quitting the app from here (ctrl+c) still saves the last keystrokes."""
        self.save_now()

    def elapsed_ms(self) -> int:
        running = 0.0 if self.since is None else time.monotonic() - self.since
        return self.base_ms + int(running * 1000)

    def tick(self) -> None:
        self.query_one("#write-timer", Static).update(clock_text(self.elapsed_ms()))

    # --- saving ----------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The editor's text, kept current on every change so that a save can still read it
        while the screen is being taken down (its widgets are gone by ``on_unmount``)."""
        return self.latest_text

    @on(TextArea.Changed, "#write-text")
    def _changed(self, event: TextArea.Changed) -> None:
        self.latest_text = event.text_area.text

    def autosave(self) -> None:
        """Every few seconds: save when the text changed (the time is saved along with it)."""
        if self.leaving or self.text == self.saved_text:
            return
        self.saved_text, self.saved_ms = self.text, self.elapsed_ms()
        self.save_in_worker(self.next_version(), self.saved_text, self.saved_ms)

    def store(self, version: int, text: str, ms: int) -> datetime | None:
        """Write one version of the text unless a newer one was written already: a slow
        autosave worker must never overwrite what a later blocking save wrote."""
        with self.store_lock:
            if version <= self.stored_version:
                return None
            at = self.flow.journal.autosave(self.session.id, text, ms)
            self.stored_version = version
            return at

    def next_version(self) -> int:
        self.version += 1
        return self.version

    @work(thread=True, exclusive=True, group="recall-autosave", exit_on_error=False)
    def save_in_worker(self, version: int, text: str, ms: int) -> None:
        at = self.store(version, text, ms)
        if at is not None:
            self.post_message(RecallSaved(at.astimezone().strftime("%H:%M:%S")))

    def save_now(self) -> None:
        """Blocking save, for screen changes: one short commit, a few milliseconds."""
        text, ms = self.text, self.elapsed_ms()
        if text == self.saved_text and ms == self.saved_ms:
            return
        self.saved_text, self.saved_ms = text, ms
        at = self.store(self.next_version(), text, ms)
        if at is not None:
            self.show_saved(at.astimezone().strftime("%H:%M:%S"))

    def on_recall_saved(self, message: RecallSaved) -> None:
        self.show_saved(message.at)

    def show_saved(self, at: str) -> None:
        if self.is_mounted and not self.leaving:
            self.query_one("#write-saved", Static).update(f"saved {at}")

    def action_save(self) -> None:
        self.save_now()

    # --- leaving ---------------------------------------------------------------------------
    def action_pause(self) -> None:
        """Save and go back; the session is offered for resumption."""
        self.leaving = True
        self.save_now()
        self.dismiss()

    def action_check(self) -> None:
        self.leaving = True
        self.save_now()
        self.query_one("#write-saved", Static).update("loading the cards…")
        self.to_check()

    @work(thread=True, exclusive=True, group="recall-write", exit_on_error=False)
    def to_check(self) -> None:
        self.flow.journal.update(self.session.id, stage=Stage.CHECK)
        self.flow.plan()
        assert self.flow.session is not None
        self.post_message(RecallReady(self.flow.session))

    def on_recall_ready(self, message: RecallReady) -> None:
        from studyrnn.ui.screens.recall_check import RecallCheckScreen

        self.app.switch_screen(RecallCheckScreen(self.flow))

    def worker_failed(self, worker: object) -> None:
        self.leaving = False
