"""The screens fit 80x24 and 100x30: nothing that matters is cut, and the items of the daily
review (Home, Review, Browse, the recall check screen, the smaller screens) do what their keys
and hints promise. Each layout test runs at both sizes on the real app and the fixture decks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Markdown, Static

from studyrnn.commands.stats import forecast_lines
from studyrnn.engine.study import Study
from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.browse import BrowseScreen
from studyrnn.ui.screens.card_detail import CardDetailScreen
from studyrnn.ui.screens.help import HelpScreen
from studyrnn.ui.screens.home import FIRST_LAUNCH, HomeScreen
from studyrnn.ui.screens.review import Phase
from studyrnn.ui.screens.stats import integer_ticks
from studyrnn.ui.widgets.deck_tree import DeckTree
from studyrnn.ui.widgets.verdict_panel import VerdictPanel

from .conftest import NOW, open_deck, wait_until
from .screen_text import SIZES, Size, footer_keys, inside, text

CHECK_TIMEOUT = 180.0  # an upper bound, not a wait: a cold checker imports torch first


async def home(pilot: Pilot[None], app: StudyApp) -> HomeScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    tree = screen.query_one(DeckTree)
    await wait_until(pilot, lambda: len(tree.root.children) > 0, what="the deck tree")
    await wait_until(pilot, lambda: screen.has_class("-clean"), what="the sync")
    await pilot.pause()
    return screen


# --- Home ---------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
async def test_home_fits_and_says_what_to_press(
    make_app: Callable[..., StudyApp], decks: Path, size: Size
) -> None:
    long_name = "Ch 13 · RNNs, LSTMs and GRUs"
    (decks / "ch13.md").write_text(
        f"---\ndeck: {long_name}\n---\n\n# Zeta, first in the file\n\n## Q1\nA1.\n\n"
        "# Alpha, second in the file\n\n## Q2\nA2.\n",
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await home(pilot, app)
        assert footer_keys(app)[:6] == [
            "⏎ Review", "space Sections", "a Review all", "r Recall", "b Browse", "? Help",
        ]  # fmt: skip
        welcome = screen.query_one("#welcome", Static)
        assert welcome.display and text(welcome) == FIRST_LAUNCH
        assert inside(welcome.region, size) and welcome.region.height == 2
        sync = screen.query_one("#sync-status", Static)
        checker = screen.query_one("#checker-status", Static)
        assert text(sync) == "decks synced: 8 added"
        assert sync.content_region.right + 2 <= checker.region.x  # they never run together
        tree = screen.query_one(DeckTree)
        node = next(n for n in tree.root.children if n.data == long_name)
        assert node.label.plain.startswith(long_name + " ")  # whole at both sizes
        node.expand()
        await pilot.pause()
        assert [str(c.label.plain).split("  ")[0] for c in node.children] == [
            "Zeta, first in the file",
            "Alpha, second in the file",
        ]
        assert screen.query_one("#heatmap").display == (size[0] >= 100)


async def test_help_on_home_names_enter_and_space(make_app: Callable[..., StudyApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = dict((d, k) for k, d in app.screen.rows)
        assert rows["Review"] == "⏎"
        assert rows["Sections"] == "space"
        await pilot.press("escape")
        await pilot.press("space")  # Space opens "All decks", closed now: the tree folds
        assert not app.screen.query_one(DeckTree).root.is_expanded


# --- Review -------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
async def test_review_header_footer_and_hint_fit(
    make_app: Callable[..., StudyApp], size: Size
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await home(pilot, app)
        screen = await open_deck(pilot, app, "Basics")
        state = screen.query_one("#review-state", Static)
        assert text(state) == "basic · new · 3 new · 0 lrn · 0 due"
        assert inside(state.region, size)
        assert state.region.width == len(text(state)) + 2  # whole: the deck name is cut first
        assert text(screen.query_one("#review-title", Static)).startswith("Basics")
        keys = footer_keys(app)
        assert "esc Back" in keys and "? Help" in keys
        await pilot.press("escape")
        await home(pilot, app)
        screen = await open_deck(pilot, app, "Code")  # the predict card, its long hint
        hint = screen.query_one("#hint", Static)
        assert text(hint).endswith("ctrl+o shows the answer")
        assert inside(hint.region, size)
        lines = -(-len(text(hint)) // (size[0] - 2))
        assert hint.region.height in (lines, lines + 1)  # wrapped, not cut
        assert footer_keys(app)[-1] == "esc Leave answer box"


@pytest.mark.parametrize("size", SIZES)
async def test_after_a_verdict_the_question_and_the_solution_are_in_view(
    make_app: Callable[..., StudyApp], size: Size
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await home(pilot, app)
        screen = await open_deck(pilot, app, "Code")
        await pilot.press(*"(1, 2, 3)", "enter")  # a wrong prediction
        await wait_until(pilot, lambda: screen.phase is Phase.ANSWER, CHECK_TIMEOUT, "verdict")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        front = screen.query_one("#front", Markdown)
        assert inside(front.region, size) and front.region.y == 2  # under the header and bar
        scroll = screen.query_one("#card-scroll")
        panel = screen.query_one(VerdictPanel)
        assert scroll.region.contains_region(panel.region)  # the whole verdict
        back = screen.query_one("#back", Markdown)
        assert back.region.y < scroll.region.bottom - 1  # and the solution's first lines
        assert "`h_n.shape`" in front.source


# --- Browse -------------------------------------------------------------------------------
async def open_browse(pilot: Pilot[None], app: StudyApp) -> tuple[BrowseScreen, DataTable[str]]:
    await home(pilot, app)
    await pilot.press("b")
    await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), what="Browse")
    screen = app.screen
    assert isinstance(screen, BrowseScreen)
    table = screen.query_one("#cards", DataTable)
    return screen, table


@pytest.mark.parametrize("size", SIZES)
async def test_browse_search_filters_and_count(
    make_app: Callable[..., StudyApp], decks: Path, db_url: str, size: Size
) -> None:
    cards = "\n".join(f"## Card {i}\nAnswer {i}.\n" for i in range(205))
    (decks / "ch13-rnns.md").write_text(
        f"---\ndeck: Ch 13 · RNNs, LSTMs and GRUs\n---\n\n{cards}", encoding="utf-8"
    )
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen, table = await open_browse(pilot, app)
        status = screen.query_one("#browse-status", Static)
        await wait_until(pilot, lambda: table.row_count == 200, what="the first 200 cards")
        assert text(status) == (
            "200 of 211 cards · Enter opens · s suspends or unsuspends · / searches"
        )
        assert screen.focused is table
        await pilot.press("slash")  # / goes to the search box, and types nothing
        search = screen.query_one("#search", Input)
        assert screen.focused is search and search.value == ""
        await pilot.press(*"deck:ch13")
        await wait_until(pilot, lambda: "in Ch 13" in text(status), what="the deck filter")
        assert text(status) == (  # typing: only the keys that work in the box
            "200 of 205 cards in Ch 13 · RNNs, LSTMs and GRUs · Enter opens · ↓ or Esc goes to "
            "the cards"
        )
        await pilot.press(*" s")  # typing: s is a letter of the query, never "suspend"
        assert search.value == "deck:ch13 s"
        await pilot.press(*"zzz")
        await wait_until(pilot, lambda: table.row_count == 0, what="no result")
        assert text(status) == "No card matches this search."
        search.value = "deck:nope"
        await wait_until(pilot, lambda: "nope" in text(status), what="the unknown deck")
        assert text(status) == "No deck name or file contains 'nope'."
        search.value = "deck:code"  # a prefix of "Code", any case
        await wait_until(pilot, lambda: table.row_count == 2, what="the Code deck")
        # Enter opens the card under the cursor; back in Browse, the box still has the
        # keyboard, so the next letters are typed, not taken as keys on the table.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailScreen), what="detail")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="Browse")
        await pilot.press("s")
        assert screen.focused is search and search.value == "deck:codes"
    study = Study(db_url, [decks], clock=lambda: NOW)
    try:
        found = study.find(limit=1000)
    finally:
        study.close()
    assert found.total == 211 and not any(info.suspended for info in found.cards)


@pytest.mark.parametrize("size", SIZES)
async def test_browse_columns_fit_and_the_detail_shows_the_answer(
    make_app: Callable[..., StudyApp], size: Size
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        _, table = await open_browse(pilot, app)
        await wait_until(pilot, lambda: table.row_count == 6, what="all six cards")
        labels = [str(c.label) for c in table.columns.values()]
        if size[0] >= 100:
            assert labels == [
                "Deck",
                "Question",
                "Kind",
                "State",
                "Due",
                "Stab.",
                "Lapses",
                "Flags",
            ]
        else:
            assert labels == ["Question", "State", "Due", "Stab.", "Lapses", "Flags"]
        assert table.virtual_size.width <= table.scrollable_content_region.width
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailScreen), what="detail")
        detail = app.screen
        assert isinstance(detail, CardDetailScreen)
        await wait_until(pilot, lambda: detail.info is not None, what="the card")
        back = detail.query_one("#detail-back", Markdown).source
        assert back == "`None` (since PyTorch 2.0, `set_to_none=True` is the default)."


# --- smaller ------------------------------------------------------------------------------
def test_stats_axes_count_in_whole_numbers() -> None:
    assert integer_ticks(3) == [0, 1, 2, 3]
    assert integer_ticks(7) == [0, 2, 4, 6, 8]
    assert integer_ticks(0) == [0, 1]
    assert integer_ticks(100.0) == [0, 25, 50, 75, 100]


def test_the_stats_forecast_is_compact() -> None:
    days = [(date(2026, 12, 1 + i), 0) for i in range(30)]
    assert forecast_lines(days) == ["due in the next 30 days: nothing"]
    days[0], days[3] = (days[0][0], 7), (days[3][0], 2)
    assert forecast_lines(days) == [
        "due in the next 30 days: 9 cards",
        "  2026-12-01  7",
        "  2026-12-04  2",
        "  nothing due on the other 28 days",
    ]


async def test_the_palette_has_each_entry_once_and_review_deck(
    make_app: Callable[..., StudyApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert [t for t in titles if t.startswith("Review deck ")] == [
            "Review deck Basics", "Review deck Code", "Review deck Params",
        ]  # fmt: skip
        assert titles.count("Keys") == 1


async def test_the_settings_theme_list_fits(make_app: Callable[..., StudyApp]) -> None:
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("comma")
        await wait_until(pilot, lambda: app.screen.query("#theme"), what="Settings")
        select = app.screen.query_one("#theme", Select)
        select.focus()
        await pilot.pause()
        await pilot.press("enter")
        overlay = select.query_one(SelectOverlay)
        await wait_until(pilot, lambda: bool(overlay.display), what="the theme list")
        await pilot.pause()
        assert inside(overlay.region, (80, 24)) and overlay.region.height >= 5


def test_the_journal_keeps_the_notes_line_breaks() -> None:
    from studyrnn.ui.screens.journal import keep_line_breaks

    tokens = keep_line_breaks().parse("first line\nsecond line")[1].children or []
    assert [t.type for t in tokens] == ["text", "hardbreak", "text"]


# --- Review: the rows shared between the question and what is under it -------------------
LONG_SETUP = """---
deck: Forecast
---

