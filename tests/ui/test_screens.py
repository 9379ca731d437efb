"""Home, Browse, card detail, Stats, Settings, help, the command palette, errors and quit."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

from studyrnn.engine.study import Study
from studyrnn.ui.app import CrashReport, StudyApp
from studyrnn.ui.screens.browse import BrowseScreen
from studyrnn.ui.screens.card_detail import CardDetailScreen
from studyrnn.ui.screens.help import HelpScreen
from studyrnn.ui.screens.home import HomeScreen
from studyrnn.ui.screens.settings import SettingsScreen
from studyrnn.ui.screens.stats import StatsScreen
from studyrnn.ui.widgets.deck_tree import DeckTree

from .conftest import NOW, wait_until


def static_text(widget: Static) -> str:
    return str(widget.render())


async def home_ready(pilot, app: StudyApp) -> HomeScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    tree = screen.query_one(DeckTree)
    await wait_until(pilot, lambda: len(tree.root.children) > 0, what="the deck tree")
    return screen


async def test_home_shows_counts_and_lint_problems(
    make_app: Callable[..., StudyApp], decks: Path
) -> None:
    (decks / "broken.md").write_text(
        "## A good card\nIts answer.\n\n## A bad cloze\n{{c1::never closed\n", encoding="utf-8"
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await home_ready(pilot, app)
        tree = screen.query_one(DeckTree)
        labels = {str(node.data): node.label.plain for node in tree.root.children}
        assert labels["Basics"].split() == ["Basics", "3", "new", "0", "lrn", "0", "due"]
        assert labels["broken"].split()[1:3] == ["1", "new"]  # the valid card stays
        problems = static_text(screen.query_one("#problem-list", Static))
        assert f"{decks / 'broken.md'}:5: error:" in problems


async def test_the_deck_tree_gives_long_names_the_room_it_has(
    make_app: Callable[..., StudyApp], decks: Path
) -> None:
    long_name = "Ch 09 · Neural networks and backprop"  # cut at 18 columns before
    (decks / "long.md").write_text(
        f"---\ndeck: {long_name}\n---\n\n# Perceptrons\n\n## A card\nIts answer.\n",
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await home_ready(pilot, app)
        tree = screen.query_one(DeckTree)
        node = next(n for n in tree.root.children if n.data == long_name)
        assert node.label.plain.startswith(long_name + " ")  # whole, not "Ch 09 · Neural ne…"
        # Every line ends at the same column, whatever its depth: the counts line up.
        node.expand()
        await pilot.pause()
        ends = {
            tree._depth(n) * tree.guide_depth + (2 if n.allow_expand else 0) + len(n.label.plain)
            for n in (tree.root, node, *node.children)
        }
        assert ends == {tree.scrollable_content_region.width}
        # At 80 columns the heatmap gives its room to the names, which stay whole, and the
        # counts still end the line.
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: screen.has_class("-narrow"), what="the narrow layout")
        await pilot.pause()
        assert not screen.query_one("#heatmap").display
        assert node.label.plain.startswith(long_name + " ")
        assert node.label.plain.endswith("   0 due")


async def test_browse_searches_by_text_tag_and_deck_and_opens_history(
    make_app: Callable[..., StudyApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot, app)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), what="Browse")
        screen = app.screen
        table = screen.query_one("#cards", DataTable)
        await wait_until(pilot, lambda: table.row_count == 6, what="all six cards")
        await pilot.press("slash", *"zero_grad")  # / goes to the search box
        await wait_until(pilot, lambda: table.row_count == 1, what="one result")
        # The question's first line, its markdown rendered, cut to the column's width.
        assert str(table.get_row_at(0)[1]) == "What does optimizer.zero_g…"
        search = screen.query_one("#search", Input)
        search.value = "deck:Code"
        await wait_until(pilot, lambda: table.row_count == 2, what="the Code deck")
        search.value = "tag:nothing-has-this"
        await wait_until(pilot, lambda: table.row_count == 0, what="no result")
        search.value = "tag:ui-test cell"
        await wait_until(pilot, lambda: table.row_count == 1, what="the cloze card")
        await pilot.press("down")  # to the table
        await pilot.press("s")  # suspend from Browse
        await wait_until(pilot, lambda: "susp" in str(table.get_row_at(0)[7]), what="suspended")
        await pilot.press("s")
        await wait_until(
            pilot, lambda: "susp" not in str(table.get_row_at(0)[7]), what="unsuspended"
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailScreen), what="detail")
        detail = app.screen
        await wait_until(pilot, lambda: detail.info is not None, what="the card's detail")  # type: ignore[attr-defined]
        state = static_text(detail.query_one("#detail-state", Static))
        assert "kind cloze · state new" in state


async def test_stats_screen_draws_four_plots(make_app: Callable[..., StudyApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot, app)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), what="Stats")
        title = app.screen.query_one("#stats-title", Static)
        await wait_until(pilot, lambda: "Today:" in static_text(title), what="the stats")
        plots = list(app.screen.query(PlotextPlot))
        assert [p.id for p in plots] == ["per-day", "forecast", "retention", "buttons"]
        assert "Answer buttons" in plots[3].render().plain  # type: ignore[union-attr]


async def test_settings_are_saved_in_the_store(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot, app)
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), what="Settings")
        screen = app.screen
        await wait_until(pilot, lambda: screen.settings is not None, what="the settings")  # type: ignore[attr-defined]
        screen.query_one("#retention", Input).value = "1.5"
        await pilot.press("ctrl+s")
        status = screen.query_one("#settings-status", Static)
        assert "Desired retention: 1.5 is outside 0.7..0.99" in static_text(status)
        screen.query_one("#retention", Input).value = "0.85"
        screen.query_one("#new", Input).value = "7"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: static_text(status).startswith("Saved."), what="saving")
    study = Study(db_url, [decks], clock=lambda: NOW)
    try:
        saved = study.settings()
    finally:
        study.close()
    assert (saved.desired_retention, saved.new_per_day) == (0.85, 7)


async def test_help_lists_the_screens_keys(make_app: Callable[..., StudyApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = dict((d, k) for k, d in app.screen.rows)
        assert rows["Review all"] == "a"
        assert rows["Recall"] == "r"
        assert set(rows["Quit"].split(" / ")) == {"q", "^c", "^q"}
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def run_command(pilot, app: StudyApp, name: str) -> None:  # type: ignore[no-untyped-def]
    """Open the command palette, type ``name``, wait until its search highlights that very
    command (the search runs in the background), and run it with Enter."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    results = app.screen.query_one(CommandList)
    await pilot.press(*name)

    def highlighted() -> str:
        index = results.highlighted
        if index is None or index >= results.option_count:
            return ""
        return str(results.get_option_at_index(index).prompt)

    await wait_until(pilot, lambda: highlighted().startswith(name), what=f"the {name!r} command")
    await pilot.press("enter")


