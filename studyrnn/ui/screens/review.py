"""Review: today's queue, one card at a time, Anki's keys.

Space shows the answer, 1-4 answer (each button shows its interval), u undoes, s suspends,
b or - buries (- on every card, as in Anki; b is an option's letter on a multiple-choice
front), E edits the card's source in $EDITOR (e too, on cards without code). Multiple-choice
options are picked with letters, so digits only ever rate. Predict cards take a value in an
input, write cards code in an editor (e writes it in $EDITOR); a predict answer is read here
with the answer grammar, and one it cannot read is shown to fix, never judged. The checker
judges the rest in a worker and the verdict panel explains.

Every engine call and every check runs in a worker; this screen only shows results. Each
result carries the attempt it answers (a new card, a new check, a give-up each start one),
so a late result never paints on the card that followed.

The header shows today's three counts (new, lrn, due) as Home does, from the engine's one
count. When only learning cards not yet due are left, the screen waits for the next one ("next
card in 4 min") and goes on by itself; a learning card shown early says how early. When
nothing is left, it says whether the daily new-card limit holds cards back, and m opens Study
more.
"""

from __future__ import annotations

import enum
import math
import os
import shlex
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Markdown, ProgressBar, Static, TextArea

from studyrnn import deck_copies
from studyrnn.decks.model import CardKind
from studyrnn.errors import StudyrnnError
from studyrnn.runner.answer import AnswerSyntaxError, parse_answer
from studyrnn.runner.verdict import Verdict
from studyrnn.ui import suggest
from studyrnn.ui.cloze_reveal import revealed_back
from studyrnn.ui.format import answer_markdown, card_title, question_markdown, rating_name
from studyrnn.ui.messages import CardShown, CheckDone, ExpectedShown
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.screens.copy_deck import CopyDeckDialog
from studyrnn.ui.screens.study_more import NEW, MoreChoice, StudyMoreScreen, choice_note
from studyrnn.ui.widgets.answer_bar import AnswerBar
from studyrnn.ui.widgets.choice_list import LETTERS, ChoiceList
from studyrnn.ui.widgets.code_editor import CodeEditor
from studyrnn.ui.widgets.verdict_panel import VerdictPanel
from studyrnn.values import NewLimit, NextUp, Preview, QueueItem, Rating, Source, SyncReport

if TYPE_CHECKING:
    from studyrnn.engine.study import Study


class Phase(enum.StrEnum):
    LOADING = "loading"  # a worker is fetching the next card
    FRONT = "front"  # the question is shown; the learner answers or edits
    CHECKING = "checking"  # the checker is judging
    ANSWER = "answer"  # the answer is shown; 1-4 rate it
    WAITING = "waiting"  # only learning cards not yet due are left: wait for the next one
    DONE = "done"  # nothing left today


