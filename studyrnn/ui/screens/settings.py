"""Settings: desired retention, daily limits, the day cutoff, the checker's device, the
theme. Saved in the store (``Study.save_settings``), so they follow the database.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Select, Static

from studyrnn.ui.messages import SettingsLoaded
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.values import Settings

DEVICES = ("auto", "cpu", "cuda", "mps")


class SettingsError(ValueError):
    """A field the learner typed is out of range; the message names the field."""


def parse_settings(base: Settings, fields: dict[str, str], device: str, theme: str) -> Settings:
    """The form's text fields as Settings, or SettingsError naming the first bad field."""

    def number(name: str, label: str, low: float, high: float, *, integer: bool) -> float:
        raw = fields[name].strip()
        try:
            value = int(raw) if integer else float(raw)
        except ValueError:
            kind = "a whole number" if integer else "a number"
            raise SettingsError(f"{label}: {raw!r} is not {kind}") from None
        if not low <= value <= high:
            raise SettingsError(f"{label}: {value} is outside {low:g}..{high:g}")
        return value

    retention = number("retention", "Desired retention", 0.70, 0.99, integer=False)
    return dataclasses.replace(
        base,
        desired_retention=retention,
        new_per_day=int(number("new", "New cards per day", 0, 9999, integer=True)),
        reviews_per_day=int(number("reviews", "Reviews per day", 0, 99999, integer=True)),
        day_cutoff_hour=int(number("cutoff", "Day starts at hour", 0, 23, integer=True)),
        device=device,
        theme=theme,
    )


class SettingsScreen(StudyScreen):
    """The settings form. ctrl+s saves; Esc leaves without saving."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "leave", "Back", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.settings: Settings | None = None
        self.theme_on_entry = ""

    def compose(self) -> ComposeResult:
        themes = sorted(self.app.available_themes)
        yield Static("Settings", classes="screen-title")
        with VerticalScroll(id="settings-scroll"), Grid(id="settings-form"):
            yield Label("Desired retention (0.70-0.99)")
            # Compact fields, one line each: the form is short enough that the theme list
            # opens below it inside an 80x24 screen.
            yield Input(id="retention", restrict=r"[0-9.]*", compact=True)
            yield Label("New cards per day")
            yield Input(id="new", type="integer", compact=True)
            yield Label("Reviews per day")
            yield Input(id="reviews", type="integer", compact=True)
            yield Label("Day starts at hour (0-23)")
            yield Input(id="cutoff", type="integer", compact=True)
            yield Label("Checker device")
            yield Select([(d, d) for d in DEVICES], id="device", allow_blank=False, compact=True)
            yield Label("Theme")
            yield Select([(t, t) for t in themes], id="theme", allow_blank=False, compact=True)
        yield Static("", id="settings-status", markup=False)
        yield Button("Save (ctrl+s)", id="save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.theme_on_entry = self.app.theme
        self.load()

    @work(
        thread=True, exclusive=True, group="settings", exit_on_error=False, name="load the settings"
    )
    def load(self) -> None:
        self.post_message(SettingsLoaded(self.backend.call(lambda study: study.settings())))

    def on_settings_loaded(self, message: SettingsLoaded) -> None:
        message.stop()
        settings = message.settings
        self.settings = settings
        self.query_one("#retention", Input).value = f"{settings.desired_retention:g}"
        self.query_one("#new", Input).value = str(settings.new_per_day)
        self.query_one("#reviews", Input).value = str(settings.reviews_per_day)
        self.query_one("#cutoff", Input).value = str(settings.day_cutoff_hour)
        device = settings.device if settings.device in DEVICES else "auto"
        self.query_one("#device", Select).value = device
        theme = self.query_one("#theme", Select)
        if settings.theme in self.app.available_themes:
            theme.value = settings.theme
        else:
            theme.value = self.app.theme

    @on(Select.Changed, "#theme")
    def _preview_theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in self.app.available_themes:
            self.app.theme = event.value

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.settings is None:
            return
        fields = {
            name: self.query_one(f"#{name}", Input).value
            for name in ("retention", "new", "reviews", "cutoff")
        }
        try:
            settings = parse_settings(
                self.settings,
                fields,
                str(self.query_one("#device", Select).value),
                str(self.query_one("#theme", Select).value),
            )
        except SettingsError as exc:
            self.query_one("#settings-status", Static).update(f"Not saved: {exc}")
            return
        self.save(settings)

    @work(
        thread=True, exclusive=True, group="settings", exit_on_error=False, name="save the settings"
    )
    def save(self, settings: Settings) -> None:
        self.backend.call(lambda study: study.save_settings(settings))
        self.app.call_from_thread(self._saved, settings)

    def _saved(self, settings: Settings) -> None:
        self.settings = settings
        self.theme_on_entry = settings.theme
        note = "Saved."
        if settings.device != self.study_app.checker_detail:
            note += " The checker device applies from the next start."
        self.query_one("#settings-status", Static).update(note)
        self.notify(note, timeout=3)

    def action_leave(self) -> None:
        if self.app.theme != self.theme_on_entry:  # a previewed, unsaved theme goes back
            self.app.theme = self.theme_on_entry
        self.app.pop_screen()