async def test_command_palette_opens_browse(make_app: Callable[..., StudyApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot, app)
        await run_command(pilot, app, "Browse cards")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), what="Browse")


async def test_the_journal_opens_from_home_and_from_the_palette(
    make_app: Callable[..., StudyApp],
) -> None:
    from studyrnn.ui.screens.journal import JournalScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        home = await home_ready(pilot, app)
        binding = next(b for b in home.BINDINGS if isinstance(b, Binding) and b.id == "journal")
        assert (binding.key, binding.description) == ("j", "Journal")
        await pilot.press("j")
        await wait_until(pilot, lambda: isinstance(app.screen, JournalScreen), what="Journal")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home, what="Home again")
        await run_command(pilot, app, "Journal")
        await wait_until(pilot, lambda: isinstance(app.screen, JournalScreen), what="Journal")


async def test_quit_stops_the_checker_process(make_app: Callable[..., StudyApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot, app)
        await wait_until(pilot, lambda: app.checker_state == "ready", 180, "the checker")
        checker = app.backend._checker
        assert checker is not None
        pid = int(checker.info()["worker_pid"])  # type: ignore[attr-defined]
        assert Path(f"/proc/{pid}").exists()
        await pilot.press("q")
    assert app.backend._checker is None
    gone = (
        not Path(f"/proc/{pid}").exists() or "State:\tZ" in Path(f"/proc/{pid}/status").read_text()
    )
    assert gone


async def test_a_crash_is_reported_in_words_with_a_log(
    make_app: Callable[..., StudyApp], tmp_path: Path
) -> None:
    app = make_app()

    def boom() -> None:
        raise RuntimeError("the deck tree fell over")

    with pytest.raises(CrashReport) as caught:
        async with app.run_test(size=(100, 30)) as pilot:
            await home_ready(pilot, app)
            app.call_later(boom)
            await pilot.pause()  # lets the callback run; the crash ends the app
    report = caught.value
    text = report.__rich__().plain
    assert "studyrnn stopped because of an unexpected error." in text
    assert "RuntimeError: the deck tree fell over" in text
    assert "Every review you answered was saved" in text
    log = Path(report.log)
    assert log.parent == tmp_path / "logs"
    assert "the deck tree fell over" in log.read_text()
    assert os.environ["STUDYRNN_LOG_DIR"] == str(tmp_path / "logs")


async def test_card_detail_lists_the_variants_seen_and_the_wrong_ones(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    from datetime import timedelta

    from studyrnn.decks.params import draw
    from studyrnn.values import Rating

    now = [NOW - timedelta(days=40)]
    study = Study(db_url, [decks], clock=lambda: now[0])
    seeds: list[int] = []
    try:
        study.sync()
        for rating, verdict in ((Rating.AGAIN, "wrong"), (Rating.GOOD, "pass")):
            item = study.next_card("Params")
            assert item is not None and item.seed is not None
            study.answer(item.card_id, rating, duration_ms=9000, verdict=verdict, seed=item.seed)
            seeds.append(item.seed)
            now[0] += timedelta(days=20)
        code = item.card.code
        assert code is not None and code.params is not None
        values = [draw(code.params.code, seed) for seed in seeds]
    finally:
        study.close()
    assert seeds[0] != seeds[1]

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot, app)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), what="Browse")
        table = app.screen.query_one("#cards", DataTable)
        app.screen.query_one("#search", Input).value = "deck:Params"
        await wait_until(pilot, lambda: table.row_count == 1, what="the parametric card")
        await pilot.press("enter", "enter")  # to the table, then open the card
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailScreen), what="detail")
        detail = app.screen
        await wait_until(pilot, lambda: detail.info is not None, what="the detail")  # type: ignore[attr-defined]
        lines = static_text(detail.query_one("#variants", Static)).splitlines()
        assert lines == [
            f"✗ wrong  seed {seeds[0]}: k = {values[0]['k']} · n = {values[0]['n']}",
            f"✓ right  seed {seeds[1]}: k = {values[1]['k']} · n = {values[1]['n']}",
        ]
        history = detail.query_one("#history", DataTable)
        assert history.row_count == 2
        assert [str(c) for c in history.get_row_at(0)[1:4]] == ["Good", "pass", str(seeds[1])]
        assert [str(c) for c in history.get_row_at(1)[1:4]] == ["Again", "wrong", str(seeds[0])]


