"""Review: today's queue, one card at a time, Anki's keys.

Space shows the answer, 1-4 answer (each button shows its interval), u undoes, s suspends,
b buries, e opens the card in $EDITOR. Predict cards take a value in an input, write cards
code in an editor; the checker judges them in a worker and the verdict panel explains.
Every engine call and every check runs in a worker; this screen only shows results.
"""

from __future__ import annotations

import enum
import os
import shlex
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Markdown, ProgressBar, Static, TextArea

from studyrnn.decks.model import CardKind
from studyrnn.runner.verdict import Verdict
from studyrnn.ui import suggest
from studyrnn.ui.format import answer_markdown, question_markdown, rating_name
from studyrnn.ui.messages import CardShown, CheckDone, ExpectedShown
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.widgets.answer_bar import AnswerBar
from studyrnn.ui.widgets.choice_list import ChoiceList
from studyrnn.ui.widgets.code_editor import CodeEditor
from studyrnn.ui.widgets.verdict_panel import VerdictPanel
from studyrnn.values import Preview, QueueItem, Rating, Source

if TYPE_CHECKING:
    from studyrnn.engine.study import Study


class Phase(enum.StrEnum):
    LOADING = "loading"  # a worker is fetching the next card
    FRONT = "front"  # the question is shown; the learner answers or edits
    CHECKING = "checking"  # the checker is judging
    ANSWER = "answer"  # the answer is shown; 1-4 rate it
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
        *[
            Binding(str(n), f"digit({n})", "Pick option 5-9", id=f"pick-{n}", show=False)
            for n in range(5, 10)
        ],
        Binding("ctrl+r", "check", "Run check", id="run-check"),
        Binding("ctrl+o", "show_solution", "Show solution", id="show-solution"),
        Binding("ctrl+g", "give_up", "Give up", id="give-up"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("s", "suspend", "Suspend", id="suspend"),
        Binding("b", "bury", "Bury", id="bury"),
        Binding("e", "edit", "Edit card", id="edit"),
        Binding("i", "type_answer", "Type answer", id="type-answer"),
        Binding("pagedown", "scroll_card(1)", "Scroll down", id="scroll-down", show=False),
        Binding("pageup", "scroll_card(-1)", "Scroll up", id="scroll-up", show=False),
        # Esc has two jobs; the footer names the one it does now. While the answer box or
        # the editor has the keyboard, letters type there, so u/s/b/e wait for this Esc.
        Binding("escape", "leave_field", "Leave answer box", id="leave-answer"),
        Binding("escape", "leave", "Back", id="home"),
    ]

    def __init__(self, deck: str | None = None) -> None:
        super().__init__()
        self.deck = deck
        self.phase = Phase.LOADING
        self.item: QueueItem | None = None
        self.preview: Preview | None = None
        self.suggested: Rating | None = None
        self.verdict: str | None = None
        self.tries = 0
        self.done = 0
        self.remaining = 0
        self.shown_at = time.monotonic()

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
        self.load_next(note="")

    @property
    def card_kind(self) -> CardKind | None:
        return self.item.card.kind if self.item is not None else None

    # --- which keys apply now -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        kind, phase = self.card_kind, self.phase
        code = kind is not None and kind.is_code
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
        if action in ("suspend", "bury", "edit", "undo") and self._editing():
            return False  # typed into the box; the footer shows them after Esc
        if action == "type_answer":
            return phase is Phase.FRONT and code and not self._editing()
        if action in ("suspend", "bury", "edit"):
            return self.item is not None and phase in (Phase.FRONT, Phase.ANSWER)
        if action == "undo":
            return phase in (Phase.FRONT, Phase.ANSWER, Phase.DONE)
        if action == "leave_field":
            return self._editing()
        if action == "leave":
            return not self._editing()
        return True

    def set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.refresh_bindings()
        self._show_hint()

    def _show_hint(self) -> None:
        kind, phase = self.card_kind, self.phase
        checker_ready = self.study_app.checker_state == "ready"
        if phase is Phase.LOADING:
            text = "…"
        elif phase is Phase.DONE:
            text = "u undoes the last answer · Esc goes home"
        elif phase is Phase.CHECKING:
            text = "checking…" if checker_ready else "waiting for the checker to warm up…"
        elif phase is Phase.ANSWER:
            text = (
                f"Enter confirms {rating_name(self.suggested)} · 1-4 pick another"
                if self.suggested is not None
                else "1 Again · 2 Hard · 3 Good · 4 Easy"
            )
        elif kind is not None and kind.is_code and not self._editing():
            text = "i types the answer again · u undo · s suspend · b bury · e edit · Esc goes home"
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
            text = "pick options with their numbers · Enter answers"
        else:
            text = "space shows the answer"
        self.query_one("#hint", Static).update(text)

    # --- loading cards --------------------------------------------------------------------
    @work(
        thread=True, exclusive=True, group="queue", exit_on_error=False, name="load the next card"
    )
    def load_next(self, note: str) -> None:
        self.load_next_from_thread(note)

    def on_card_shown(self, message: CardShown) -> None:
        self.done = max(0, self.done + message.answered)
        self.remaining = message.remaining
        if message.note:
            self.notify(message.note, timeout=3)
        self.show_item(message.item, message.preview)

    def show_item(self, item: QueueItem | None, preview: Preview | None) -> None:
        self.item, self.preview = item, preview
        self.suggested, self.verdict, self.tries = None, None, 0
        self.shown_at = time.monotonic()
        progress = self.query_one("#progress", ProgressBar)
        progress.update(total=max(1, self.done + self.remaining), progress=self.done)
        title = self.query_one("#review-title", Static)
        front = self.query_one("#front", Markdown)
        for selector in ("#choices", "#predict", "#code", "#verdict", "#back"):
            self.query_one(selector).display = False
        self.query_one("#card-scroll").remove_class("-answered")
        front.display = True
        state = self.query_one("#review-state", Static)
        if item is None:
            title.update(f"Review · {self.deck or 'all decks'}")
            state.update("done")
            front.update(
                "## Nothing left to review here today\n\n"
                f"You answered {self.done} card{'s' if self.done != 1 else ''} this session. "
                "Press **Esc** to go home."
            )
            self.query_one(AnswerBar).show(None, None, active=False)
            self.set_phase(Phase.DONE)
            return
        card = item.card
        where = f"{card.deck} › {card.section}" if card.section else card.deck
        title.update(where)
        state.update(f"{card.kind.value} · {item.state} · {self.remaining} left")
        front.update(question_markdown(card, item.params))
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

    # --- revealing and answering ----------------------------------------------------------
    def _reveal_back(self) -> AwaitComplete | None:
        """Show the back; returns the Markdown update to await before scrolling to it."""
        if self.item is None:
            return None
        card = self.item.card
        back = self.query_one("#back", Markdown)
        text = answer_markdown(card, self.item.params)
        if card.kind is CardKind.CLOZE:
            # The back is the whole note with the blank filled: it replaces the front.
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
            self.notify("Pick at least one option with its number first.", severity="warning")
            return
        right = choices.all_right
        choices.display = False
        picked = ", ".join(str(n) for n in sorted(choices.picked))
        self.query_one(VerdictPanel).show_text(
            f"You picked {picked}: " + ("all right." if right else "not quite."),
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
        elif self.phase is Phase.FRONT and self.card_kind is CardKind.CHOICE:
            self.query_one(ChoiceList).toggle(number)

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
        self.set_phase(Phase.CHECKING)
        self.run_check(self.item, answer)

    @work(thread=True, exclusive=True, group="check", exit_on_error=False, name="run the check")
    def run_check(self, item: QueueItem, answer: str) -> None:
        checker = self.backend.checker()
        result = checker.grade(item.card, answer, seed=item.seed, params=item.params or None)
        self.post_message(CheckDone(item.card_id, result))

    def on_check_done(self, message: CheckDone) -> None:
        if self.item is None or message.card_id != self.item.card_id:
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
            self.query_one(VerdictPanel).show_text(f"{words}: computing the expected value…")
            self.fetch_expected(self.item, words)
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
    def fetch_expected(self, item: QueueItem, words: str) -> None:
        checker = self.backend.checker()
        result = checker.expected(item.card, seed=item.seed, params=item.params or None)
        if result.passed and result.expected:
            text = f"{words}. Expected: {result.expected}"
        else:
            text = f"{words}. The expected value could not be computed: {result.message}"
        self.post_message(ExpectedShown(item.card_id, text))

    def on_expected_shown(self, message: ExpectedShown) -> None:
        if self.item is not None and message.card_id == self.item.card_id:
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
        def undo(study: Study) -> CardShown | None:
            item = study.undo()
            if item is None:
                return None
            remaining = study.queue_size(self.deck)
            return CardShown(
                item, remaining, study.preview(item.card_id), "Undid the last answer", -1
            )

        shown = self.backend.call(undo)
        if shown is None:
            self.app.call_from_thread(self.notify, "Nothing to undo.")
            self.load_next_from_thread("")
        else:
            self.post_message(shown)

    def load_next_from_thread(self, note: str, answered: int = 0) -> None:
        """Fetch the next card and post it. Runs inside a worker thread."""
        deck = self.deck

        def fetch(study: Study) -> CardShown:
            item = study.next_card(deck)
            remaining = study.queue_size(deck)
            preview = study.preview(item.card_id) if item is not None else None
            return CardShown(item, remaining, preview, note, answered)

        self.post_message(self.backend.call(fetch))

    def action_suspend(self) -> None:
        if self.item is not None and self.phase in (Phase.FRONT, Phase.ANSWER):
            self.set_phase(Phase.LOADING)
            self.hide_card(self.item, suspend=True)

    def action_bury(self) -> None:
        if self.item is not None and self.phase in (Phase.FRONT, Phase.ANSWER):
            self.set_phase(Phase.LOADING)
            self.hide_card(self.item, suspend=False)

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False, name="hide the card")
    def hide_card(self, item: QueueItem, suspend: bool) -> None:
        if suspend:
            self.backend.call(lambda study: study.suspend(item.card_id, True))
        else:
            self.backend.call(lambda study: study.bury(item.card_id))
        words = "Suspended" if suspend else "Buried until tomorrow"
        self.load_next_from_thread(f"{words}: {item.card.front.splitlines()[0][:60]}")

    def action_edit(self) -> None:
        if self.item is None:
            return
        card = self.item.card
        command = [*editor_command(), f"+{card.line}", card.path]
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except Exception as exc:  # no terminal to hand over (tests, web): say so, lose nothing
            self.notify(f"Could not open the editor: {exc}", severity="error")
            return
        self.set_phase(Phase.LOADING)
        self.resync(Path(card.path))

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False, name="re-sync the deck")
    def resync(self, path: Path) -> None:
        report = self.backend.call(lambda study: study.sync([path]))
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


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else vi; split like a shell would."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(editor)
