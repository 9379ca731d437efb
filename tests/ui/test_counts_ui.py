"""Counts and limits in the app: the same three counts on Home and in the review header at
80x24 and 100x30, a learning card shown early says so, the session waits for a learning card
rather than ending, the end of a session names the limit and Study more lifts it (from the
review, from Home, from the palette), and undo takes back bury, suspend and answer in order."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown, Static

from studyrnn.engine.study import Study
from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.commands import system_commands
from studyrnn.ui.screens.home import HomeScreen
from studyrnn.ui.screens.review import Phase, ReviewScreen
from studyrnn.ui.screens.study_more import StudyMoreScreen
from studyrnn.ui.widgets.deck_tree import DeckTree
from studyrnn.values import Rating, Settings

from .conftest import NOW, open_deck, settle, wait_until


def deck(name: str, n: int) -> str:
    return f"---\ndeck: {name}\n---\n" + "".join(
        f"## {name} question {i}?\nAnswer {i}.\n\n" for i in range(n)
    )


class Clock:
    """A clock the test moves; the app and the test's own Study share it."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def prepare(db_url: str, folder: Path, clock: Clock, *, settings: Settings | None = None) -> Study:
    study = Study(db_url, [folder], clock=clock)
    study.sync()
    if settings is not None:
        study.save_settings(settings)
    return study


def home_rows(app: StudyApp) -> dict[str, str]:
    """Each row of the deck tree as shown: name -> ``3 new  1 lrn  0 due``."""
    tree = app.screen.query_one(DeckTree)
    rows = {}
    for node in (tree.root, *tree.root.children):
        rows[str(node.data or "All decks")] = " ".join(str(node.label).split()[-6:])
    return rows


async def home_ready(pilot: object, app: StudyApp, decks: int) -> None:
    assert isinstance(app.screen, HomeScreen)
    tree = app.screen.query_one(DeckTree)
    await wait_until(pilot, lambda: len(tree.root.children) == decks, what="the deck tree")  # type: ignore[arg-type]


def title(screen: ReviewScreen) -> str:
    """The header as one line: where the card is from, then its kind, state and the counts."""
    where = str(screen.query_one("#review-title", Static).render())
    return f"{where} · {screen.query_one('#review-state', Static).render()}"


def limit_used_by_alpha(db_url: str, tmp_path: Path) -> tuple[Path, Clock]:
    """Two decks, Alpha's 20 new cards answered: the shared new-card limit is used up and
    Beta's 5 new cards wait."""
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.md").write_text(deck("Alpha", 20))
    (folder / "b.md").write_text(deck("Beta", 5))
    clock = Clock()
    study = prepare(db_url, folder, clock)
    for cid in study.queue("Alpha"):
        study.answer(cid, Rating.EASY, duration_ms=500)
    study.close()
    return folder, clock


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_home_and_the_review_header_show_the_same_counts(
    make_app: Callable[..., StudyApp], db_url: str, tmp_path: Path, size: tuple[int, int]
) -> None:
    folder = tmp_path / "counted"
    folder.mkdir()
    (folder / "a.md").write_text(deck("Alpha", 3))
    (folder / "b.md").write_text(
        deck("Beta, a long deck name that the review header has to cut short to fit", 2)
    )
    clock = Clock()
    app = make_app(paths=[folder], clock=clock)
    async with app.run_test(size=size) as pilot:
        await home_ready(pilot, app, 2)
        assert home_rows(app)["Alpha"] == "3 new 0 lrn 0 due"
        assert home_rows(app)["All decks"] == "5 new 0 lrn 0 due"
        screen = await open_deck(pilot, app, "Alpha")
        assert title(screen).endswith(" · basic · new · 3 new · 0 lrn · 0 due")
        await pilot.press("space", "3")  # Good: the 10-minute step
        await wait_until(pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT)
        assert title(screen).endswith(" · new · 2 new · 1 lrn · 0 due")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: home_rows(app)["Alpha"] == "2 new 1 lrn 0 due")
        assert home_rows(app)["All decks"] == "4 new 1 lrn 0 due"
        await pilot.press("down", "down", "enter")  # the long-named deck
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        beta = app.screen
        assert isinstance(beta, ReviewScreen)
        await wait_until(pilot, lambda: beta.phase is Phase.FRONT)
        assert title(beta).endswith(" · basic · new · 2 new · 0 lrn · 0 due")
        # the deck name gives way (cut with an ellipsis); the state and counts show whole
        state = beta.query_one("#review-state", Static)
        where = beta.query_one("#review-title", Static)
        assert state.region.right <= size[0] and state.region.width == len(state.render()) + 2
        assert where.region.right <= state.region.x
        assert where.region.width < len(where.render())


