"""One card in full: its text, its scheduling state, its review history with the checker's
verdicts, and, for a parametric card, every variant seen and which ones were answered wrong.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Markdown, Static

from studyrnn.decks.model import Card, CardKind
from studyrnn.ui.format import (
    answer_markdown,
    local_time,
    question_markdown,
    rating_name,
    variant_line,
)
from studyrnn.ui.messages import CardDetailLoaded
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.values import CardInfo, Rating, ReviewRow

HISTORY_COLUMNS = ("When", "Answer", "Verdict", "Seed", "Source", "Time", "State")


def draw_variants(info: CardInfo, history: list[ReviewRow]) -> list[tuple[int, dict[str, object]]]:
    """The values each seed in the history drew, oldest first, each seed once."""
    card = info.card
    if card.code is None or card.code.params is None:
        return []
    from studyrnn.decks.params import draw

    seen: dict[int, dict[str, object]] = {}
    for review in sorted(history, key=lambda r: r.reviewed_at):
        if review.seed is not None and review.seed not in seen:
            try:
                seen[review.seed] = draw(card.code.params.code, review.seed)
            except Exception as exc:  # the params were edited since: show the seed anyway
                seen[review.seed] = {"(cannot redraw)": str(exc)}
    return list(seen.items())


def variant_rows(
    variants: list[tuple[int, dict[str, object]]], history: list[ReviewRow]
) -> list[str]:
    """One line per variant seen: its values and how it went (wrong if any review of it
    failed, by verdict or by an Again)."""
    lines = []
    for seed, values in variants:
        reviews = [r for r in history if r.seed == seed]
        wrong = any(
            (r.verdict is not None and r.verdict not in ("pass", "skipped", "internal"))
            or r.rating is Rating.AGAIN
            for r in reviews
        )
        outcome = "✗ wrong" if wrong else "✓ right"
        lines.append(f"{outcome}  seed {seed}: {variant_line(values)}")
    return lines


class CardDetailScreen(StudyScreen):
    """Detail of one card, opened from Browse."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "toggle_suspend", "Suspend/unsuspend", id="toggle-suspend"),
        Binding("escape", "leave", "Back", id="back"),
    ]

    def __init__(self, card_id: int) -> None:
        super().__init__()
        self.card_id = card_id
        self.info: CardInfo | None = None

    def compose(self) -> ComposeResult:
        yield Static("Card", id="detail-title", classes="screen-title", markup=False)
        with VerticalScroll(id="detail-scroll"):
            yield Markdown("", id="detail-front")
            yield Static("Answer", classes="section-title")
            yield Markdown("", id="detail-back")
            yield Static("", id="detail-state", markup=False)
            yield Static("Variants seen", classes="section-title", id="variants-title")
            yield Static("", id="variants", markup=False)
            yield Static("History", classes="section-title")
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        for column in HISTORY_COLUMNS:
            table.add_column(column)
        self.load()

    @work(
        thread=True,
        exclusive=True,
        group="detail",
        exit_on_error=False,
        name="load the card's history",
    )
    def load(self) -> None:
        info = self.backend.call(lambda study: study.card_info(self.card_id))
        history = self.backend.call(lambda study: study.history(self.card_id))
        self.post_message(CardDetailLoaded(info, history, draw_variants(info, history)))

    def on_card_detail_loaded(self, message: CardDetailLoaded) -> None:
        info, history = message.info, message.history
        self.info = info
        card = info.card
        where = f"{card.deck} › {card.section}" if card.section else card.deck
        self.query_one("#detail-title", Static).update(f"Card · {where} · {card.path}:{card.line}")
        self.query_one("#detail-front", Markdown).update(question_markdown(card, {}))
        self.query_one("#detail-back", Markdown).update(detail_answer(card))
        stability = "-" if info.stability is None else f"{info.stability:.1f} days"
        difficulty = "-" if info.difficulty is None else f"{info.difficulty:.1f}"
        state = [
            f"kind {card.kind.value} · state {info.state} · due {local_time(info.due)}",
            f"stability {stability} · difficulty {difficulty} · reps {info.reps} · "
            f"lapses {info.lapses}",
        ]
        marks = [
            w
            for w, on_ in (
                ("suspended", info.suspended),
                ("leech", info.leech),
                ("retired", info.retired),
            )
            if on_
        ]
        if marks:
            state.append("flags: " + ", ".join(marks))
        if card.tags:
            state.append("tags: " + ", ".join(card.tags))
        self.query_one("#detail-state", Static).update("\n".join(state))
        variants = variant_rows(message.variants, history)
        self.query_one("#variants-title").display = card.is_parametric
        box = self.query_one("#variants", Static)
        box.display = card.is_parametric
        box.update("\n".join(variants) if variants else "No variant seen yet.")
        table = self.query_one("#history", DataTable)
        table.clear()
        for review in sorted(history, key=lambda r: r.reviewed_at, reverse=True):
            table.add_row(*history_row(review))

    def action_toggle_suspend(self) -> None:
        if self.info is not None:
            self.set_suspended(not self.info.suspended)

    @work(
        thread=True,
        exclusive=True,
        group="detail",
        exit_on_error=False,
        name="change the suspension",
    )
    def set_suspended(self, suspended: bool) -> None:
        self.backend.call(lambda study: study.suspend(self.card_id, suspended))
        words = "Suspended" if suspended else "Unsuspended"
        self.app.call_from_thread(self.notify, f"{words} this card")
        self.app.call_from_thread(self.load)

    def action_leave(self) -> None:
        self.app.pop_screen()


def detail_answer(card: Card) -> str:
    """The card's answer as review reveals it; a multiple-choice card lists its options,
    the right ones marked in words as well as with a tick."""
    text = answer_markdown(card, {})
    if card.kind is CardKind.CHOICE and card.choices:
        options = "\n".join(
            f"- {'✓ right' if c.correct else '✗ wrong'}: {c.text}" for c in card.choices
        )
        text = f"{options}\n\n{text}".strip()
    return text or "_(no written answer)_"


def history_row(review: ReviewRow) -> tuple[str | Text, ...]:
    return (
        local_time(review.reviewed_at),
        rating_name(review.rating),
        review.verdict or "-",
        "-" if review.seed is None else str(review.seed),
        review.source.value,
        f"{review.duration_ms / 1000:.1f}s",
        f"{review.state_before} → {review.state_after}",
    )
