"""Recall, step 1: the goal and the decks. Also where an interrupted session is offered back.

Contract with the rest of the app: ``RecallStartScreen(decks=None)``. Home's ``r`` key and
``studyrnn recall [DECK...]`` (``launch(start="recall")``) push it; ``decks`` are deck names
or ``"deck › section"`` to pre-select, in order. When ``decks`` is None the screen takes
the app's ``recall_decks`` (the CLI's DECK arguments), once.

The screen stays under the stage screens (write, check, debrief: one at a time, each
replacing the last), owns the ``RecallFlow`` and closes its journal when it leaves. When a
stage screen is left half-way (escape), the session is saved and this screen offers it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from studyrnn.recall.journal import SessionRecord, Target
from studyrnn.recall.marks import Stage
from studyrnn.ui.screens.base import StudyScreen
from studyrnn.ui.screens.recall_flow import (
    RecallFlow,
    RecallLoaded,
    RecallReady,
    target_choices,
)
from studyrnn.ui.widgets.pick_list import PickList

# The banner and the popup name the same keys, and both answer to them.
RESUME_KEYS = "ctrl+o continues it · ctrl+k closes it (it stays in the journal)"

GOAL_PLACEHOLDER = "Goal, one line: recall chapter 13 on RNNs, then chapters 9, 10 and 11"


def resume_text(s: SessionRecord) -> str:
    where = {Stage.RECALL: "writing", Stage.CHECK: "checking", Stage.DEBRIEF: "debrief"}
    goal = s.goal or "(no goal)"
    return (
        f"An interrupted session from {s.started_at.astimezone():%Y-%m-%d %H:%M}: {goal}\n"
        f"It stopped at the {where.get(s.stage, s.stage.value)} step "
        f"({len(s.text.split())} words written, {len(s.marks)} cards marked).\n"
        f"{RESUME_KEYS}."
    )


class RecallStartScreen(StudyScreen):
    """State a goal, pick decks and sections in order, and start writing."""

    CSS_PATH = "recall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start writing", id="recall-start", priority=True),
        Binding("ctrl+o", "resume", "Continue old", id="recall-resume", priority=True),
        Binding("ctrl+k", "abandon", "Close old", id="recall-abandon", priority=True),
        Binding("ctrl+j", "journal", "Journal", id="recall-journal"),
        Binding("escape", "leave", "Back", id="recall-back"),
    ]

    def __init__(self, decks: Sequence[str] | None = None) -> None:
        super().__init__()
        self.wanted = list(decks) if decks is not None else None
        self.flow: RecallFlow | None = None
        self.order: list[Target] = []
        self.open_session: SessionRecord | None = None
        self.choices: list[Target] = []
        self.offered: set[int] = set()
        self.in_stage = False  # a stage screen (write, check, debrief) is on top of this one

    def compose(self) -> ComposeResult:
        yield Static("Recall · explain from memory, then check yourself", classes="screen-title")
        with Vertical(id="recall-start"):
            resume = Static("", id="recall-resume")
            resume.display = False  # shown by ``on_recall_loaded`` when there is a session
            yield resume
            yield Static("Goal", classes="section-title")
            yield Input(placeholder=GOAL_PLACEHOLDER, id="recall-goal")
            yield Static(
                "Decks and sections, in the order you will recall them (space picks)",
                classes="section-title",
            )
            yield PickList[int](id="recall-targets")
            yield Static("Order: (none picked)", id="recall-order")
        yield Footer()

    def on_mount(self) -> None:
        self.flow = RecallFlow(self.backend)
        if self.wanted is None:
            # The CLI's DECK arguments apply to the first recall screen only.
            self.wanted = list(self.study_app.recall_decks)
            if self.wanted:
                self.study_app.recall_decks = ()
        self.query_one("#recall-goal", Input).focus()
        self.load()

    def on_unmount(self) -> None:
        if self.flow is not None:
            self.flow.close()

    def on_screen_resume(self) -> None:
        """Back from a stage screen: leave if the session finished, else offer it again.
        (Back from a dialog or the journal: nothing changed.)"""
        if self.flow is None or not self.in_stage:
            return
        self.in_stage = False
        if self.flow.finished:
            self.dismiss()
            return
        self.load()

    # --- loading ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="recall-start", exit_on_error=False)
    def load(self) -> None:
        assert self.flow is not None
        choices = target_choices(self.flow.deck_counts())
        self.post_message(RecallLoaded(choices, self.flow.journal.latest_open()))

    def on_recall_loaded(self, message: RecallLoaded) -> None:
        self.choices = [t for t, _ in message.choices]
        picker = self.query_one("#recall-targets", SelectionList)
        picker.clear_options()
        picker.add_options(
            [
                Selection(
                    f"{'  ' if t.section else ''}{t.section or t.deck}  ({n} cards)",
                    i,
                    t in self.order,
                )
                for i, (t, n) in enumerate(message.choices)
            ]
        )
        self.open_session = message.open_session
        self.refresh_bindings()
        resume = self.query_one("#recall-resume", Static)
        resume.display = message.open_session is not None
        if message.open_session is not None:
            resume.update(resume_text(message.open_session))
            if message.open_session.id not in self.offered:
                self.offered.add(message.open_session.id)
                self.app.push_screen(ResumeDialog(message.open_session), self._resume_answer)
        if self.wanted:
            self.preselect(self.wanted)
            self.wanted = []
        self.show_order()

    def preselect(self, names: Sequence[str]) -> None:
        """Pick the decks named on the command line, in order; say which are unknown."""
        by_label = {t.label.casefold(): i for i, t in enumerate(self.choices)}
        picker = self.query_one("#recall-targets", SelectionList)
        unknown: list[str] = []
        for name in names:
            index = by_label.get(Target.parse(name).label.casefold())
            if index is None:
                unknown.append(name)
                continue
            if self.choices[index] not in self.order:
                self.order.append(self.choices[index])
                picker.select(index)
        if unknown:
            self.notify(
                f"No deck or section named {', '.join(repr(u) for u in unknown)}; "
                "pick from the list (deck names as shown, or 'deck › section').",
                severity="error",
                timeout=8,
            )

    @on(SelectionList.SelectionToggled, "#recall-targets")
    def _toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        target = self.choices[event.selection.value]
        if target in self.order:
            self.order.remove(target)
        else:
            self.order.append(target)
        self.show_order()

    def show_order(self) -> None:
        text = "  ".join(f"{i}. {t.label}" for i, t in enumerate(self.order, 1))
        self.query_one("#recall-order", Static).update(f"Order: {text or '(none picked)'}")

    # --- starting --------------------------------------------------------------------------
    @on(Input.Submitted, "#recall-goal")
    def _goal_done(self) -> None:
        if self.order:
            self.action_start()
        else:
            self.query_one("#recall-targets", SelectionList).focus()

    def action_start(self) -> None:
        goal = self.query_one("#recall-goal", Input).value.strip()
        if not goal:
            self.notify("Write your goal first, in one line.", severity="warning")
            self.query_one("#recall-goal", Input).focus()
            return
        if not self.order:
            self.notify("Pick at least one deck or section (space).", severity="warning")
            self.query_one("#recall-targets", SelectionList).focus()
            return
        self.begin(goal, list(self.order))

    @work(thread=True, exclusive=True, group="recall-begin", exit_on_error=False)
    def begin(self, goal: str, targets: list[Target]) -> None:
        assert self.flow is not None
        self.flow.session = self.flow.journal.start(goal, targets)
        self.post_message(RecallReady(self.flow.session))

    def _resume_answer(self, answer: str | None) -> None:
        if answer == "continue":
            self.action_resume()
        elif answer == "close":
            self.action_abandon()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The old-session keys show only while there is one to act on."""
        if action in ("resume", "abandon"):
            return self.open_session is not None
        return True

    def action_resume(self) -> None:
        if self.open_session is None:
            return
        self.resume(self.open_session.id)

    @work(thread=True, exclusive=True, group="recall-begin", exit_on_error=False)
    def resume(self, session_id: int) -> None:
        assert self.flow is not None
        self.flow.session = self.flow.journal.get(session_id)
        if self.flow.session.stage is not Stage.RECALL:
            self.flow.plan()
        self.post_message(RecallReady(self.flow.session))

    def on_recall_ready(self, message: RecallReady) -> None:
        assert self.flow is not None
        self.in_stage = True
        self.app.push_screen(stage_screen(self.flow, message.session.stage))

    def action_abandon(self) -> None:
        if self.open_session is None:
            return
        self.abandon(self.open_session.id)

    @work(thread=True, exclusive=True, group="recall-start", exit_on_error=False)
    def abandon(self, session_id: int) -> None:
        assert self.flow is not None
        self.flow.journal.abandon(session_id)
        self.load()

    def action_journal(self) -> None:
        from studyrnn.ui.screens.journal import JournalScreen

        self.app.push_screen(JournalScreen())

    def action_leave(self) -> None:
        self.dismiss()


class ResumeDialog(ModalScreen[str]):
    """Offer an interrupted session back: continue it, close it, or decide later."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o,c", "answer('continue')", "Continue it", id="resume-continue"),
        Binding("ctrl+k,x", "answer('close')", "Close it", id="resume-close"),
        Binding("escape", "answer('later')", "Later", id="resume-later"),
    ]

    def __init__(self, session: SessionRecord) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="resume-dialog", classes="dialog"):
            yield Static("Continue where you stopped?", classes="section-title")
            yield Static(
                resume_text(self.session).rsplit("\n", 1)[0]
                + f"\n{RESUME_KEYS} · escape decides later"
            )

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


def stage_screen(flow: RecallFlow, stage: Stage) -> StudyScreen:
    """The screen for a session's current step."""
    if stage is Stage.RECALL:
        from studyrnn.ui.screens.recall_write import RecallWriteScreen

        return RecallWriteScreen(flow)
    if stage is Stage.CHECK:
        from studyrnn.ui.screens.recall_check import RecallCheckScreen

        return RecallCheckScreen(flow)
    from studyrnn.ui.screens.recall_debrief import RecallDebriefScreen

    return RecallDebriefScreen(flow)