async def test_home_never_shows_the_old_counts_after_a_review(
    make_app: Callable[..., StudyApp], tmp_path: Path
) -> None:
    """Back from a review, Home showed the counts of before it (``3 new``, then ``2 new``) until
    it had counted again: under load, long enough to read. Behind the review its counts are
    ``…``, and the first numbers Home shows again are the new ones."""
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.md").write_text(deck("Alpha", 3))
    app = make_app(paths=[folder], clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot, app, 1)
        home = app.screen
        assert home_rows(app)["Alpha"] == "3 new 0 lrn 0 due"
        screen = await open_deck(pilot, app, "Alpha")
        await pilot.press("space", "4")
        await wait_until(pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT)
        tree = home.query_one(DeckTree)
        behind = " ".join(str(tree.root.label).split()[-6:])
        assert tree.stale and behind == "… new … lrn … due"
        assert str(home.query_one("#home-title", Static).render()) == "studyrnn"
        await pilot.press("escape")
        seen = []
        while not seen or seen[-1] != "2 new 0 lrn 0 due":
            await pilot.pause(0.01)
            if app.screen is home:
                seen.append(home_rows(app)["Alpha"])
            assert len(seen) < 3000, seen
        assert set(seen) <= {"… new … lrn … due", "2 new 0 lrn 0 due"}, seen
        assert str(home.query_one("#home-title", Static).render()).startswith("studyrnn · Today: 1")


async def test_a_learning_card_shown_early_says_so(
    make_app: Callable[..., StudyApp], db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.md").write_text(deck("Alpha", 1))
    app = make_app(paths=[folder], clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deck(pilot, app, "Alpha")
        await pilot.press("space", "3")  # Good: due in 10 minutes, and nothing else is left
        await wait_until(pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT)
        assert title(screen).endswith(" · basic · learning · 10 min early · 0 new · 1 lrn · 0 due")
        notes = [n.message for n in app._notifications]
        assert "Learning card 10 min early: nothing else is left." in notes


async def test_learning_ahead_is_said_once_not_on_every_card(
    make_app: Callable[..., StudyApp], db_url: str, tmp_path: Path
) -> None:
    """Two learning cards shown early one after the other: one notice when learning ahead
    starts (a pile of them covered the end screen at 80x24); each header says how early."""
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.md").write_text(deck("Alpha", 2))
    app = make_app(paths=[folder], clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deck(pilot, app, "Alpha")
        await pilot.press("space", "3")  # Good: 10 minutes
        await wait_until(pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT)
        await pilot.press("space", "3")
        await wait_until(pilot, lambda: screen.done == 2 and screen.phase is Phase.FRONT)
        assert title(screen).endswith(" · basic · learning · 10 min early · 0 new · 2 lrn · 0 due")
        await pilot.press("space", "4")  # Easy: graduates; the other comes early too
        await wait_until(pilot, lambda: screen.done == 3 and screen.phase is Phase.FRONT)
        assert title(screen).endswith(" · basic · learning · 10 min early · 0 new · 1 lrn · 0 due")
        notes = [n.message for n in app._notifications if "early" in n.message]
        assert notes == ["Learning card 10 min early: nothing else is left."]


async def test_the_session_waits_for_a_learning_card_then_goes_on(
    make_app: Callable[..., StudyApp],
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ReviewScreen, "WAIT_TICK", 0.05)
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.md").write_text(deck("Alpha", 1))
    clock = Clock()
    hour = dataclasses.replace(Settings(), learning_steps=(timedelta(hours=1),))
    prepare(db_url, folder, clock, settings=hour).close()
    app = make_app(paths=[folder], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deck(pilot, app, "Alpha")
        await pilot.press("space", "1")  # Again: the one-hour step
        await wait_until(pilot, lambda: screen.phase is Phase.WAITING, what="the wait")
        front = screen.query_one("#front", Markdown)
        assert front.source.startswith("## Next card in 40 min\n\nA learning card is due at 10:00.")
        assert title(screen) == "Review · Alpha · waiting · 0 new · 1 lrn · 0 due"
        assert not screen.query_one("#answers").display  # nothing to answer while waiting
        clock.now += timedelta(minutes=36, seconds=30)
        await wait_until(pilot, lambda: front.source.startswith("## Next card in 4 min"))
        clock.now += timedelta(minutes=3, seconds=30)
        await wait_until(pilot, lambda: screen.phase is Phase.FRONT, what="the card")
        assert screen.item is not None and screen.item.state == "learning"
        assert "20 min early" in title(screen)
        assert screen.query_one("#answers").display


async def test_the_end_names_the_limit_and_study_more_adds_new_cards(
    make_app: Callable[..., StudyApp], db_url: str, tmp_path: Path
) -> None:
    """A just-authored deck with no new card left today because another deck used the shared
    limit: the end of the session says why, and m lifts it for this deck."""
    folder, clock = limit_used_by_alpha(db_url, tmp_path)
    app = make_app(paths=[folder], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot, app, 2)
        status = str(app.screen.query_one("#sync-status", Static).render())
        assert status.startswith("new-card limit 20/20 (Settings) · m: study more · decks synced: ")
        await pilot.press("down", "down", "enter")  # Beta
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_until(pilot, lambda: screen.phase is Phase.DONE)
        assert screen.query_one("#front", Markdown).source.splitlines() == [
            "## Nothing left to review here today",
            "",
            "You answered 0 cards this session.",
            "",
            "5 new cards wait for tomorrow: the daily new-card limit is at 20/20 today, shared"
            " by all decks (set in Settings).",
            "",
            "Press **m** to study more (extra new cards, review ahead), **Esc** to go home.",
        ]
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, StudyMoreScreen))
        box = app.screen.query_one("#more-new", Input)
        box.value = ""
        await pilot.press("3", "enter")
        await wait_until(pilot, lambda: screen.phase is Phase.FRONT, what="an extra card")
        assert title(screen).endswith(" · 3 new · 0 lrn · 0 due")
        assert screen.item is not None and screen.item.card.deck == "Beta"


async def test_study_more_from_home_and_the_palette(
    make_app: Callable[..., StudyApp], db_url: str, tmp_path: Path
) -> None:
    folder, clock = limit_used_by_alpha(db_url, tmp_path)
    app = make_app(paths=[folder], clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot, app, 2)
        assert home_rows(app)["Beta"] == "0 new 0 lrn 0 due"
        await pilot.press("down", "down", "m")  # Study more on Beta
        await wait_until(pilot, lambda: isinstance(app.screen, StudyMoreScreen))
        limit = str(app.screen.query_one("#more-limit", Static).render())
        assert limit.startswith("5 new cards wait for tomorrow: the daily new-card limit is")
        await pilot.press("enter")  # the default: 10 more (Beta has 5)
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: home_rows(app)["Beta"] == "5 new 0 lrn 0 due")
        assert "10 more new cards today for Beta" in [n.message for n in app._notifications]

        [command] = [c for c in system_commands(app) if c.title == "Study more"]
        command.callback()  # on Home: Study more for the deck under the cursor
        await wait_until(pilot, lambda: isinstance(app.screen, StudyMoreScreen))
        await pilot.press("tab")  # to the review-ahead box
        assert app.screen.focused is app.screen.query_one("#more-ahead", Input)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_review_ahead_from_the_end_of_a_session(
    make_app: Callable[..., StudyApp], db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.md").write_text(deck("Alpha", 2))
    clock = Clock()
    study = prepare(db_url, folder, clock)
    for cid in study.queue():
        study.answer(cid, Rating.EASY, duration_ms=500)
    study.close()
    app = make_app(paths=[folder], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot, app, 1)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_until(pilot, lambda: screen.phase is Phase.DONE)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, StudyMoreScreen))
        ahead = app.screen.query_one("#more-ahead", Input)
        ahead.focus()
        ahead.value = "30"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.phase is Phase.FRONT, what="a card due ahead")
        assert screen.item is not None and screen.item.state == "review"
        assert title(screen).endswith(" · review · ahead 30d · 0 new · 0 lrn · 2 due")


