"""The recall flow in the real app, driven with Pilot: goal to debrief, resuming, the journal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from recall_helpers import DECKS, FIXTURES, START, Clock, settle, wait_until
from sqlalchemy import create_engine, text
from textual.widgets import DataTable, Input, Markdown, SelectionList, Static, TextArea

from studyrnn.engine.study import Study
from studyrnn.recall.export import to_markdown
from studyrnn.recall.journal import MarkRecord, Target
from studyrnn.recall.marks import Mark, Stage
from studyrnn.recall.service import RecallJournal
from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.home import HomeScreen
from studyrnn.ui.screens.journal import JournalScreen
from studyrnn.ui.screens.recall import RecallStartScreen, ResumeDialog
from studyrnn.ui.screens.recall_check import NoteDialog, RecallCheckScreen, RunDialog
from studyrnn.ui.screens.recall_debrief import RecallDebriefScreen
from studyrnn.ui.screens.recall_write import RecallWriteScreen

RECALL = "The forget gate decides what to erase from the long-term state c_t. Cool."


def rows(db_url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


async def open_start(pilot, app: StudyApp) -> RecallStartScreen:  # type: ignore[no-untyped-def]
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, RecallStartScreen) and bool(app.screen.choices),
        "the recall start screen with its decks",
    )
    screen = app.screen
    assert isinstance(screen, RecallStartScreen)
    return screen


async def pick(pilot, screen: RecallStartScreen, label: str) -> None:  # type: ignore[no-untyped-def]
    picker = screen.query_one("#recall-targets", SelectionList)
    picker.focus()
    picker.highlighted = [t.label for t in screen.choices].index(label)
    await pilot.press("space")


async def test_a_full_session_from_goal_to_debrief(
    make_app: Callable[..., StudyApp], db_url: str, clock: Clock
) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        start = await open_start(pilot, app)
        # Sections in the file's order, as the book has them.
        assert [t.label for t in start.choices] == [
            "PyTorch basics", "RNNs", "RNNs › Recurrent neurons", "RNNs › LSTM",
        ]  # fmt: skip
        await pilot.press(*"Recall the LSTM, then PyTorch")
        await pick(pilot, start, "RNNs › LSTM")
        await pick(pilot, start, "PyTorch basics")
        assert start.query_one("#recall-order", Static).render().plain == (  # type: ignore[union-attr]
            "Order: 1. RNNs › LSTM  2. PyTorch basics"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallWriteScreen), "writing")
        write = app.screen
        assert isinstance(write, RecallWriteScreen)
        await pilot.press(*RECALL)
        assert write.query_one("#write-text", TextArea).text == RECALL

        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallCheckScreen), "checking")
        check = app.screen
        assert isinstance(check, RecallCheckScreen)
        # Deck order within each target, targets in the order picked.
        assert [i.key for i in check.items] == [
            "lstm-forget-gate", "lstm-two-states", "pt-zero-grad", "pt-no-grad",
        ]  # fmt: skip
        assert check.query_one("#check-suggest", Static).render().plain == (  # type: ignore[union-attr]
            "Suggested ✓ recalled: mentions long term state c_t, erase. Enter accepts it.\n"
            "You wrote: “The forget gate decides what to erase from the long-term state c_t.”"
        )
        await pilot.press("enter")  # ✓ forget gate, as suggested
        assert check.marks["lstm-forget-gate"].mark is Mark.RECALLED
        await pilot.press("n")  # the note is for the card on screen, the two states
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), "the note dialog")
        await pilot.press(*"forgot h_t", "enter")
        await wait_until(pilot, lambda: app.screen is check, "back to checking")
        assert check.query_one("#check-mark", Static).render().plain == (  # type: ignore[union-attr]
            "Your mark: (none yet) · 1 ✓  2 🟡  3 🔴  s skip · note: forgot h_t"
        )
        await pilot.press("3")  # 🔴 the two states: the note waited for the mark
        assert check.marks["lstm-two-states"].note == "forgot h_t"
        await pilot.press("2")  # 🟡 zero_grad
        await pilot.press("s")  # skip no_grad
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallDebriefScreen), "debrief")
        debrief = app.screen
        assert isinstance(debrief, RecallDebriefScreen)
        summary = debrief.query_one("#debrief-summary", Markdown).source
        assert summary.splitlines()[0] == (
            "**4 cards: 1 ✓ recalled, 1 🟡 shaky, 1 🔴 missed, 1 skipped.**"
        )
        assert "- 🔴 The two states an LSTM cell outputs => forgot h_t" in summary
        await pilot.press(*"Good on gates", "enter")
        await wait_until(pilot, lambda: debrief.done, "the marks to be recorded")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

    # The review log: one row per ✓/🟡/🔴 mark, source recall; the skip recorded nothing.
    assert rows(
        db_url,
        "select c.key, r.rating, r.source from reviews r join cards c on c.id = r.card_id "
        "order by r.id",
    ) == [("lstm-forget-gate", 3, "recall"), ("lstm-two-states", 1, "recall"),
          ("pt-zero-grad", 2, "recall")]  # fmt: skip
    assert rows(db_url, "select goal, text, debrief, stage from recall_sessions") == [
        ("Recall the LSTM, then PyTorch", RECALL, "Good on gates", "done")
    ]
    assert rows(
        db_url,
        "select card_key, mark, note, suggested, review_id is not null from recall_marks "
        "order by position",
    ) == [
        ("lstm-forget-gate", "recalled", "", "recalled", 1),
        ("lstm-two-states", "missed", "forgot h_t", "recalled", 1),
        ("pt-zero-grad", "shaky", "", None, 1),
        ("pt-no-grad", "skip", "", None, 0),
    ]
    # Reviewed like any review: the marked cards are not in today's queue any more.
    study = Study(db_url, [DECKS], clock=clock)
    try:
        clock.advance(hours=2)
        seen = set()
        while (item := study.next_card()) is not None and item.card.key not in seen:
            seen.add(item.card.key)
            study.bury(item.card_id)
        assert seen == {"pt-no-grad", "rnn-feedback", "rnn-saturating"}
    finally:
        study.close()


async def test_an_interrupted_session_is_offered_and_resumed(
    make_app: Callable[..., StudyApp], journal: RecallJournal, db_url: str
) -> None:
    s = journal.start("Chapter 13", (Target("RNNs", "LSTM"),))
    journal.autosave(s.id, "LSTMs have a forget gate", 61_000)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ResumeDialog), "the offer")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallWriteScreen), "writing")
        write = app.screen
        assert isinstance(write, RecallWriteScreen)
        area = write.query_one("#write-text", TextArea)
        assert area.text == "LSTMs have a forget gate"
        assert write.query_one("#write-timer", Static).render().plain.startswith("01:0")  # type: ignore[union-attr]
        await pilot.press(*" and c_t")
        await pilot.press("escape")  # pause: saved, and the start screen offers it again
        await wait_until(pilot, lambda: isinstance(app.screen, RecallStartScreen), "start")
        start = app.screen
        assert isinstance(start, RecallStartScreen)
        await wait_until(pilot, lambda: start.open_session is not None, "the reload")
        assert "ctrl+o continues it" in start.query_one("#recall-resume", Static).render().plain  # type: ignore[union-attr]
    got = journal.get(s.id)
    assert (got.text, got.stage) == ("LSTMs have a forget gate and c_t", Stage.RECALL)
    assert got.recall_ms >= 61_000


async def test_resuming_at_the_check_step_keeps_the_marks(
    make_app: Callable[..., StudyApp], journal: RecallJournal
) -> None:
    s = journal.start("Chapter 13", (Target("RNNs", "LSTM"),))
    journal.autosave(s.id, "nothing about states", 1000)
    journal.update(s.id, stage=Stage.CHECK)
    journal.put_mark(
        s.id,
        MarkRecord("lstm-forget-gate", None, "RNNs", "LSTM", "forget gate?", 0, Mark.SHAKY, "x"),
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ResumeDialog), "the offer")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallCheckScreen), "checking")
        check = app.screen
        assert isinstance(check, RecallCheckScreen)
        assert check.marks["lstm-forget-gate"].mark is Mark.SHAKY
        # The first unmarked card is shown.
        assert check.items[check.index].key == "lstm-two-states"


async def test_closing_an_interrupted_session_keeps_it_in_the_journal(
    make_app: Callable[..., StudyApp], journal: RecallJournal
) -> None:
    s = journal.start("Chapter 13", (Target("RNNs"),))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ResumeDialog), "the offer")
        await pilot.press("x")
        await wait_until(
            pilot, lambda: journal.get(s.id).stage is Stage.ABANDONED, "the session closed"
        )
    assert journal.latest_open() is None


async def test_decks_named_on_the_command_line_are_preselected_in_order(
    make_app: Callable[..., StudyApp],
) -> None:
    app = make_app(recall_decks=("PyTorch basics", "rnns > lstm", "Nope"))
    async with app.run_test(size=(100, 30)) as pilot:
        start = await open_start(pilot, app)
        await wait_until(pilot, lambda: bool(start.order), "the preselection")
        assert [t.label for t in start.order] == ["PyTorch basics", "RNNs › LSTM"]
        picker = start.query_one("#recall-targets", SelectionList)
        assert sorted(picker.selected) == [0, 3]


async def test_the_goal_and_a_deck_are_required(make_app: Callable[..., StudyApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        start = await open_start(pilot, app)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, RecallStartScreen)
        await pilot.press(*"A goal", "enter")  # no deck yet: focus moves to the list
        assert start.query_one("#recall-targets", SelectionList).has_focus
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RecallStartScreen)
        assert start.query_one("#recall-goal", Input).value == "A goal"


async def test_the_journal_screen_shows_sessions_and_coverage(
    make_app: Callable[..., StudyApp],
    journal: RecallJournal,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one = journal.start("first", (Target("RNNs"),))
    for pos, (key, mark) in enumerate([("a", Mark.MISSED), ("b", Mark.SHAKY)]):
        journal.put_mark(one.id, MarkRecord(key, None, "RNNs", "", key, pos, mark))
    journal.update(one.id, stage=Stage.DONE)
    clock.advance(days=2)
    two = journal.start("second", (Target("RNNs"),))
    for pos, (key, mark) in enumerate([("a", Mark.RECALLED), ("b", Mark.RECALLED)]):
        journal.put_mark(two.id, MarkRecord(key, None, "RNNs", "", key, pos, mark))
    journal.update(two.id, stage=Stage.DONE)
    journal.start("third, interrupted", (Target("RNNs"),))
    app = make_app()
    async with app.run_test(size=(120, 34)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ResumeDialog), "the offer")
        await pilot.press("escape")  # decide later
        await open_start(pilot, app)
        await pilot.press("ctrl+j")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, JournalScreen)
                and app.screen.query_one("#journal-coverage", DataTable).row_count == 2
            ),
            "the journal and its coverage table",
        )
        screen = app.screen
        sessions = screen.query_one("#journal-sessions", DataTable)
        assert [sessions.get_row_at(i)[0] for i in range(sessions.row_count)] == ["3", "2", "1"]
        cov = screen.query_one("#journal-coverage", DataTable)
        assert [cov.get_row_at(i) for i in range(2)] == [
            ["1", f"{START:%Y-%m-%d}", "0", "1", "1", "0", "░░░░░░░░░░░░ 0%"],
            ["2", "2026-12-01", "2", "0", "0", "0", "████████████ 100%"],
        ]
        assert screen.query_one("#journal-session", Markdown).source.startswith(
            "# Goal\nthird, interrupted\n"
        )
        monkeypatch.chdir(tmp_path)
        await pilot.press("e")  # export the highlighted (newest) session into the folder
        await pilot.pause()
        written = tmp_path / f"recall-003-{clock.now:%Y-%m-%d}.md"
        assert written.read_text(encoding="utf-8") == to_markdown(journal.get(3))


def test_the_fixture_decks_exist() -> None:
    assert sorted(p.name for p in DECKS.iterdir()) == ["pytorch.md", "rnn.md"]
    assert Path(__file__).parent.joinpath("golden").is_dir()


@pytest.mark.slow
async def test_a_code_card_can_be_run_from_the_check_step(
    make_app: Callable[..., StudyApp],
) -> None:
    app = make_app(decks=FIXTURES / "code", real_checker=True, recall_decks=("Code",))
    async with app.run_test(size=(110, 34)) as pilot:
        start = await open_start(pilot, app)
        await wait_until(pilot, lambda: bool(start.order), "the preselection")
        await pilot.press(*"LSTM shapes", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallWriteScreen), "writing")
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallCheckScreen), "checking")
        check = app.screen
        assert isinstance(check, RecallCheckScreen)
        verdict = check.query_one("#check-run", Static)
        for answer, shown, suggested in [
            ("(32, 2, 20)", "wrong: batch_first does not apply", Mark.MISSED),
            ("(2, 32, 20)", "pass", Mark.RECALLED),
        ]:
            await pilot.press("x")
            await wait_until(pilot, lambda: isinstance(app.screen, RunDialog), "the run dialog")
            await pilot.press(*answer, "enter")
            await wait_until(
                pilot,
                lambda s=shown: verdict.render().plain.startswith(s),  # type: ignore[union-attr,misc]
                f"the verdict {shown!r}",
                timeout=180,
            )
            assert check.suggestions["recall-lstm-hn"].mark is suggested
        assert "recall-lstm-hn" not in check.marks  # running suggests; only the learner marks
        await pilot.press("1")
        assert check.marks["recall-lstm-hn"].mark is Mark.RECALLED


@pytest.mark.slow
async def test_a_parametric_card_shows_and_runs_the_variant_drawn_for_it(
    make_app: Callable[..., StudyApp],
) -> None:
    """The check step shows the drawn values, not ``{{=k}}``, in the list, the question and
    the answer; running the card runs that same variant (its right answer passes)."""
    app = make_app(decks=FIXTURES / "params", real_checker=True, recall_decks=("Params",))
    async with app.run_test(size=(110, 34)) as pilot:
        start = await open_start(pilot, app)
        await wait_until(pilot, lambda: bool(start.order), "the preselection")
        await pilot.press(*"Conv lengths", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallWriteScreen), "writing")
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, RecallCheckScreen), "checking")
        check = app.screen
        assert isinstance(check, RecallCheckScreen)
        _seed, values = check.variants["recall-conv-len"]
        k, n = values["k"], values["n"]
        assert isinstance(k, int) and isinstance(n, int)
        question = f"Output length of `nn.Conv1d(1, 1, kernel_size={k})` on a sequence of {n}?"
        front = check.query_one("#check-front", Markdown).source
        assert front.startswith(question + "\n")  # then the setup code, as in review
        assert "{{=" not in front
        back = check.query_one("#check-back", Markdown).source
        assert back.endswith(f"`L_out = L_in - kernel_size + 1` = {n} - {k} + 1.")
        assert check.prompt(0).plain == "·  Output length of nn.Conv1d(1, …"  # markdown rendered
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, RunDialog), "the run dialog")
        await pilot.press(*str(n - k + 1), "enter")
        verdict = check.query_one("#check-run", Static)
        await wait_until(
            pilot,
            lambda: verdict.render().plain.startswith("pass"),  # type: ignore[union-attr]
            "a pass for this variant's answer",
            timeout=180,
        )
