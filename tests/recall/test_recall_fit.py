"""The recall check screen at 80x24 and 100x30: fronts on one line, the learner's text beside
the cards, Enter for the suggestion, a note for the card on screen, the quoted sentence, the
run dialog with its setup code, the same keys in the resume banner and popup, and the picker's
boxes told apart without colour."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from recall_helpers import FIXTURES, wait_until
from textual.pilot import Pilot
from textual.widgets import Markdown, Static

from studyrnn.recall.journal import Target
from studyrnn.recall.marks import Mark, Stage
from studyrnn.recall.service import RecallJournal
from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.recall import RESUME_KEYS, RecallStartScreen, ResumeDialog
from studyrnn.ui.screens.recall_check import NoteDialog, RecallCheckScreen, RunDialog
from studyrnn.ui.widgets.pick_list import PickList
from tests.ui.screen_text import SIZES, Size, footer_keys, inside, text

# --- the recall check screen --------------------------------------------------------------
RECALL_TEXT = (
    "LSTMs have two states.\nThe forget gate decides what to erase from the long-term state c_t.\n"
)


async def to_check(pilot: Pilot[None], app: StudyApp) -> RecallCheckScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, ResumeDialog), "the offer")
    dialog = app.screen
    assert RESUME_KEYS in text(dialog.query_one("#resume-dialog Static:last-of-type", Static))
    await pilot.press("ctrl+o")  # the key the banner names
    await wait_until(pilot, lambda: isinstance(app.screen, RecallCheckScreen), "checking")
    screen = app.screen
    assert isinstance(screen, RecallCheckScreen)
    return screen


@pytest.fixture
def check_session(journal: RecallJournal) -> int:
    s = journal.start("Chapter 13", (Target("RNNs", "LSTM"), Target("PyTorch basics")))
    journal.autosave(s.id, RECALL_TEXT, 60_000)
    journal.update(s.id, stage=Stage.CHECK)
    return s.id


@pytest.mark.parametrize("size", SIZES)
async def test_the_check_screen_fits_and_explains_its_suggestions(
    make_app: Callable[..., StudyApp], check_session: int, size: Size
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await to_check(pilot, app)
        options = screen.query_one("#check-list")
        width = options.scrollable_content_region.width
        prompts = [screen.prompt(i) for i in range(len(screen.items))]
        assert all("`" not in p.plain and p.cell_len <= width for p in prompts)
        suggest = text(screen.query_one("#check-suggest", Static))
        assert suggest.splitlines()[-1] == (
            "You wrote: “The forget gate decides what to erase from the long-term state c_t.”"
        )
        await pilot.press("t")
        panel = screen.query_one("#check-text")
        assert panel.display and inside(panel.region, size)
        assert text(screen.query_one("#check-text-body", Static)) == RECALL_TEXT
        assert options.display == (size[0] >= 100)  # narrow: the text takes the list's place
        await pilot.press("t")
        assert not panel.display and options.display
        key = screen.items[0].key
        await pilot.press("n")  # the card on screen, before its mark
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), "the note")
        await pilot.press(*"half of it", "enter")
        await wait_until(pilot, lambda: app.screen is screen, "back")
        await pilot.press("enter")  # takes the suggested ✓
        assert screen.marks[key].mark is Mark.RECALLED
        assert screen.marks[key].note == "half of it"
        assert "? Help" in footer_keys(app)


async def test_the_run_dialog_shows_the_setup_code(
    make_app: Callable[..., StudyApp], journal: RecallJournal
) -> None:
    s = journal.start("Code", (Target("Code"),))
    journal.autosave(s.id, "h_n is (layers, batch, hidden)", 1000)
    journal.update(s.id, stage=Stage.CHECK)
    app = make_app(decks=FIXTURES / "code")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_check(pilot, app)
        code = next(i for i, it in enumerate(screen.items) if it.info.card.kind.is_code)
        screen.query_one("#check-list").highlighted = screen.option_of[code]  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, RunDialog), "the run dialog")
        question = app.screen.query_one("#run-question-text", Markdown)
        assert "lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)" in question.source
        assert inside(question.region, (80, 24))


async def test_the_resume_banner_names_the_popups_keys(
    make_app: Callable[..., StudyApp], check_session: int
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ResumeDialog), "the offer")
        await pilot.press("escape")  # later
        start = app.screen
        assert isinstance(start, RecallStartScreen)
        banner = text(start.query_one("#recall-resume", Static))
        assert banner.splitlines()[-1] == RESUME_KEYS + "."


async def test_the_recall_picker_boxes_differ_by_a_glyph(
    make_app: Callable[..., StudyApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, RecallStartScreen) and bool(app.screen.choices),
            "the picker",
        )
        picker = app.screen.query_one("#recall-targets", PickList)
        picker.select(0)
        await pilot.pause()
        lines = [picker.render_line(y).text for y in range(2)]
        assert lines[0].startswith("▐X▌ ") and lines[1].startswith("▐ ▌ ")