async def test_undo_takes_back_bury_then_the_answer(
    make_app: Callable[..., StudyApp], db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "three"
    folder.mkdir()
    (folder / "a.md").write_text(deck("Alpha", 3))
    clock = Clock()
    app = make_app(paths=[folder], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deck(pilot, app, "Alpha")
        assert screen.item is not None
        answered = screen.item.card_id
        await pilot.press("space", "4")  # Easy: graduates
        await wait_until(pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT)
        assert screen.item is not None
        buried = screen.item.card_id
        await pilot.press("b")
        await wait_until(pilot, lambda: screen.item is not None and screen.item.card_id != buried)
        await wait_until(pilot, lambda: screen.phase is Phase.FRONT)
        assert title(screen).endswith(" · 1 new · 0 lrn · 0 due")
        await pilot.press("u")  # the bury, not the answer
        await wait_until(pilot, lambda: screen.item is not None and screen.item.card_id == buried)
        await settle(pilot)
        assert title(screen).endswith(" · 2 new · 0 lrn · 0 due") and screen.done == 1
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.item is not None and screen.item.card_id != buried)
        await pilot.press("u")  # the suspend
        await wait_until(pilot, lambda: screen.item is not None and screen.item.card_id == buried)
        await pilot.press("u")  # now the answer
        await wait_until(pilot, lambda: screen.item is not None and screen.item.card_id == answered)
        await settle(pilot)
        assert screen.done == 0 and title(screen).endswith(" · 3 new · 0 lrn · 0 due")

    check = Study(db_url, [folder], clock=clock)
    try:
        assert check.history(answered) == []
        assert [(i.suspended, i.state) for i in check.search()] == [(False, "new")] * 3
        assert len(check.queue()) == 3  # nothing buried
    finally:
        check.close()
