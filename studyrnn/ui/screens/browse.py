"""Browse: search every card by text, tag and deck; see its state; suspend or unsuspend it.

Enter opens a card's detail (its history, verdicts, and the variants seen). The search runs in
a worker on every keystroke; only the latest query's results are shown.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Input, Static

from studyrnn.ui.format import card_title, local_date, neutral_params
from studyrnn.ui.messages import SearchDone
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.search_query import parse_query
from studyrnn.values import CardInfo

COLUMNS = ("Deck", "Question", "Kind", "State", "Due", "Stab.", "Lapses", "Flags")


def first_line(text: str, width: int = 48) -> str:
    line = next((part.strip("# ").strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def flags(info: CardInfo) -> str:
    """``suspended``, ``leech`` and ``retired``, as short words."""
    words = [
        word
        for word, on_ in (
            ("susp", info.suspended),
            ("leech", info.leech),
            ("retired", info.retired),
        )
        if on_
    ]
    return " ".join(words)


def row(info: CardInfo) -> tuple[str | Text, ...]:
    stability = "-" if info.stability is None else f"{info.stability:.1f}d"
    return (
        Text(info.card.deck),
        Text(first_line(neutral_params(info.card.front))),
        info.card.kind.value,
        info.state,
        local_date(info.due),
        stability,
        str(info.lapses),
        flags(info),
    )


class BrowseScreen(StudyScreen):
    """The card browser."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend", id="toggle-suspend"),
        Binding("escape", "leave", "Back", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.cards: dict[str, CardInfo] = {}

    def compose(self) -> ComposeResult:
        yield Static("Browse", classes="screen-title")
        yield Input(placeholder="search text, tag:NAME, deck:NAME", id="search")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield Static("", id="browse-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#cards", DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column.lower())
        self.search("")
        self.query_one("#search", Input).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.search(self.query_text)

    @on(Input.Changed, "#search")
    def _changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        self.query_one("#cards", DataTable).focus()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, name="search the cards")
    def search(self, raw: str) -> None:
        query = parse_query(raw)
        cards = self.backend.call(
            lambda study: study.search(query.text, tag=query.tag, deck=query.deck)
        )
        self.post_message(SearchDone(raw, cards))

    def on_search_done(self, message: SearchDone) -> None:
        if message.query != self.query_one("#search", Input).value:
            return  # an older query; the newer one's results are on their way
        self.query_text = message.query
        table = self.query_one("#cards", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.cards = {}
        for info in message.cards:
            key = str(info.card_id)
            self.cards[key] = info
            table.add_row(*row(info), key=key)
        if message.cards:
            table.move_cursor(row=min(cursor, len(message.cards) - 1))
        found = len(message.cards)
        self.query_one("#browse-status", Static).update(
            f"{found} card{'s' if found != 1 else ''} · Enter opens · s suspends or unsuspends"
        )

    def _current(self) -> CardInfo | None:
        table = self.query_one("#cards", DataTable)
        if not self.cards or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.cards.get(key or "")

    @on(DataTable.RowSelected, "#cards")
    def _open(self, event: DataTable.RowSelected) -> None:
        info = self.cards.get(event.row_key.value or "")
        if info is not None:
            from studyrnn.ui.screens.card_detail import CardDetailScreen

            self.app.push_screen(CardDetailScreen(info.card_id))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_toggle_suspend(self) -> None:
        info = self._current()
        if info is not None:
            self.set_suspended(info, not info.suspended)

    @work(
        thread=True,
        exclusive=True,
        group="suspend",
        exit_on_error=False,
        name="change the suspension",
    )
    def set_suspended(self, info: CardInfo, suspended: bool) -> None:
        self.backend.call(lambda study: study.suspend(info.card_id, suspended))
        words = "Suspended" if suspended else "Unsuspended"
        self.app.call_from_thread(self.notify, f"{words}: {card_title(info.card)}")
        self.app.call_from_thread(self.search, self.query_text)

    def action_leave(self) -> None:
        self.app.pop_screen()
