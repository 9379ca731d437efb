"""Browse: search every card by text, tag and deck; see its state; suspend or unsuspend it.

Enter opens a card's detail (its question and answer, its history, verdicts, and the variants
seen). The search runs in a worker on every keystroke; only the latest query's results are
shown. The table has the keyboard when the screen opens, so ``/`` goes to the search; while
the search box has it, every key types there and no key changes a card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Input, Static

from studyrnn.ui.format import card_title, local_date, neutral_params
from studyrnn.ui.inline_markdown import inline_text
from studyrnn.ui.messages import SearchDone
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.search_query import Query, parse_query
from studyrnn.values import CardInfo

LIMIT = 200  # rows shown; the status line tells how many matched in all


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int  # 0: the question, which takes what the others leave
    wide_only: bool = False  # left out below 100 columns, where the question needs the room


COLUMNS = (
    Column("deck", "Deck", 8, wide_only=True),
    Column("question", "Question", 0),
    Column("kind", "Kind", 8, wide_only=True),
    Column("state", "State", 10),
    Column("due", "Due", 10),
    Column("stab", "Stab.", 6),
    Column("lapses", "Lapses", 6),
    Column("flags", "Flags", 5),
)
WIDE = 100
CELL_PADDING = 2  # DataTable pads each cell by one column on both sides
SCROLLBAR = 2
MIN_QUESTION = 16


def columns_for(width: int) -> list[Column]:
    """The columns that fit a screen ``width``, the question's width worked out."""
    chosen = [c for c in COLUMNS if width >= WIDE or not c.wide_only]
    fixed = sum(c.width + CELL_PADDING for c in chosen) + CELL_PADDING + SCROLLBAR
    question = max(MIN_QUESTION, width - fixed)
    return [Column(c.key, c.label, c.width or question, c.wide_only) for c in chosen]


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def first_line(text: str, width: int = 48) -> str:
    line = next((part.strip("# ").strip() for part in text.splitlines() if part.strip()), "")
    return cut(line, width)


def flags(info: CardInfo) -> str:
    """``susp``, ``leech`` and ``ret``, as short words."""
    words = [
        word
        for word, on_ in (
            ("susp", info.suspended),
            ("leech", info.leech),
            ("ret", info.retired),
        )
        if on_
    ]
    return " ".join(words)


def short_deck(name: str) -> str:
    """``Ch 13`` for "Ch 13 · RNNs, LSTMs and GRUs": the part before a " · ", which is what
    tells the decks apart; the whole name is in the card's detail."""
    return name.split(" · ", 1)[0]


def cells(info: CardInfo) -> dict[str, str]:
    stability = "-" if info.stability is None else f"{info.stability:.1f}d"
    return {
        "deck": short_deck(info.card.deck),
        "question": first_line(neutral_params(info.card.front), 500),
        "kind": info.card.kind.value,
        "state": info.state,
        "due": local_date(info.due),
        "stab": stability,
        "lapses": str(info.lapses),
        "flags": flags(info),
    }


def row(info: CardInfo, columns: list[Column]) -> tuple[Text, ...]:
    """The cells of ``columns``, each cut to its width; the question's markdown rendered."""
    values = cells(info)
    return tuple(
        inline_text(values[c.key], c.width)
        if c.key == "question"
        else Text(cut(values[c.key], c.width))
        for c in columns
    )


def status_text(
    shown: int, total: int, query: Query, decks: tuple[str, ...], *, typing: bool = False
) -> str:
    """``200 of 479 cards · Enter opens …``, or why nothing matched. While the search box
    has the keyboard, the keys named are the ones that work there."""
    if total == 0:
        if query.deck is not None and not decks:
            return f"No deck name or file contains {query.deck!r}."
        return "No card matches this search."
    count = f"{total} card{'s' if total != 1 else ''}"
    if shown < total:
        count = f"{shown} of {count}"
    if query.deck is not None and decks:
        count += " in " + ", ".join(decks)
    if typing:
        return f"{count} · Enter opens · ↓ or Esc goes to the cards"
    return f"{count} · Enter opens · s suspends or unsuspends · / searches"


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
        self.found: SearchDone | None = None  # the last search's answer, for the status line
        self.results: list[CardInfo] = []
        self.columns: list[Column] = []

    def compose(self) -> ComposeResult:
        yield Static("Browse", classes="screen-title")
        yield Input(placeholder="search text, tag:NAME, deck:NAME  (/ to type here)", id="search")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield Static("", id="browse-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.search("")
        self.query_one("#cards", DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        columns = columns_for(event.size.width)
        if columns != self.columns:
            self.columns = columns
            table = self.query_one("#cards", DataTable)
            table.clear(columns=True)
            for column in columns:
                table.add_column(column.label, width=column.width, key=column.key)
            self.fill()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.search(self.query_text)

    # --- the keyboard ---------------------------------------------------------------------
    def _typing(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the search box has the keyboard, keys type there: none changes a card, and
        ``/`` is a slash."""
        if action in ("toggle_suspend", "focus_search"):
            return not self._typing()
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        self._show_status()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()
        self._show_status()

    def on_key(self, event: events.Key) -> None:
        """Down from the search box goes to the results; Esc leaves the box, not Browse."""
        if not self._typing():
            return
        if event.key in ("down", "escape"):
            event.stop()
            event.prevent_default()
            self.query_one("#cards", DataTable).focus()

    # --- searching ------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the box opens the card under the cursor; the box keeps the keyboard
        afterwards, so a key typed next never lands on the table."""
        info = self._current()
        if info is not None:
            self._open_card(info)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, name="search the cards")
    def search(self, raw: str) -> None:
        query = parse_query(raw)
        found = self.backend.call(
            lambda study: study.find(query.text, tag=query.tag, deck=query.deck, limit=LIMIT)
        )
        self.post_message(SearchDone(raw, list(found.cards), found.total, found.decks))

    def on_search_done(self, message: SearchDone) -> None:
        if message.query != self.query_one("#search", Input).value:
            return  # an older query; the newer one's results are on their way
        self.query_text = message.query
        self.results = message.cards
        self.fill()
        self.found = message
        self._show_status()

    def _show_status(self) -> None:
        found = self.found
        if found is None:
            return
        text = status_text(
            len(found.cards),
            found.total,
            parse_query(found.query),
            found.decks,
            typing=self._typing(),
        )
        self.query_one("#browse-status", Static).update(text)

    def fill(self) -> None:
        table = self.query_one("#cards", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.cards = {}
        for info in self.results:
            key = str(info.card_id)
            self.cards[key] = info
            table.add_row(*row(info, self.columns), key=key)
        if self.results:
            table.move_cursor(row=min(max(cursor, 0), len(self.results) - 1))

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
            self._open_card(info)

    def _open_card(self, info: CardInfo) -> None:
        from studyrnn.ui.screens.card_detail import CardDetailScreen

        self.app.push_screen(CardDetailScreen(info.card_id))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_toggle_suspend(self) -> None:
        if self._typing():
            return
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
