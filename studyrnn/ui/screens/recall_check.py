"""Recall, step 3: check yourself. Each card of the chosen decks, in deck order and grouped by
section, with its question and answer, and the mark the recall text suggests (with why).

One key per mark: 1 ✓ recalled, 2 🟡 shaky, 3 🔴 missed or wrong, s skip (not today's goal);
n attaches a note, x runs a code card as in review. A parametric card shows one variant, drawn
when it is first shown, with its values in place of its ``{{=name}}`` placeholders; running it
runs that same variant. Each mark is saved at once, so leaving half-way loses nothing; the
session is offered back at the check step.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Mapping
from functools import partial
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from studyrnn.decks.model import Card, CardKind
from studyrnn.decks.params import ParamError, draw, render
from studyrnn.recall.export import one_line
from studyrnn.recall.journal import CheckItem, MarkRecord
from studyrnn.recall.marks import Mark, Stage
from studyrnn.recall.suggest import Suggestion
from studyrnn.ui.format import answer_markdown, question_markdown
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.screens.recall_flow import RecallFlow, RecallReady, RecallRunDone

MAX_CARD_MS = 10 * 60_000  # a card left on screen over lunch does not count as 3 hours
UNMARKED = "·"
PROMPT_WIDTH = 31  # the card list is 38 cells wide: border, mark column, one line of front


def list_prompt(
    item: CheckItem,
    mark: Mark | None,
    suggestion: Suggestion | None,
    values: Mapping[str, object] | None = None,
) -> Text:
    """``🔴 What does an LSTM's forget gate decide?`` in the card list; a suggested but
    unmarked card shows ``✓?``. ``values``: a parametric card's drawn variant."""
    if mark is not None:
        head = mark.symbol
    elif suggestion is not None and suggestion.mark is not None:
        head = f"{suggestion.mark.symbol}?"
    else:
        head = UNMARKED
    front = one_line(render(item.info.card.front, values or {}))
    if len(front) > PROMPT_WIDTH:
        front = front[: PROMPT_WIDTH - 1] + "…"
    return Text(head + " " * (3 - cell_len(head)) + front)


def draw_variant(card: Card) -> tuple[int, dict[str, object]]:
    """A seed for one run of ``card`` and, for a parametric card, the values it draws (the
    parser's lint already rejected a params fence that cannot draw; {} if one slips by)."""
    seed = random.randrange(2**31)
    if card.code is None or card.code.params is None:
        return seed, {}
    try:
        return seed, draw(card.code.params.code, seed)
    except ParamError:
        return seed, {}


def front_markdown(card: Card, values: Mapping[str, object]) -> str:
    """The question as in review, values in place; a one-line question in bold."""
    text = question_markdown(card, values)
    return f"**{text}**" if "\n" not in text.strip() else text


def suggestion_text(s: Suggestion | None) -> str:
    if s is None:
        return ""
    if s.mark is None:
        return f"No suggestion: {s.reason}."
    return f"Suggested {s.mark.symbol} {s.mark.label}: {s.reason}."


