"""The `?` screen: every key of the screen below it, with what it does."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from studyrnn.ui.widgets.key_table import binding_rows


class HelpScreen(ModalScreen[None]):
    """Lists the active bindings of ``target`` (the screen the learner was on)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close help", id="close-help"),
    ]

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.rows = binding_rows(target)
        self.target_name = target.__class__.__name__.removesuffix("Screen") or "App"

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Static(f"Keys: {self.target_name}", classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                for key, description in self.rows:
                    yield Static(f"{key:>12}  {description}", classes="help-row")
            yield Static("ctrl+p opens the command palette. Esc closes this.", classes="dim")

    def action_close(self) -> None:
        self.dismiss()
