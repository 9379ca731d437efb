"""The Textual app: the screen stack, the app-wide keys, the checker warm-up and shutdown.

Kept small on purpose: each screen lives in ``screens/`` and owns its own workers. The app
owns only what outlives a screen: the backend (engine and checker), the checker's status, the
theme, and what happens on quit or crash.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from studyrnn.ui import crash
from studyrnn.ui.backend import Backend
from studyrnn.ui.messages import CheckerStatus

if TYPE_CHECKING:  # the engine's types load with the engine, after the first frame
    from studyrnn.values import Settings

IMPORTED_AT = time.time()  # for the first-frame benchmark's breakdown

FIRST_FRAME_ENV = "STUDYRNN_BENCH_FIRST_FRAME"  # a file: write the time of the first frame, exit


class CrashReport(Exception):
    """An unhandled error, rendered as a readable paragraph instead of a traceback."""

    def __init__(self, error: BaseException, log: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.log = log

    def __rich__(self) -> Text:
        message, hint = crash.describe(self.error)
        text = Text.assemble(
            ("studyrnn stopped because of an unexpected error.\n", "bold"),
            f"  {message}\n",
        )
        if hint:
            text.append(f"  hint: {hint}\n")
        text.append(
            "Every review you answered was saved before this happened.\n"
            f"The full details are in {self.log}\n"
        )
        return text


class StudyApp(App[None]):
    """studyrnn's app. Construct it with a Backend; ``start`` picks the first screen."""

    CSS_PATH = "app.tcss"
    TITLE = "studyrnn"
    BINDINGS: ClassVar[list[BindingType]] = [
        # q is in `?`; the footer keeps its room for the screen's own keys.
        Binding("q", "quit", "Quit", id="quit", show=False),
        Binding("ctrl+c", "quit", "Quit", id="quit-ctrl-c", show=False, priority=True),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    # Every screen gets ``-narrow`` below 100 columns (80x24 is the smallest size supported)
    # and ``-wide`` from 100 up; the styles give the narrow screens' room to what matters.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (Textual declares it an instance variable)
        (0, "-narrow"),
        (100, "-wide"),
    ]

    checker_state: reactive[str] = reactive("starting")
    checker_detail: reactive[str] = reactive("")

    def __init__(
        self,
        backend: Backend,
        *,
        start: str = "home",
        recall_decks: Sequence[str] = (),
        review_deck: str | None = None,
    ) -> None:
        super().__init__()
        self.created_at = time.time()
        self.backend = backend
        self.start = start
        self.recall_decks = tuple(recall_decks)  # pre-selected by the recall screen
        self.review_deck = review_deck  # the deck ``start="review"`` opens; None: all
        self.deck_names: list[str] = []  # as Home last listed them, for the palette

    # --- start-up --------------------------------------------------------------------------
    def on_mount(self) -> None:
        from studyrnn.ui.screens.home import HomeScreen

        self.push_screen(HomeScreen(start=self.start))
        # After the first frame: the checker's process imports torch while we sync.
        self.call_after_refresh(self.warm_checker, self.backend.device)

    def on_ready(self) -> None:
        """The first frame is on screen: a benchmark run records the moment and leaves."""
        marker = os.environ.get(FIRST_FRAME_ENV)
        if marker:
            with open(marker, "w", encoding="utf-8") as out:  # frame, imports done, app built
                out.write(f"{time.time():.6f} {IMPORTED_AT:.6f} {self.created_at:.6f}\n")
            self.exit()

    def apply_settings(self, settings: Settings) -> None:
        """Use the stored theme; and the stored checker device when the command line left
        it on "auto" (the warm-up already started on "auto" so as not to wait for the store,
        so a stored device means one restart of the checker)."""
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        if self.backend.device == "auto" and settings.device not in ("auto", ""):
            self.checker_state = "starting"
            self._warm_checker(settings.device, restart=True)

    def today(self) -> date:
        """Today in the learner's local time, by the engine's clock."""
        return self.backend.now().astimezone().date()

    def warm_checker(self, device: str) -> None:
        """Start the checker's warm-up unless it is already under way."""
        if self.checker_state == "starting":
            self.checker_state = "warming"
            self.checker_detail = device
            self._warm_checker(device)

    @work(thread=True, exclusive=True, group="checker", exit_on_error=False)
    def _warm_checker(self, device: str, restart: bool = False) -> None:
        worker = get_current_worker()
        self.post_message(CheckerStatus("warming", device))
        try:
            if restart:
                self.backend.stop_checker()
            self.backend.start_checker(device)
        except Exception as exc:  # the app stays usable for the cards that need no checker
            if not worker.is_cancelled:  # a restart replaced this warm-up: stay quiet
                message, hint = crash.describe(exc)
                self.post_message(CheckerStatus("failed", f"{message} {hint}".strip()))
            return
        if not worker.is_cancelled:
            self.post_message(CheckerStatus("ready", device))

    def on_checker_status(self, message: CheckerStatus) -> None:
        self.checker_state = message.state
        self.checker_detail = message.detail

    # --- app-wide actions ------------------------------------------------------------------
    async def action_quit(self) -> None:
        self.exit()

    def action_help(self) -> None:
        from studyrnn.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands and the app's, each title once: the app's key help replaces
        Textual's "Keys" panel, which would list the same keys a second way."""
        from studyrnn.ui.screens.commands import system_commands

        ours = list(system_commands(self))
        titles = {command.title for command in ours}
        for command in super().get_system_commands(screen):
            if command.title not in titles and command.title != "Keys":
                yield command
        yield from ours

    def report_error(self, error: BaseException, context: str) -> None:
        """Show a worker's error as a dialog; the app keeps running."""
        from studyrnn.errors import StudyrnnError
        from studyrnn.ui.screens.error import ErrorScreen

        message, hint = crash.describe(error)
        log = ""
        if not isinstance(error, StudyrnnError):
            log = str(crash.write_log(error, context))
        self.push_screen(ErrorScreen(f"Could not {context}", message, hint, log))

    # --- shutdown and crashes -------------------------------------------------------------
    def on_unmount(self) -> None:
        """No checker process may outlive the app."""
        self.backend.close()

    def _handle_exception(self, error: Exception) -> None:
        log = crash.write_log(error)
        report = CrashReport(error, str(log))
        report.__cause__ = error
        super()._handle_exception(report)