async def test_review_fits_80x24(make_app: Callable[..., StudyApp]) -> None:
    """At the smallest supported size the answer buttons and the footer stay on screen."""
    from studyrnn.ui.screens.review import Phase, ReviewScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot, app)
        await pilot.press("down", "down", "enter")  # the Code deck: predict, then write
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and app.screen.phase is Phase.FRONT,
            what="the predict card",
        )
        screen = app.screen
        for button in screen.query("#answers Button"):
            region = button.region
            assert region.width >= 10 and region.bottom <= 23, (button.id, region)
        assert screen.query_one("#predict", Input).region.height == 3


def test_dates_are_shown_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from datetime import UTC, datetime

    from studyrnn.ui.format import local_date, local_time

    moment = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    assert (local_time(moment), local_date(moment)) == ("2026-11-21 08:30", "2026-11-21")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    assert local_time(moment) == "2026-11-20 18:30"


def test_heatmap_levels_read_without_colour() -> None:
    from datetime import date, timedelta

    from studyrnn.ui.widgets.heatmap import heatmap_text

    today = date(2026, 11, 20)  # a Friday
    days = [(today - timedelta(days=i), n) for i, n in enumerate([0, 1, 4, 8, 12])]
    lines = heatmap_text(days, today, weeks=2).plain.splitlines()
    assert lines == [
        "Mon · █ ",  # Mon 16th: 12, the busiest day
        "    · ▓ ",  # Tue 17th: 8
        "Wed · ▒ ",  # Wed 18th: 4
        "    · ░ ",  # Thu 19th: 1
        "Fri · · ",  # today: none yet
        "    ·   ",  # Saturday and Sunday of this week are still to come
        "Sun ·   ",
        "25 reviews in 2 weeks",
    ]


async def test_start_review_opens_the_queue_after_the_sync(
    make_app: Callable[..., StudyApp],
) -> None:
    from studyrnn.ui.screens.review import Phase, ReviewScreen

    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), what="Review")
        screen = app.screen
        await wait_until(pilot, lambda: screen.phase is Phase.FRONT, what="a card")  # type: ignore[attr-defined]
        assert screen.deck is None and screen.remaining == 6  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_start_recall_opens_the_recall_screen(make_app: Callable[..., StudyApp]) -> None:
    from studyrnn.ui.screens.recall import RecallStartScreen

    app = make_app(start="recall")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecallStartScreen), what="Recall")
        screen = app.screen
        assert isinstance(screen, RecallStartScreen)
        # Wait for the screen's own load, not just its push: the decks are listed, no old
        # session is offered, and the cursor is in the goal line.
        await wait_until(pilot, lambda: bool(screen.choices), what="the recall decks")
        assert [t.label for t in screen.choices][:1] == ["Basics"]
        assert screen.query_one("#recall-resume", Static).display is False
        assert isinstance(app.focused, Input) and app.focused.id == "recall-goal"
        assert screen.check_action("resume", ()) is False  # no old session, no ctrl+o


async def test_quitting_at_once_after_opening_a_screen_is_clean(
    make_app: Callable[..., StudyApp],
) -> None:
    """``q`` pressed while a screen is still composing: Textual prunes the screen before its
    mount handlers run; they must not run on the empty screen and crash the quit (the old
    flake of the recall test, where the test ended right after the push)."""
    from studyrnn.ui.screens.recall import RecallStartScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        # Leave at once, as the old recall test did: the app quits while the screen composes.
        # ``run_test`` re-raises a crash of the app here, as a CrashReport.
        for screen in (RecallStartScreen(), BrowseScreen(), StatsScreen(), SettingsScreen()):
            app.push_screen(screen)