class RecallCheckScreen(StudyScreen):
    """Mark each card against what you wrote."""

    CSS_PATH = "recall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "mark('recalled')", "✓ recalled", id="recall-mark-recalled"),
        Binding("2", "mark('shaky')", "🟡 shaky", id="recall-mark-shaky"),
        Binding("3", "mark('missed')", "🔴 missed", id="recall-mark-missed"),
        Binding("s", "mark('skip')", "Skip", id="recall-mark-skip"),
        Binding("n", "note", "Note", id="recall-note"),
        Binding("x", "run", "Run code", id="recall-run"),
        Binding("w", "write", "Back to writing", id="recall-back-to-writing"),
        Binding("d", "debrief", "Debrief", id="recall-debrief"),
        Binding("escape", "pause", "Pause", id="recall-check-pause"),
    ]

    def __init__(self, flow: RecallFlow) -> None:
        super().__init__()
        assert flow.session is not None
        self.flow = flow
        self.session = flow.session
        self.items = list(flow.items)
        self.marks: dict[str, MarkRecord] = {m.card_key: m for m in flow.session.marks}
        self.suggestions: dict[str, Suggestion] = dict(flow.suggestions)
        self.index = 0
        self.shown_at = time.monotonic()
        self.base_ms = flow.session.check_ms
        self.since: float | None = None
        self.save_lock = threading.Lock()
        self.versions: dict[str, int] = {}
        self.saved_versions: dict[str, int] = {}
        self.option_of: dict[int, int] = {}  # item index -> option index
        self.last_marked: int | None = None
        self.variants: dict[str, tuple[int, dict[str, object]]] = {}  # card key -> seed, values

    def compose(self) -> ComposeResult:
        yield Static("", id="check-title", classes="screen-title")
        with Horizontal(id="check-body"):
            yield OptionList(id="check-list")
            with VerticalScroll(id="check-card"):
                yield Static("", id="check-where", classes="section-title")
                yield Markdown("", id="check-front")
                yield Static("Answer", classes="section-title")
                yield Markdown("", id="check-back")
                yield Static("", id="check-suggest")
                yield Static("", id="check-run")
                yield Static("", id="check-mark")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one("#check-list", OptionList)
        place = None
        prompts: list[Option] = []
        for i, item in enumerate(self.items):
            card = item.info.card
            here = f"{card.deck} › {card.section}" if card.section else card.deck
            if here != place:
                place = here
                prompts.append(Option(Text(here, style="bold"), disabled=True))
            self.option_of[i] = len(prompts)
            prompts.append(Option(self.prompt(i), id=f"card-{i}"))
        options.add_options(prompts)
        first = next((i for i, it in enumerate(self.items) if it.key not in self.marks), 0)
        options.focus()
        if self.items:
            options.highlighted = self.option_of[first]
            self.show(first)
        else:
            self.query_one("#check-where", Static).update(
                "The chosen decks have no cards to check. Press d for the debrief."
            )
        self.show_title()

    # --- time ------------------------------------------------------------------------------
    def on_screen_resume(self) -> None:
        self.since = time.monotonic()

    def on_screen_suspend(self) -> None:
        self.base_ms = self.elapsed_ms()
        self.since = None
        self.flow.journal.update(self.session.id, check_ms=self.base_ms)

    def elapsed_ms(self) -> int:
        running = 0.0 if self.since is None else time.monotonic() - self.since
        return self.base_ms + int(running * 1000)

    # --- showing ---------------------------------------------------------------------------
    def variant(self, i: int) -> tuple[int, dict[str, object]]:
        """The variant of item ``i`` this screen shows and runs, drawn on first use."""
        item = self.items[i]
        if item.key not in self.variants:
            self.variants[item.key] = draw_variant(item.info.card)
        return self.variants[item.key]

    def prompt(self, i: int) -> Text:
        item = self.items[i]
        mark = self.marks.get(item.key)
        return list_prompt(
            item, mark.mark if mark else None, self.suggestions.get(item.key), self.variant(i)[1]
        )

    def show_title(self) -> None:
        done = sum(1 for it in self.items if it.key in self.marks)
        self.query_one("#check-title", Static).update(
            f"Check · {self.session.goal} · {done} of {len(self.items)} marked"
        )

    @on(OptionList.OptionHighlighted, "#check-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("card-"):
            self.show(int(option_id.removeprefix("card-")))

    def show(self, i: int) -> None:
        if i != self.index:
            self.shown_at = time.monotonic()
        self.index = i
        item = self.items[i]
        card = item.info.card
        where = f"{card.deck} › {card.section}" if card.section else card.deck
        kind = " · code card: x runs it" if card.kind.is_code else ""
        self.query_one("#check-where", Static).update(
            f"Card {i + 1} of {len(self.items)} · {where}{kind}"
        )
        values = self.variant(i)[1]
        self.query_one("#check-front", Markdown).update(front_markdown(card, values))
        self.query_one("#check-back", Markdown).update(
            answer_markdown(card, values) or "_(no written answer)_"
        )
        self.query_one("#check-suggest", Static).update(
            suggestion_text(self.suggestions.get(item.key))
        )
        self.query_one("#check-run", Static).update("")
        self.show_mark()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The "Run code" key shows only on a code card."""
        if action == "run":
            return bool(self.items) and self.items[self.index].info.card.kind.is_code
        return True

    def show_mark(self) -> None:
        mark = self.marks.get(self.items[self.index].key) if self.items else None
        if mark is None:
            text = "Your mark: (none yet) · 1 ✓  2 🟡  3 🔴  s skip"
        else:
            text = f"Your mark: {mark.mark.symbol} {mark.mark.label}"
            if mark.note:
                text += f" · note: {mark.note}"
        self.query_one("#check-mark", Static).update(text)

    def refresh_item(self, i: int) -> None:
        self.query_one("#check-list", OptionList).replace_option_prompt_at_index(
            self.option_of[i], self.prompt(i)
        )
        self.show_title()

    # --- marking ---------------------------------------------------------------------------
    def action_mark(self, value: str) -> None:
        if not self.items:
            return
        item = self.items[self.index]
        old = self.marks.get(item.key)
        spent = min(MAX_CARD_MS, int((time.monotonic() - self.shown_at) * 1000))
        card = item.info.card
        suggestion = self.suggestions.get(item.key)
        record = MarkRecord(
            card_key=item.key,
            card_id=item.info.card_id,
            deck=card.deck,
            section=card.section,
            front=card.front,
            position=item.position,
            mark=Mark(value),
            note=old.note if old else "",
            suggested=suggestion.mark if suggestion else None,
            duration_ms=(old.duration_ms if old else 0) + spent,
        )
        self.put(record)
        self.last_marked = self.index
        self.shown_at = time.monotonic()
        self.advance()

    def put(self, record: MarkRecord, index: int | None = None) -> None:
        self.marks[record.card_key] = record
        self.refresh_item(self.index if index is None else index)
        self.show_mark()
        version = self.versions.get(record.card_key, 0) + 1
        self.versions[record.card_key] = version
        self.save_mark(record, version, self.elapsed_ms())

    @work(thread=True, group="recall-marks", exit_on_error=False)
    def save_mark(self, record: MarkRecord, version: int, check_ms: int) -> None:
        """Saves are serialised, and an older version of a card's mark never overwrites a newer
        one, however the worker threads are scheduled."""
        with self.save_lock:
            if version <= self.saved_versions.get(record.card_key, 0):
                return
            self.flow.journal.put_mark(self.session.id, record)
            self.flow.journal.update(self.session.id, check_ms=check_ms)
            self.saved_versions[record.card_key] = version

    def advance(self) -> None:
        """On to the next unmarked card after this one (wrapping), or stay when all are done."""
        n = len(self.items)
        for step in range(1, n + 1):
            j = (self.index + step) % n
            if self.items[j].key not in self.marks:
                self.query_one("#check-list", OptionList).highlighted = self.option_of[j]
                return
        self.notify("Every card is marked. Press d for the debrief.", timeout=4)

    def action_note(self) -> None:
        """Note the card on screen if it is marked, else the card just marked: marking moves
        on to the next card, so "3 then n" notes the 🔴 just given."""
        if not self.items:
            return
        index = self.index
        if self.items[index].key not in self.marks and self.last_marked is not None:
            index = self.last_marked
        mark = self.marks.get(self.items[index].key)
        if mark is None:
            self.notify("Mark the card first (1, 2, 3 or s), then add a note.")
            return
        self.app.push_screen(NoteDialog(mark), partial(self._note_given, index))

    def _note_given(self, index: int, note: str | None) -> None:
        if note is None:
            return
        mark = self.marks[self.items[index].key]
        self.put(
            MarkRecord(
                mark.card_key, mark.card_id, mark.deck, mark.section, mark.front, mark.position,
                mark.mark, note.strip(), mark.suggested, mark.duration_ms,
            ),
            index,
        )  # fmt: skip

    # --- code cards ------------------------------------------------------------------------
    def action_run(self) -> None:
        if not self.items:
            return
        card = self.items[self.index].info.card
        if not card.kind.is_code:
            self.notify("Only code cards can be run; mark this one with 1, 2, 3 or s.")
            return
        starter = card.code.starter.code if card.code and card.code.starter else ""
        self.app.push_screen(RunDialog(self.index, card.kind, starter), self._run_answer)

    def _run_answer(self, answer: tuple[int, str] | None) -> None:
        if answer is None:
            return
        self.query_one("#check-run", Static).update("Running it…")
        index, code = answer
        seed, params = self.variant(index)  # the variant on screen, not a fresh one
        self.run_card(index, code, seed, params)

    @work(thread=True, exclusive=True, group="recall-run", exit_on_error=False)
    def run_card(self, index: int, answer: str, seed: int, params: dict[str, object]) -> None:
        card = self.items[index].info.card
        result = self.backend.checker().grade(card, answer, seed=seed, params=params or None)
        self.post_message(RecallRunDone(self.items[index].key, result))

    def on_recall_run_done(self, message: RecallRunDone) -> None:
        result = message.result
        if result.passed:
            mark: Mark | None = Mark.RECALLED
        elif result.verdict.counts_against_learner:
            mark = Mark.MISSED
        else:
            mark = None
        reason = f"ran it: {result.verdict.value}"
        self.suggestions[message.card_key] = Suggestion(mark, reason)
        index = next(i for i, it in enumerate(self.items) if it.key == message.card_key)
        self.refresh_item(index)
        if index == self.index:
            self.query_one("#check-suggest", Static).update(
                suggestion_text(self.suggestions[message.card_key])
            )
            self.query_one("#check-run", Static).update(f"{result.verdict.value}: {result.message}")

    # --- leaving ---------------------------------------------------------------------------
    def action_pause(self) -> None:
        self.dismiss()

    def action_write(self) -> None:
        self.move_to(Stage.RECALL)

    def action_debrief(self) -> None:
        self.move_to(Stage.DEBRIEF)

    def move_to(self, stage: Stage) -> None:
        self.base_ms = self.elapsed_ms()
        self.since = time.monotonic()
        self.go(stage, self.base_ms)

    @work(thread=True, exclusive=True, group="recall-check", exit_on_error=False)
    def go(self, stage: Stage, check_ms: int) -> None:
        with self.save_lock:  # every mark saved before the next step reads them
            self.flow.journal.update(self.session.id, stage=stage, check_ms=check_ms)
        self.flow.reload()
        assert self.flow.session is not None
        self.post_message(RecallReady(self.flow.session))

    def on_recall_ready(self, message: RecallReady) -> None:
        from studyrnn.ui.screens.recall import stage_screen

        self.app.switch_screen(stage_screen(self.flow, message.session.stage))


class NoteDialog(ModalScreen[str | None]):
    """A one-line note for a mark: "treated ŷ as the network output, not the layer's"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="note-cancel"),
    ]

    def __init__(self, mark: MarkRecord) -> None:
        super().__init__()
        self.mark = mark

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Static(
                f"Note for {self.mark.mark.symbol} {one_line(self.mark.front)}",
                classes="section-title",
            )
            yield Input(self.mark.note, placeholder="what went wrong, in a line", id="note-input")
            yield Static("enter saves · escape cancels")

    def on_mount(self) -> None:
        self.query_one("#note-input", Input).focus()

    @on(Input.Submitted, "#note-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RunDialog(ModalScreen[tuple[int, str] | None]):
    """Answer a code card to run it: a value for predict cards, code for write cards."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "submit", "Run", id="run-submit", priority=True),
        Binding("escape", "cancel", "Cancel", id="run-cancel"),
    ]

    def __init__(self, index: int, kind: CardKind, starter: str = "") -> None:
        super().__init__()
        self.index = index
        self.kind = kind
        self.starter = starter

    def compose(self) -> ComposeResult:
        with Vertical(id="run-dialog", classes="dialog"):
            if self.kind is CardKind.PREDICT:
                yield Static("Your prediction (a Python value)", classes="section-title")
                yield Input(placeholder="(2, 32, 20)", id="run-input")
                yield Static("enter runs · escape cancels")
            else:
                yield Static("Your code", classes="section-title")
                yield TextArea(
                    self.starter, id="run-code", language="python", show_line_numbers=True
                )
                yield Static("ctrl+r runs · escape cancels")

    def on_mount(self) -> None:
        self.query_one("#run-input" if self.kind is CardKind.PREDICT else "#run-code").focus()

    @on(Input.Submitted, "#run-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss((self.index, event.value))

    def action_submit(self) -> None:
        if self.kind is CardKind.PREDICT:
            self.dismiss((self.index, self.query_one("#run-input", Input).value))
        else:
            self.dismiss((self.index, self.query_one("#run-code", TextArea).text))

    def action_cancel(self) -> None:
        self.dismiss(None)
