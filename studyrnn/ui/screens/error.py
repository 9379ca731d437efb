"""The error dialog: what failed, why, and what to do, with the log file for the details."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ErrorScreen(ModalScreen[None]):
    """A readable error. Any of escape, enter or q closes it; the app keeps running."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="close-error"),
    ]

    def __init__(self, title: str, message: str, hint: str = "", log: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.hint = hint
        self.log_path = log

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.message, id="error-message")
            if self.hint:
                yield Static(f"hint: {self.hint}", id="error-hint")
            if self.log_path:
                yield Static(f"The full details are in {self.log_path}", id="error-log")
            yield Static("Press Enter to close.", classes="dim")

    def action_close(self) -> None:
        self.dismiss()