## Sequence-to-sequence forecast: shape of `y = head(out)` for a batch of (5, 35, 5)?
<!-- id: t-seq2seq-head -->
```python setup
hidden = 16
batch = 5
steps = 35
gru = nn.GRU(5, hidden, batch_first=True)
head = nn.Linear(hidden, 1)
out, h_n = gru(torch.randn(batch, steps, 5))
y = head(out)
```
```python expect
y.shape
```
"""


def screen_lines(app: StudyApp) -> list[str]:
    """The screen as the learner sees it, one string a row, trailing spaces cut."""
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


async def settled(pilot: Pilot[None]) -> None:
    """Every pending message handled, animations done, and the rows shared again."""
    for _ in range(3):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", SIZES)
async def test_a_predict_front_shows_all_its_setup_and_a_typo_its_reason_and_caret(
    make_app: Callable[..., StudyApp], decks: Path, size: Size
) -> None:
    (decks / "forecast.md").write_text(LONG_SETUP, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await home(pilot, app)
        screen = await open_deck(pilot, app, "Forecast")
        await settled(pilot)
        question = screen.query_one("#front-scroll")
        field = screen.query_one("#predict", Input)
        # The front: the whole setup, its last line too, above the answer box.
        lines = screen_lines(app)
        assert lines[2].startswith(" Sequence-to-sequence forecast: shape of y = head(out)")
        assert "   y = head(out)" in lines[: field.region.y]
        assert question.max_scroll_y == 0 and not question.show_vertical_scrollbar
        await pilot.press(*"(5, 35, 1", "enter")
        await settled(pilot)
        panel = screen.query_one(VerdictPanel)
        scroll = screen.query_one("#card-scroll")
        assert scroll.region.contains_region(panel.region)  # whole, without scrolling
        assert scroll.region.contains_region(field.region)
        lines = screen_lines(app)
        width = size[0] - 4
        assert lines[panel.region.y : panel.region.bottom] == [
            " ╭─ ? Not read: nothing was run or recorded " + "─" * (width - 42) + "╮",
            " │ this tuple is never closed (expected ')') at column 10".ljust(width + 2) + "│",
            " │   (5, 35, 1".ljust(width + 2) + "│",
            " │            ^".ljust(width + 2) + "│",
            " ╰" + "─" * (width - 25) + " fix it and press Enter ─╯",
        ]
        assert lines[2].startswith(" Sequence-to-sequence forecast")  # the question stays
        assert screen.phase is Phase.FRONT and screen.focused is field


@pytest.mark.parametrize("size", SIZES)
async def test_minus_buries_a_choice_card_and_the_end_has_no_answer_bar(
    make_app: Callable[..., StudyApp], decks: Path, size: Size
) -> None:
    (decks / "gates.md").write_text(
        "---\ndeck: Gates\n---\n\n## Which gate does a GRU not have?\n"
        "- [ ] update gate\n- [ ] reset gate\n- [x] output gate\n",
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await home(pilot, app)
        screen = await open_deck(pilot, app, "Gates")
        await settled(pilot)
        keys = footer_keys(app)  # b picks option b here; - buries, and the footer says so
        assert "- Bury" in keys and "b Bury" not in keys
        assert keys[-2:] == ["esc Back", "? Help"]
        await pilot.press("minus")
        await wait_until(pilot, lambda: screen.phase is Phase.DONE, what="the end")
        await settled(pilot)
        assert "Buried until tomorrow: Which gate does a GRU not have?" in [
            n.message for n in app._notifications
        ]
        assert not screen.query_one("#answers").display
        question = screen.query_one("#front-scroll")
        assert question.max_scroll_y == 0 and not question.show_vertical_scrollbar
        lines = screen_lines(app)
        assert lines[2:9] == [
            "",
            "",
            " Nothing left to review here today",
            "",
            " You answered 0 cards this session.",
            "",
            " Press m to study more (extra new cards, review ahead), Esc to go home.",
        ]
        hint = screen.query_one("#hint", Static)
        assert lines[hint.region.y] == " m studies more · u undoes · Esc goes home"
        assert lines[hint.region.y + 1] == " u Undo  m Study more  esc Back  ? Help"
        assert hint.region.y + 2 == size[1]  # the footer is the last row: no answer bar
        await pilot.press("u")  # undo the bury: the card and its answer bar are back
        await wait_until(pilot, lambda: screen.phase is Phase.FRONT, what="the card again")
        assert screen.query_one("#answers").display


async def test_minus_buries_a_basic_card_too(make_app: Callable[..., StudyApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        screen = await open_deck(pilot, app, "Basics")
        keys = footer_keys(app)
        assert "b Bury" in keys and "- Bury" not in keys  # b is free: the footer names b
        assert screen.item is not None
        first = screen.item.card_id
        await pilot.press("minus")
        await wait_until(
            pilot,
            lambda: (
                screen.phase is Phase.FRONT
                and screen.item is not None
                and screen.item.card_id != first
            ),
            what="the next card",
        )
        assert any(n.message.startswith("Buried until tomorrow: ") for n in app._notifications)
