"""The Journal: every recall session, one of them in full, and how the coverage of a deck
changed across sessions (recalled / shaky / missed per session).

Reads through its own ``RecallJournal`` (closed when the screen goes); ``e`` writes the
highlighted session as markdown into the current folder, as ``studyrnn journal export`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Markdown, Select, Static

from studyrnn.recall.export import file_name, to_markdown
from studyrnn.recall.journal import (
    Coverage,
    SessionRecord,
    coverage,
    decks_in,
    format_duration,
)
from studyrnn.recall.marks import Mark
from studyrnn.recall.service import RecallJournal
from studyrnn.ui.screens.base import StudyScreen

BAR_WIDTH = 12


def keep_line_breaks() -> MarkdownIt:
    """The notes are written line by line: each line break shows as one, as it was typed,
    instead of joining the lines into a paragraph as markdown does."""
    parser = MarkdownIt("gfm-like")
    parser.core.ruler.push("hard_line_breaks", _hard_line_breaks)
    return parser


def _hard_line_breaks(state: StateCore) -> None:
    """Textual's Markdown shows a soft break as a space and a hard one as a new line (its
    own reading of tokens ignores markdown-it's ``breaks`` option): make every break hard."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "softbreak":
                child.type = "hardbreak"


def share_bar(c: Coverage) -> str:
    """``█████░░░░░░░ 42%`` of the checked cards recalled; ``-`` when none was checked."""
    if c.share is None:
        return "-"
    filled = round(c.share * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled) + f" {c.share:.0%}"


@dataclass
class JournalLoaded(Message):
    """Every session, oldest first."""

    sessions: list[SessionRecord]


class JournalScreen(StudyScreen):
    """List the recall sessions and follow a deck's coverage across them."""

    CSS_PATH = "journal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export", id="journal-export"),
        Binding("escape", "leave", "Back", id="journal-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.journal: RecallJournal | None = None
        self.sessions: list[SessionRecord] = []
        self.current: SessionRecord | None = None

    def compose(self) -> ComposeResult:
        yield Static("Journal · recall sessions", classes="screen-title")
        with Horizontal(id="journal-body"):
            with Vertical(id="journal-left"):
                yield DataTable(id="journal-sessions", cursor_type="row", zebra_stripes=True)
                yield Static("Coverage of a deck across sessions", classes="section-title")
                yield Select[str]([], prompt="Deck", id="journal-deck", allow_blank=True)
                yield DataTable(id="journal-coverage", cursor_type="none")
            with VerticalScroll(id="journal-detail"):
                yield Markdown("", id="journal-session", parser_factory=keep_line_breaks)
        yield Footer()

    def on_mount(self) -> None:
        sessions = self.query_one("#journal-sessions", DataTable)
        sessions.add_columns("#", "started", "spent", "stage", "✓", "🟡", "🔴", "–", "goal")
        cov = self.query_one("#journal-coverage", DataTable)
        cov.add_columns("#", "date", "✓", "🟡", "🔴", "–", "recalled")
        sessions.focus()
        self.load()

    def on_unmount(self) -> None:
        if self.journal is not None:
            self.journal.close()

    @work(thread=True, exclusive=True, group="journal", exit_on_error=False)
    def load(self) -> None:
        if self.journal is None:
            self.journal = RecallJournal(self.backend.db_url, clock=self.backend.now)
        self.post_message(JournalLoaded(self.journal.all()))

    def on_journal_loaded(self, message: JournalLoaded) -> None:
        self.sessions = message.sessions
        table = self.query_one("#journal-sessions", DataTable)
        table.clear()
        for s in reversed(self.sessions):  # newest first
            c = s.counts
            table.add_row(
                str(s.id),
                f"{s.started_at.astimezone():%Y-%m-%d %H:%M}",
                format_duration(s.spent_ms),
                s.stage.value,
                *(str(c[m]) for m in Mark),
                s.goal.splitlines()[0] if s.goal else "",
                key=str(s.id),
            )
        decks = decks_in(self.sessions)
        select = self.query_one("#journal-deck", Select)
        select.set_options([(d, d) for d in decks])
        if decks:
            select.value = decks[0]
        if not self.sessions:
            self.query_one("#journal-session", Markdown).update(
                "No recall sessions yet. Press **r** on Home to start one."
            )

    @on(DataTable.RowHighlighted, "#journal-sessions")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        self.current = next((s for s in self.sessions if str(s.id) == key), None)
        if self.current is not None:
            self.query_one("#journal-session", Markdown).update(to_markdown(self.current))

    @on(Select.Changed, "#journal-deck")
    def _deck(self, event: Select.Changed) -> None:
        table = self.query_one("#journal-coverage", DataTable)
        table.clear()
        if not isinstance(event.value, str):
            return
        for c in coverage(self.sessions, event.value):
            table.add_row(
                str(c.session_id),
                f"{c.started_at.astimezone():%Y-%m-%d}",
                str(c.recalled),
                str(c.shaky),
                str(c.missed),
                str(c.skipped),
                share_bar(c),
            )

    def action_export(self) -> None:
        if self.current is None:
            self.notify("No session to export.")
            return
        target = Path.cwd() / file_name(self.current)
        try:
            target.write_text(to_markdown(self.current), encoding="utf-8")
        except OSError as exc:
            self.notify(f"Could not write {target}: {exc.strerror}", severity="error")
            return
        self.notify(f"Wrote {target}")

    def action_leave(self) -> None:
        self.dismiss()
