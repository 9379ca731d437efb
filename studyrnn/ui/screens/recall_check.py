"""Recall, step 3: check yourself. Each card of the chosen decks, in deck order and grouped by
section, with its question and answer, and the mark the recall text suggests (with why).

One key per mark: 1 ✓ recalled, 2 🟡 shaky, 3 🔴 missed or wrong, s skip (not today's goal),
Enter takes the suggested mark; n notes the card on screen, x runs a code card as in review,
t shows the learner's own text beside the card. A parametric card shows one variant, drawn
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
from studyrnn.ui.inline_markdown import inline_text
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
    """``🔴 What does an LSTM's forget gate decide?`` in the card list, on one line, its
    markdown rendered (code in bold, no backticks); a suggested but unmarked card shows
    ``✓?``. ``values``: a parametric card's drawn variant."""
    if mark is not None:
        head = mark.symbol
    elif suggestion is not None and suggestion.mark is not None:
        head = f"{suggestion.mark.symbol}?"
    else:
        head = UNMARKED
    prompt = Text(head, no_wrap=True, overflow="ellipsis", end="")
    prompt.pad_right(3 - prompt.cell_len)
    prompt.append_text(inline_text(render(item.info.card.front, values or {}), PROMPT_WIDTH))
    return prompt


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
    """The suggestion, its reason, and the sentence of the recall text that matched, so the
    learner sees what was taken as evidence (and when it says the opposite)."""
    if s is None:
        return ""
    if s.mark is None:
        text = f"No suggestion: {s.reason}."
    else:
        text = f"Suggested {s.mark.symbol} {s.mark.label}: {s.reason}. Enter accepts it."
    if s.quote:
        text += f"\nYou wrote: “{s.quote}”"
    return text


class RecallCheckScreen(StudyScreen):
    """Mark each card against what you wrote."""

    CSS_PATH = "recall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # The mark keys are spelled out on the card ("1 ✓  2 🟡  3 🔴  s skip"), so the footer
        # keeps its room for the rest.
        Binding("1", "mark('recalled')", "✓ recalled", id="recall-mark-recalled", show=False),
        Binding("2", "mark('shaky')", "🟡 shaky", id="recall-mark-shaky", show=False),
        Binding("3", "mark('missed')", "🔴 missed", id="recall-mark-missed", show=False),
        Binding("s", "mark('skip')", "Skip", id="recall-mark-skip", show=False),
        # Priority: the card list would take Enter as "select", which means nothing here.
        Binding("enter", "accept", "Accept", id="recall-accept", priority=True),
        Binding("n", "note", "Note", id="recall-note"),
        Binding("t", "toggle_text", "My text", id="recall-show-text"),
        Binding("x", "run", "Run", id="recall-run"),
        Binding("w", "write", "Write more", id="recall-back-to-writing"),
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
        self.pending_notes: dict[str, str] = {}  # card key -> a note given before the mark
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
            with VerticalScroll(id="check-text"):
                yield Static("What you wrote", classes="section-title")
                yield Static(self.session.text or "(nothing written)", id="check-text-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#check-text").display = False
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
        if action == "accept":
            return self.suggested_mark() is not None
        return True

    def suggested_mark(self) -> Mark | None:
        if not self.items:
            return None
        suggestion = self.suggestions.get(self.items[self.index].key)
        return suggestion.mark if suggestion is not None else None

    def show_mark(self) -> None:
        key = self.items[self.index].key if self.items else ""
        mark = self.marks.get(key)
        if mark is None:
            text = "Your mark: (none yet) · 1 ✓  2 🟡  3 🔴  s skip"
            if key in self.pending_notes:
                text += f" · note: {self.pending_notes[key]}"
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
            note=old.note if old else self.pending_notes.pop(item.key, ""),
            suggested=suggestion.mark if suggestion else None,
            duration_ms=(old.duration_ms if old else 0) + spent,
        )
        self.put(record)
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

    def action_accept(self) -> None:
        """Enter: give the card on screen the mark the recall text suggests."""
        mark = self.suggested_mark()
        if mark is None:
            self.notify("No mark is suggested for this card: press 1, 2, 3 or s.")
            return
        self.action_mark(mark.value)

    def action_note(self) -> None:
        """Note the card on screen. Before it is marked, the note waits for the mark."""
        if not self.items:
            return
        item = self.items[self.index]
        mark = self.marks.get(item.key)
        note = mark.note if mark is not None else self.pending_notes.get(item.key, "")
        front = one_line(item.info.card.front)
        title = f"Note for {mark.mark.symbol if mark else UNMARKED} {front}"
        self.app.push_screen(NoteDialog(title, note), partial(self._note_given, self.index))

    def _note_given(self, index: int, note: str | None) -> None:
        if note is None:
            return
        key = self.items[index].key
        mark = self.marks.get(key)
        if mark is None:
            self.pending_notes[key] = note.strip()
            if index == self.index:
                self.show_mark()
            return
        self.put(
            MarkRecord(
                mark.card_key, mark.card_id, mark.deck, mark.section, mark.front, mark.position,
                mark.mark, note.strip(), mark.suggested, mark.duration_ms,
            ),
            index,
        )  # fmt: skip

    def action_toggle_text(self) -> None:
        """Show or hide the learner's recall text beside the card. On a narrow screen it
        takes the card list's place."""
        panel = self.query_one("#check-text")
        panel.display = not panel.display
        self.set_class(bool(panel.display), "-text-shown")
        options = self.query_one("#check-list", OptionList)
        if (options.display and not self.has_class("-narrow")) or not panel.display:
            self.call_after_refresh(options.focus)  # the keys go on moving through the cards

    # --- code cards ------------------------------------------------------------------------
    def action_run(self) -> None:
        if not self.items:
            return
        card = self.items[self.index].info.card
        if not card.kind.is_code:
            self.notify("Only code cards can be run; mark this one with 1, 2, 3 or s.")
            return
        starter = card.code.starter.code if card.code and card.code.starter else ""
        question = front_markdown(card, self.variant(self.index)[1])
        self.app.push_screen(RunDialog(self.index, card.kind, starter, question), self._run_answer)

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

    def __init__(self, title: str, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Static(self.title_text, classes="section-title", markup=False)
            yield Input(self.note, placeholder="what went wrong, in a line", id="note-input")
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

    def __init__(self, index: int, kind: CardKind, starter: str = "", question: str = "") -> None:
        super().__init__()
        self.index = index
        self.kind = kind
        self.starter = starter
        self.question = question  # with the setup code: the dialog covers the card's

    def compose(self) -> ComposeResult:
        with Vertical(id="run-dialog", classes="dialog"):
            with VerticalScroll(id="run-question"):
                yield Markdown(self.question, id="run-question-text")
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
