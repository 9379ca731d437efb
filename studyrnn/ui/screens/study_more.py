"""Study more: Anki's Custom Study, for one deck (or all decks).

Two choices, each a number in a box: extra new cards today beyond the daily limit (kept in the
store for the day), or a review-ahead session over the cards due in the next days. The dialog
says first which limit holds the deck's new cards back and where it is set. It returns the
choice; whoever opened it applies it (``apply_in_worker`` is the shared part), since Home and
the review screen continue differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

if TYPE_CHECKING:
    from studyrnn.values import NewLimit

NEW, AHEAD = "new", "ahead"
DEFAULT_NEW = 10
DEFAULT_DAYS = 3
MAX_AMOUNT = 9999


@dataclass(frozen=True, slots=True)
class MoreChoice:
    """``kind`` "new": ``amount`` extra new cards today; "ahead": review the cards due in
    the next ``amount`` days."""

    kind: str
    amount: int


def limit_words(limit: NewLimit | None) -> str:
    """The limit's explanation, or what the extra cards would do when nothing waits."""
    if limit is not None and limit.reached:
        return limit.explain()
    if limit is not None:
        return (
            f"New cards today: {limit.done}/{limit.per_day} of the daily limit, shared by "
            "all decks (set in Settings)."
        )
    return "The daily new-card limit is shared by all decks (set in Settings)."


class StudyMoreScreen(ModalScreen["MoreChoice | None"]):
    """Returns the learner's choice, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-study-more"),
    ]

    def __init__(self, deck: str | None, limit: NewLimit | None) -> None:
        super().__init__()
        self.deck = deck
        self.limit = limit

    def compose(self) -> ComposeResult:
        name = self.deck or "all decks"
        with Vertical(id="more-box", classes="dialog"):
            yield Static(f"Study more · {name}", classes="dialog-title", markup=False)
            yield Static(limit_words(self.limit), id="more-limit", markup=False)
            yield Static(f"Extra new cards today for {name}:", classes="more-label", markup=False)
            yield Input(str(DEFAULT_NEW), id="more-new", type="integer")
            yield Static("Review ahead: cards due in the next days:", classes="more-label")
            yield Input(str(DEFAULT_DAYS), id="more-ahead", type="integer")
            yield Static("Enter applies the box · Tab moves · Esc cancels", classes="dim")

    def on_mount(self) -> None:
        self.query_one("#more-new", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            amount = int(event.value.strip())
        except ValueError:
            amount = 0
        if not 1 <= amount <= MAX_AMOUNT:
            self.notify(f"Type a number from 1 to {MAX_AMOUNT}.", severity="warning")
            return
        self.dismiss(MoreChoice(NEW if event.input.id == "more-new" else AHEAD, amount))

    def action_cancel(self) -> None:
        self.dismiss(None)


def choice_note(choice: MoreChoice, deck: str | None) -> str:
    """The notice shown once the choice is applied."""
    name = deck or "all decks"
    if choice.kind == NEW:
        return f"{choice.amount} more new cards today for {name}"
    days = "day" if choice.amount == 1 else "days"
    return f"Reviewing ahead: {name}, cards due in the next {choice.amount} {days}"