class ReviewScreen(StudyScreen):
    """Reviews one deck (or every deck when ``deck`` is None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show answer", id="reveal"),
        # The hint line says what Enter confirms, so the footer leaves it out.
        Binding("enter", "confirm", "Confirm", id="confirm", show=False),
        Binding("1", "digit(1)", "Again", id="answer-again", show=False),
        Binding("2", "digit(2)", "Hard", id="answer-hard", show=False),
        Binding("3", "digit(3)", "Good", id="answer-good", show=False),
        Binding("4", "digit(4)", "Easy", id="answer-easy", show=False),
        Binding("ctrl+r", "check", "Run check", id="run-check"),
        Binding("ctrl+o", "show_solution", "Show solution", id="show-solution"),
        Binding("ctrl+g", "give_up", "Give up", id="give-up"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("s", "suspend", "Suspend", id="suspend"),
        Binding("b", "bury", "Bury", id="bury"),
        # - buries on every card. The footer names it only where b picks an option.
        Binding("minus", "bury_any(True)", "Bury", id="bury-minus", key_display="-"),
        Binding("minus", "bury_any(False)", "Bury", id="bury-minus-quiet", show=False),
        Binding("e", "edit_answer", "Answer in $EDITOR", id="edit-answer"),
        Binding("e", "edit_card(False)", "Edit card", id="edit-card", show=False),
        Binding("E", "edit_card(True)", "Edit card", id="edit-source"),
        Binding("i", "type_answer", "Type answer", id="type-answer"),
        Binding("m", "study_more", "Study more", id="study-more"),
        Binding("pagedown", "scroll_card(1)", "Scroll down", id="scroll-down", show=False),
        Binding("pageup", "scroll_card(-1)", "Scroll up", id="scroll-up", show=False),
        # Esc has two jobs; the footer names the one it does now. While the answer box or
        # the editor has the keyboard, letters type there, so u/s/b/e wait for this Esc.
        Binding("escape", "leave_field", "Leave answer box", id="leave-answer"),
        Binding("escape", "leave", "Back", id="home"),
        # On a multiple-choice front a letter picks its option: check_action turns off u, s,
        # b and e there while they name an option (b is option b, not bury).
        *[
            Binding(letter, f"pick({letter!r})", f"Pick option {letter}", show=False)
            for letter in LETTERS
        ],
    ]
    # The plain letters of the screen's own keys, which an option's letter takes over.
    LETTER_KEYS: ClassVar[dict[str, str]] = {
        "undo": "u",
        "suspend": "s",
        "bury": "b",
        "edit_card": "e",
    }

    MIN_QUESTION_ROWS = 4  # the question's first lines, whatever is under it
    WAIT_TICK = 10.0  # seconds between updates of "next card in N min"

    def __init__(self, deck: str | None = None, *, ahead_days: int = 0) -> None:
        super().__init__()
        self.deck = deck
        self.ahead_days = ahead_days  # > 0: reviewing ahead (study more)
        self.up: NextUp | None = None
        self.phase = Phase.LOADING
        self.item: QueueItem | None = None
        self.preview: Preview | None = None
        self.suggested: Rating | None = None
        self.verdict: str | None = None
        self.tries = 0
        self.done = 0
        self.remaining = 0
        # Whether the card on screen came early (learn ahead): the notice is said once when
        # that starts, not on every card; the header says how early each one is.
        self.early = False
        self.shown_at = time.monotonic()
        # Which attempt a result answers: bumped by every card shown, check and give-up.
        self.attempt = 0
        self._front_rows: int | str = "45%"  # the question scroll's max-height now

    # --- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The header: where the card is from (cut first when the line is short), then its
        # kind, state and the counts, which always show whole.
        with Horizontal(id="review-head", classes="screen-title"):
            yield Static("Review", id="review-title", markup=False)
            yield Static("", id="review-state", markup=False)
        yield ProgressBar(id="progress", show_eta=False)
        # The question has its own scroll above the rest, so it stays in view while the
        # verdict and the solution are scrolled to below it.
        with VerticalScroll(id="front-scroll"):
            yield Markdown("", id="front")
        with VerticalScroll(id="card-scroll"):
            yield ChoiceList(id="choices")
            yield Input(
                placeholder="a value as torch prints it: (2, 32, 20), tensor([0., 1.]), float32",
                id="predict",
            )
            yield CodeEditor(id="code")
            yield VerdictPanel("", id="verdict")
            yield Markdown("", id="back")
        yield Static("", id="hint", markup=False)
        yield AnswerBar(id="answers")
        yield Footer(show_command_palette=False)  # ctrl+p still works; the keys need the room

    def on_mount(self) -> None:
        for selector in ("#choices", "#predict", "#code", "#verdict", "#back"):
            self.query_one(selector).display = False
        self.query_one("#front", Markdown).update("*Loading the queue…*")
        self.query_one(AnswerBar).show(None, None, active=False)
        self.watch(self.study_app, "checker_state", self._show_hint, init=False)
        self.set_interval(self.WAIT_TICK, self._tick_wait)
        self.load_next(note="")

    @property
    def card_kind(self) -> CardKind | None:
        return self.item.card.kind if self.item is not None else None

    # --- which keys apply now -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        kind, phase = self.card_kind, self.phase
        code = kind is not None and kind.is_code
        if phase is Phase.FRONT and kind is CardKind.CHOICE and action in self.LETTER_KEYS:
            letter = self.LETTER_KEYS[action]
            by_capital = action == "edit_card" and bool(parameters and parameters[0])
            if not by_capital and self.query_one(ChoiceList).has(letter):
                return False
        if action == "reveal":
            return phase is Phase.FRONT and not code
        if action == "confirm":
            if self._editing():  # Enter belongs to the box: it checks, or breaks the line
                return False
            return phase is Phase.FRONT or (phase is Phase.ANSWER and self.suggested is not None)
        if action == "check":
            return phase is Phase.FRONT and kind is CardKind.WRITE
        if action in ("show_solution", "give_up"):
            return phase is Phase.FRONT and code
        if action == "bury_any":
            b_taken = (
                phase is Phase.FRONT
                and kind is CardKind.CHOICE
                and self.query_one(ChoiceList).has(self.LETTER_KEYS["bury"])
            )
            fits = self.item is not None and phase in (Phase.FRONT, Phase.ANSWER)
            shown = bool(parameters and parameters[0])
            return fits and not self._editing() and shown == b_taken
        if action in ("suspend", "bury", "edit_card", "edit_answer", "undo") and self._editing():
            return False  # typed into the box; the footer shows them after Esc
        if action == "study_more":
            return phase in (Phase.DONE, Phase.WAITING)
        if action == "pick":
            letter = str(parameters[0]) if parameters else ""
            return (
                phase is Phase.FRONT
                and kind is CardKind.CHOICE
                and self.query_one(ChoiceList).has(letter)
            )
        if action == "digit":
            return phase is Phase.ANSWER
        if action in ("suspend", "bury"):
            return self.item is not None and phase in (Phase.FRONT, Phase.ANSWER)
        if action == "edit_answer":
            return phase is Phase.FRONT and code and not self._editing()
        if action == "edit_card":
            # e edits the card only where it cannot mean "write my answer"; E always does.
            by_capital = bool(parameters and parameters[0])
            fits = self.item is not None and phase in (Phase.FRONT, Phase.ANSWER)
            return fits and (by_capital or not code)
        if action == "type_answer":
            return phase is Phase.FRONT and code and not self._editing()
        if action in ("suspend", "bury", "edit"):
            return self.item is not None and phase in (Phase.FRONT, Phase.ANSWER)
        if action == "undo":
            return phase in (Phase.FRONT, Phase.ANSWER, Phase.DONE, Phase.WAITING)
        if action == "leave_field":
            return self._editing()
        if action == "leave":
            return not self._editing()
        return True

    def set_phase(self, phase: Phase) -> None:
        self.phase = phase
        # Nothing to answer at the end or while waiting: the answer bar goes, its rows are
        # the message's.
        self.query_one(AnswerBar).display = phase not in (Phase.DONE, Phase.WAITING)
        self.refresh_bindings()
        self._show_hint()
        self.fit_front()

    def fit_front(self) -> None:
        """Share the rows between the question and what is under it, once laid out."""
        self.call_after_refresh(self._fit_front)

    def _fit_front(self) -> None:
        """The question's scroll is at most 45% of the screen, so that a verdict and the
        solution have room under it. Where what is under it is short, the question gets the
        rest: a predict front (the one-line answer box, and the reason when an answer cannot
        be read, which the question's tail makes room for), the end and the waiting
        screens. The question's first lines always stay."""
        front = self.query_one("#front-scroll", VerticalScroll)
        under = self.query_one("#card-scroll", VerticalScroll)
        fits = self.phase in (Phase.DONE, Phase.WAITING) or (
            self.phase in (Phase.FRONT, Phase.CHECKING) and self.card_kind is CardKind.PREDICT
        )
        if not fits:
            rows: int | str = "45%"
        else:
            shown = [child for child in under.children if child.display]
            room = front.outer_size.height + under.outer_size.height
            need = sum(
                child.outer_size.height + child.styles.margin.top + child.styles.margin.bottom
                for child in shown
            )
            rows = max(self.MIN_QUESTION_ROWS, room - need)
        if rows != self._front_rows:
            self._front_rows = rows
            front.styles.max_height = rows

    def _show_hint(self) -> None:
        kind, phase = self.card_kind, self.phase
        checker_ready = self.study_app.checker_state == "ready"
        if phase is Phase.LOADING:
            text = "…"
        elif phase in (Phase.DONE, Phase.WAITING):
            text = "m studies more · u undoes · Esc goes home"
        elif phase is Phase.CHECKING:
            text = "checking…" if checker_ready else "waiting for the checker to warm up…"
        elif phase is Phase.ANSWER:
            text = (
                f"Enter confirms {rating_name(self.suggested)} · 1-4 pick another"
                if self.suggested is not None
                else "1 Again · 2 Hard · 3 Good · 4 Easy"
            )
        elif kind is not None and kind.is_code and not self._editing():
            text = (
                "i types the answer again · e in $EDITOR · u undo · s suspend · b bury"
                " · E edits the card · Esc goes home"
            )
        elif kind is CardKind.PREDICT:
            # Most important first: at 80 columns the end of the line is cut.
            text = (
                "type your value, Enter checks · Esc leaves the answer box (then u s b e work)"
                " · ctrl+o shows the answer"
            )
        elif kind is CardKind.WRITE:
            text = (
                "ctrl+r runs the check · Esc leaves the editor (then u s b e work)"
                " · ctrl+o shows the solution · ctrl+g gives up"
            )
        elif kind is CardKind.CHOICE:
            choices = self.query_one(ChoiceList)
            last = LETTERS[len(choices.choices) - 1] if choices.choices else "a"
            what = "one option" if choices.single else "every right option"
            text = f"a-{last} pick {what} · Enter answers · 1-4 rate after the answer"
        else:
            text = "space shows the answer"
        self.query_one("#hint", Static).update(text)

    # --- loading cards --------------------------------------------------------------------
    @work(
        thread=True, exclusive=True, group="queue", exit_on_error=False, name="load the next card"
    )
    def load_next(self, note: str) -> None:
        self.load_next_from_thread(note)

    async def on_card_shown(self, message: CardShown) -> None:
        self.done = max(0, self.done + message.answered)
        self.remaining = message.remaining
        self.up = message.up
        if message.note:
            self.notify(message.note, timeout=3)
        early = message.up.early if message.up is not None else None
        was_early, self.early = self.early, message.item is not None and early is not None
        if early is not None and self.early and not was_early:
            self.notify(
                f"Learning card {minutes(early.total_seconds())} early: nothing else is left.",
                timeout=5,
            )
        await self.show_item(message.item, message.preview)

    async def show_item(self, item: QueueItem | None, preview: Preview | None) -> None:
        self.item, self.preview = item, preview
        self.suggested, self.verdict, self.tries = None, None, 0
        self.attempt += 1
        self.shown_at = time.monotonic()
        progress = self.query_one("#progress", ProgressBar)
        progress.update(total=max(1, self.done + self.remaining), progress=self.done)
        front = self.query_one("#front", Markdown)
        # The last card's answer, verdict and question leave the screen before anything of
        # the next card is drawn: the front comes back once its new text is mounted.
        for selector in ("#choices", "#predict", "#code", "#verdict", "#back", "#front"):
            self.query_one(selector).display = False
        self.query_one(VerdictPanel).hide()
        await self.query_one("#back", Markdown).update("")
        self.query_one("#card-scroll").remove_class("-answered")
        up = self.up
        if item is None:
            self.query_one(AnswerBar).show(None, None, active=False)
            if up is not None and up.show_at is not None:
                self._show_wait(up)
                return
            self._head(f"Review · {self.deck or 'all decks'}", "done")
            await front.update(end_markdown(self.done, up.limit if up else None, self.ahead_days))
            front.display = True
            self.set_phase(Phase.DONE)
            return
        card = item.card
        where = f"{card.deck} › {card.section}" if card.section else card.deck
        state = item.state
        if up is not None and up.early is not None:
            state = f"{state} · {minutes(up.early.total_seconds())} early"
        self._head(where, f"{card.kind.value} · {state}")
        await front.update(question_markdown(card, item.params))
        front.display = True
        self.query_one(AnswerBar).show(preview, None, active=False)
        if card.kind is CardKind.CHOICE:
            choices = self.query_one(ChoiceList)
            choices.load(card.choices)
            choices.display = True
        elif card.kind is CardKind.PREDICT:
            field = self.query_one("#predict", Input)
            field.value = ""
            field.disabled = False
            field.display = True
            field.focus()
        elif card.kind is CardKind.WRITE:
            editor = self.query_one("#code", TextArea)
            starter = card.code.starter.code if card.code and card.code.starter else ""
            editor.load_text(starter.rstrip() + "\n" if starter.strip() else "")
            editor.read_only = False
            editor.display = True
            editor.focus()
        if not card.kind.is_code:
            self.set_focus(None)
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)
        self.query_one("#front-scroll", VerticalScroll).scroll_home(animate=False)
        self.set_phase(Phase.FRONT)

    def _head(self, where: str, what: str) -> None:
        """The header: ``where`` on the left, cut first when the line is short, then ``what``
        and today's counts (``3 new · 1 lrn · 12 due``), which always show whole."""
        counts = self.up.counts.words() if self.up is not None else ""
        if self.ahead_days:
            counts = f"ahead {self.ahead_days}d · {counts}"
        self.query_one("#review-title", Static).update(where)
        self.query_one("#review-state", Static).update(f"{what} · {counts}" if counts else what)

    def _show_wait(self, up: NextUp) -> None:
        """Only learning cards not yet due are left: say when the next one comes."""
        assert up.show_at is not None
        where = f"Review · {self.deck or 'all decks'}"
        self._head(where, "waiting")
        now = self.backend.now()
        due = up.next_due or up.show_at
        text = (
            f"## Next card in {minutes((up.show_at - now).total_seconds())}\n\n"
            f"A learning card is due at {due.astimezone():%H:%M}. Nothing else is left today, "
            "so this session waits and goes on by itself; a learning card comes up to "
            "20 minutes early when nothing else is left. Press **Esc** to go home."
        )
        front = self.query_one("#front", Markdown)
        front.update(text)
        front.display = True
        if self.phase is not Phase.WAITING:
            self.set_phase(Phase.WAITING)

    def _tick_wait(self) -> None:
        """While waiting: update the minutes, and load the card once it may come."""
        up = self.up
        if self.phase is not Phase.WAITING or up is None or up.show_at is None:
            return
        if self.backend.now() >= up.show_at:
            self.set_phase(Phase.LOADING)
            self.load_next(note="")
        else:
            self._show_wait(up)

    # --- study more -----------------------------------------------------------------------
    def action_study_more(self) -> None:
        """The m key at the end of a session (or while waiting); the command palette too."""
        if self.phase in (Phase.LOADING, Phase.CHECKING):
            return
        limit = self.up.limit if self.up is not None else None
        self.app.push_screen(StudyMoreScreen(self.deck, limit), self._study_more_chosen)

    def _study_more_chosen(self, choice: MoreChoice | None) -> None:
        if choice is None:
            return
        self.set_phase(Phase.LOADING)
        self.apply_study_more(choice)

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False, name="study more")
    def apply_study_more(self, choice: MoreChoice) -> None:
        if choice.kind == NEW:
            deck = self.deck
            self.backend.call(lambda study: study.study_more(deck, choice.amount))
            self.ahead_days = 0
        else:
            self.ahead_days = choice.amount
        self.load_next_from_thread(choice_note(choice, self.deck))

    # --- revealing and answering ----------------------------------------------------------
    def _reveal_back(self) -> AwaitComplete | None:
        """Show the back; returns the Markdown update to await before scrolling to it."""
        if self.item is None:
            return None
        card = self.item.card
        back = self.query_one("#back", Markdown)
        text = answer_markdown(card, self.item.params, options_shown=True)
        back.set_class(card.kind is CardKind.CLOZE, "-cloze")
        if card.kind is CardKind.CLOZE:
            # The back is the whole note with the blank filled: it replaces the front, and
            # the blank just asked stands out, even inside inline code.
            text = revealed_back(card)
            self.query_one("#front", Markdown).display = False
        back.display = bool(text.strip())
        return back.update(text)

    def action_scroll_card(self, direction: int) -> None:
        scroll = self.query_one("#card-scroll", VerticalScroll)
        if direction > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def _to_answer(self, suggested: Rating | None) -> None:
        self.suggested = suggested
        # The learner's code shrinks to make room for the verdict and the solution.
        self.query_one("#card-scroll").add_class("-answered")
        back_shown = self._reveal_back()
        self.query_one(AnswerBar).show(self.preview, suggested, active=True)
        self.set_focus(None)
        self.set_phase(Phase.ANSWER)
        self._scroll_to_result(back_shown)

    def _scroll_to_result(self, back_shown: AwaitComplete | None) -> None:
        """Bring the verdict (or else the answer) to the top of the card's scroll, below a
        tall editor, so the solution under it is in view too; the question stays above.
        Once the solution's markdown is laid out, or there would be nothing to scroll to."""
        panel = self.query_one(VerdictPanel)
        target = panel if panel.display else self.query_one("#back", Markdown)
        scroll = self.query_one("#card-scroll", VerticalScroll)
        if not target.display:
            return

        async def scroll_when_shown() -> None:
            if back_shown is not None:
                await back_shown
            self.call_after_refresh(scroll.scroll_to_widget, target, animate=False, top=True)

        self.call_later(scroll_when_shown)

    def action_reveal(self) -> None:
        if self.phase is not Phase.FRONT or self.item is None:
            return
        if self.card_kind is CardKind.CHOICE:
            self._submit_choice()
        elif self.card_kind is not None and not self.card_kind.is_code:
            self._to_answer(None)

    def _submit_choice(self) -> None:
        choices = self.query_one(ChoiceList)
        if not choices.picked:
            self.notify("Pick an option with its letter first.", severity="warning")
            return
        right = choices.all_right
        which = "option is" if choices.single else "options are"
        choices.reveal()  # the options stay, marked: the right ones and the learner's picks
        self.query_one(VerdictPanel).show_text(
            f"✓ You picked {choices.picked_letters}: right."
            if right
            else f"✗ You picked {choices.picked_letters}: not quite. The right {which} marked ✓ "
            "above.",
            "-pass" if right else "-wrong",
        )
        self._to_answer(Rating.GOOD if right else Rating.AGAIN)

    def action_confirm(self) -> None:
        if self.phase is Phase.ANSWER and self.suggested is not None:
            self._answer(self.suggested)
        elif self.phase is Phase.FRONT and self.card_kind is CardKind.CHOICE:
            self._submit_choice()
        elif self.phase is Phase.FRONT and self.card_kind is not None and self.card_kind.is_code:
            self.action_type_answer()
        elif self.phase is Phase.FRONT:
            self.action_reveal()

    def action_digit(self, number: int) -> None:
        if self.phase is Phase.ANSWER and 1 <= number <= 4:
            self._answer(Rating(number))

    def action_pick(self, letter: str) -> None:
        if self.phase is Phase.FRONT and self.card_kind is CardKind.CHOICE:
            self.query_one(ChoiceList).pick(letter)

    @on(AnswerBar.Picked)
    def _picked(self, message: AnswerBar.Picked) -> None:
        if self.phase is Phase.ANSWER:
            self._answer(message.rating)

    def _answer(self, rating: Rating) -> None:
        item = self.item
        if item is None:
            return
        duration_ms = int((time.monotonic() - self.shown_at) * 1000)
        self.set_phase(Phase.LOADING)
        self.query_one(AnswerBar).show(self.preview, None, active=False)
        self.record(item, rating, duration_ms, self.verdict)

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False, name="save the answer")
    def record(
        self, item: QueueItem, rating: Rating, duration_ms: int, verdict: str | None
    ) -> None:
        """Commit the answer, then fetch the next card."""
        self.backend.call(
            lambda study: study.answer(
                item.card_id,
                rating,
                duration_ms=duration_ms,
                source=Source.REVIEW,
                verdict=verdict,
                seed=item.seed,
            )
        )
        self.load_next_from_thread("", answered=1)

    # --- code cards ------------------------------------------------------------------------
    @on(Input.Submitted, "#predict")
    def _predict_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.phase is not Phase.FRONT or self.item is None:
            return
        answer = event.value.strip()
        if not answer:
            self.notify("Type a value first, or press ctrl+o to see the answer.")
            return
        try:
            parse_answer(answer)
        except AnswerSyntaxError as exc:
            # Not an answer yet: say why and where, keep the box as it is. Nothing is run,
            # nothing recorded, and the checker is not even asked.
            panel = self.query_one(VerdictPanel)
            panel.show_unreadable(exc.marked())
            self.fit_front()
            self.call_after_refresh(panel.scroll_visible, animate=False)
            return
        self.query_one(VerdictPanel).hide()
        event.input.disabled = True
        self._start_check(answer)

    def action_check(self) -> None:
        if self.phase is not Phase.FRONT or self.card_kind is not CardKind.WRITE:
            return
        editor = self.query_one("#code", TextArea)
        editor.read_only = True
        self._start_check(editor.text)

    def _start_check(self, answer: str) -> None:
        assert self.item is not None
        self.attempt += 1
        self.set_phase(Phase.CHECKING)
        self.run_check(self.item, answer, self.attempt)

    @work(thread=True, exclusive=True, group="check", exit_on_error=False, name="run the check")
    def run_check(self, item: QueueItem, answer: str, attempt: int) -> None:
        checker = self.backend.checker()
        result = checker.grade(item.card, answer, seed=item.seed, params=item.params or None)
        self.post_message(CheckDone(item.card_id, result, attempt))

    def _current(self, card_id: int, attempt: int) -> bool:
        """Whether a result answers the attempt on screen (not an earlier card, nor an
        earlier showing of this card)."""
        return self.item is not None and card_id == self.item.card_id and attempt == self.attempt

    def on_check_done(self, message: CheckDone) -> None:
        if not self._current(message.card_id, message.attempt) or self.phase is not Phase.CHECKING:
            return
        result = message.result
        panel = self.query_one(VerdictPanel)
        if result.verdict is Verdict.UNREADABLE:
            # Not an answer yet: show why and where, and let the learner fix it. Nothing was
            # run and nothing is recorded.
            panel.show(result, predict=True)
            self.set_phase(Phase.FRONT)
            field = self.query_one("#predict", Input)
            field.disabled = False
            field.focus()
            return
        self.verdict = result.verdict.value
        if self.card_kind is CardKind.PREDICT:
            panel.show(result, predict=True)
            self._to_answer(suggest.for_predict(result))
            return
        if result.verdict.counts_against_learner:
            self.tries += 1
        panel.show(result, predict=False, tries=self.tries)
        if result.passed or not result.verdict.counts_against_learner:
            self.query_one("#code", TextArea).read_only = True
            self._to_answer(suggest.for_write(result, self.tries))
            return
        editor = self.query_one("#code", TextArea)
        editor.read_only = False
        editor.focus(scroll_visible=False)
        self.set_phase(Phase.FRONT)
        self.call_after_refresh(panel.scroll_visible, animate=False)

    def action_show_solution(self) -> None:
        self._give_up("Solution shown")

    def action_give_up(self) -> None:
        self._give_up("Gave up")

    def _give_up(self, words: str) -> None:
        if self.phase is not Phase.FRONT or self.item is None or self.card_kind is None:
            return
        if not self.card_kind.is_code:
            return
        self.query_one("#predict", Input).disabled = True
        self.query_one("#code", TextArea).read_only = True
        if self.card_kind is CardKind.PREDICT:
            self.attempt += 1
            self.query_one(VerdictPanel).show_text(f"{words}: computing the expected value…")
            self.fetch_expected(self.item, words, self.attempt)
        else:
            self.query_one(VerdictPanel).show_text(f"{words}: the solution is below.")
        self._to_answer(suggest.for_giving_up())

    @work(
        thread=True,
        exclusive=True,
        group="check",
        exit_on_error=False,
        name="compute the expected value",
    )
    def fetch_expected(self, item: QueueItem, words: str, attempt: int) -> None:
        checker = self.backend.checker()
        result = checker.expected(item.card, seed=item.seed, params=item.params or None)
        if result.passed and result.expected:
            text = f"{words}. Expected: {result.expected}"
        else:
            text = f"{words}. The expected value could not be computed: {result.message}"
        self.post_message(ExpectedShown(item.card_id, text, attempt))

    def on_expected_shown(self, message: ExpectedShown) -> None:
        if self._current(message.card_id, message.attempt):
            self.query_one(VerdictPanel).show_text(message.expected)

    # --- undo, suspend, bury, edit --------------------------------------------------------
    def action_undo(self) -> None:
        if self.phase in (Phase.LOADING, Phase.CHECKING):
            return
        self.set_phase(Phase.LOADING)
        self.undo_last()

    @work(
        thread=True, exclusive=True, group="queue", exit_on_error=False, name="undo the last answer"
    )
    def undo_last(self) -> None:
        deck, ahead = self.deck, self.ahead_days

        def undo(study: Study) -> CardShown | None:
            undone = study.undo()
            if undone is None:
                return None
            item = undone.item
            counts = study.counts(deck, ahead_days=ahead)
            up = NextUp(item, counts, study.new_limit(deck))
            # As bury and suspend say it: the drawn variant, whole words, an ellipsis if cut.
            front = card_title(item.card, item.params, 100)
            note = f"Undid the {UNDO_WORDS.get(undone.action, undone.action)}: {front}"
            answered = -1 if undone.action == "answer" else 0
            return CardShown(item, counts.left, study.preview(item.card_id), note, answered, up)

        shown = self.backend.call(undo)
        if shown is None:
            self.app.call_from_thread(self.notify, "Nothing to undo.")
            self.load_next_from_thread("")
        else:
            self.post_message(shown)

    def load_next_from_thread(self, note: str, answered: int = 0) -> None:
        """Fetch the next card and post it. Runs inside a worker thread."""
        deck, ahead = self.deck, self.ahead_days

        def fetch(study: Study) -> CardShown:
            up = study.next_up(deck, ahead_days=ahead)
            item = up.item
            preview = study.preview(item.card_id) if item is not None else None
            return CardShown(item, up.counts.left, preview, note, answered, up)

        self.post_message(self.backend.call(fetch))

    def action_suspend(self) -> None:
        if self.item is not None and self.phase in (Phase.FRONT, Phase.ANSWER):
            self.set_phase(Phase.LOADING)
            self.hide_card(self.item, suspend=True)

    def action_bury(self) -> None:
        if self.item is not None and self.phase in (Phase.FRONT, Phase.ANSWER):
            self.set_phase(Phase.LOADING)
            self.hide_card(self.item, suspend=False)

    def action_bury_any(self, shown: bool = False) -> None:
        """The - key buries on every card (``shown`` is for check_action only)."""
        self.action_bury()

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False, name="hide the card")
    def hide_card(self, item: QueueItem, suspend: bool) -> None:
        if suspend:
            self.backend.call(lambda study: study.suspend(item.card_id, True))
        else:
            self.backend.call(lambda study: study.bury(item.card_id))
        words = "Suspended" if suspend else "Buried until tomorrow"
        self.load_next_from_thread(f"{words}: {card_title(item.card, item.params, 100)}")

    def action_edit_answer(self) -> None:
        """Write the answer in $EDITOR: a temporary file holding what the box holds now, read
        back into the box when the editor exits. Nothing is checked until the learner says."""
        kind = self.card_kind
        if self.phase is not Phase.FRONT or kind not in (CardKind.PREDICT, CardKind.WRITE):
            return
        field = self.query_one("#predict", Input)
        editor = self.query_one("#code", TextArea)
        current = editor.text if kind is CardKind.WRITE else field.value
        with tempfile.TemporaryDirectory(prefix="studyrnn-") as folder:
            path = Path(folder) / ("answer.py" if kind is CardKind.WRITE else "answer.txt")
            path.write_text(current, encoding="utf-8")
            if not self._run_editor([*editor_command(), str(path)]):
                return
            text = path.read_text(encoding="utf-8")
        if kind is CardKind.WRITE:
            editor.load_text(text)
            editor.focus()
        else:  # a value as torch prints it may span lines; the box holds one
            field.value = " ".join(line.strip() for line in text.splitlines() if line.strip())
            field.focus()
        self.notify(
            "Your answer is back in the box: "
            + ("ctrl+r runs the check." if kind is CardKind.WRITE else "Enter checks it.")
        )

    def action_edit_card(self, by_capital: bool = True) -> None:
        """Edit this card's source at its line. A bundled deck is never opened where it is
        installed: the learner is offered a copy in their decks folder first. (``by_capital``
        tells E from e, for check_action only.)"""
        if self.item is None:
            return
        path = Path(self.item.card.path)
        if not deck_copies.is_bundled(path):
            self._edit_source(path, self.item.card.line, None)
            return
        target = deck_copies.learner_dir(self.backend.deck_paths)
        line = self.item.card.line

        def copy_then_edit(agreed: bool | None) -> None:
            if not agreed:
                return
            try:
                (copied,) = deck_copies.copy_bundled(path.stem, target)
            except StudyrnnError as exc:
                self.notify(f"{exc.message} ({exc.hint})", severity="error", timeout=8)
                return
            paths = deck_copies.with_copies(self.backend.deck_paths, target)
            self.notify(f"Copied {path.name} to {copied.target}", timeout=5)
            self._edit_source(copied.target, line, paths)

        self.app.push_screen(CopyDeckDialog(path, target), copy_then_edit)

    def _edit_source(self, path: Path, line: int, deck_paths: list[Path] | None) -> None:
        if not self._run_editor([*editor_command(), f"+{line}", str(path)]) and not deck_paths:
            return
        self.set_phase(Phase.LOADING)
        self.resync(path, deck_paths)

    def _run_editor(self, command: list[str]) -> bool:
        """Run the editor with the terminal handed over (the app suspended); False, with a
        notice, when there is no terminal to hand over (a web session)."""
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except Exception as exc:  # no terminal to hand over: say so, lose nothing
            self.notify(f"Could not open the editor: {exc}", severity="error")
            return False
        return True

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False, name="re-sync the deck")
    def resync(self, path: Path, deck_paths: list[Path] | None = None) -> None:
        def sync(study: Study) -> SyncReport:
            if deck_paths is not None:  # a bundled deck was copied: read the copy from now on
                self.backend.deck_paths = study.deck_paths = deck_paths
            return study.sync([path])

        report = self.backend.call(sync)
        for problem in report.problems:
            self.app.call_from_thread(self.notify, problem.format(), severity="warning", timeout=8)
        self.load_next_from_thread(f"Re-synced {path.name}: {report.summary()}")

    def worker_failed(self, worker: object) -> None:
        """After an error the learner can go home or try again from the card on screen."""
        self.set_phase(Phase.FRONT if self.item is not None else Phase.DONE)
        if self.item is not None and self.card_kind is CardKind.WRITE:
            self.query_one("#code", TextArea).read_only = False
        if self.item is not None and self.card_kind is CardKind.PREDICT:
            self.query_one("#predict", Input).disabled = False

    def _editing(self) -> bool:
        """True while the answer field or the code editor has the keyboard."""
        return isinstance(self.focused, Input | TextArea)

    def action_type_answer(self) -> None:
        if self.phase is not Phase.FRONT:
            return
        if self.card_kind is CardKind.PREDICT:
            self.query_one("#predict", Input).focus()
        elif self.card_kind is CardKind.WRITE:
            self.query_one("#code", TextArea).focus()
        self.refresh_bindings()

    def on_resize(self) -> None:
        self.fit_front()

    def on_verdict_panel_resized(self) -> None:
        """The panel's height is known once it is laid out: share the rows again."""
        self.fit_front()

    def on_descendant_focus(self) -> None:
        """The answer box or editor took the keyboard: the footer and hint say so."""
        self.refresh_bindings()
        self._show_hint()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()
        self._show_hint()

    def action_leave_field(self) -> None:
        """Esc while typing: leave the answer box, so u, s, b and e work (the next Esc goes
        home)."""
        self.set_focus(None)
        self.refresh_bindings()
        self._show_hint()

    def action_leave(self) -> None:
        self.app.pop_screen()


UNDO_WORDS = {"answer": "last answer", "bury": "bury", "suspend": "suspend"}


def minutes(seconds: float) -> str:
    """``6 min``, rounded up: "next card in 1 min" until it is there."""
    return f"{max(1, math.ceil(seconds / 60))} min"


def end_markdown(done: int, limit: NewLimit | None, ahead_days: int) -> str:
    """The end of a session: how many were answered, which limit holds new cards back and
    where it is set, and how to study more."""
    cards = f"{done} card{'s' if done != 1 else ''}"
    if ahead_days:
        head = "## Nothing left to review ahead"
    else:
        head = "## Nothing left to review here today"
    lines = [head, "", f"You answered {cards} this session."]
    if limit is not None and limit.reached and not ahead_days:
        lines += ["", limit.explain()]
    lines += ["", "Press **m** to study more (extra new cards, review ahead), **Esc** to go home."]
    return "\n".join(lines)


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else vi; split like a shell would."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(editor)
