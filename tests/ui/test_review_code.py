"""Code cards in the app, judged by the real checker: predict right and wrong, a write card
passed after one failed try, and a parametric card whose two reviews draw two variants."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import Input, Markdown

from studyrnn.runner.verdict import Verdict
from studyrnn.ui.app import StudyApp
from studyrnn.ui.screens.review import Phase, ReviewScreen
from studyrnn.ui.widgets.code_editor import CodeEditor
from studyrnn.ui.widgets.verdict_panel import VerdictPanel
from studyrnn.values import Rating

from .conftest import NOW, history, open_deck, wait_until

CHECK_TIMEOUT = 180.0  # an upper bound, not a wait: a cold checker imports torch first


def panel_text(screen: ReviewScreen) -> str:
    return screen.query_one(VerdictPanel).plain


async def predict(pilot, screen: ReviewScreen, answer: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``answer`` into the input and press Enter, then wait for the verdict."""
    assert screen.focused is screen.query_one("#predict", Input)
    await pilot.press(*answer)
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.phase is Phase.ANSWER, CHECK_TIMEOUT, "the verdict")


async def test_predict_right_suggests_good(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Code")
        assert screen.item is not None and screen.item.card.key == "ui-lstm-hn"
        card_id = screen.item.card_id
        await predict(pilot, screen, "(2, 32, 20)")
        assert screen.verdict == "pass"
        assert screen.suggested is Rating.GOOD
        text = panel_text(screen)
        assert "✓ pass" in text
        assert "Your answer:  (2, 32, 20)" in text
        assert "Expected:     (2, 32, 20)" in text
        await pilot.press("enter")  # confirms the suggested Good
        await wait_until(pilot, lambda: screen.done == 1, what="the answer")
    rows = history(db_url, decks, card_id)
    assert [(r.rating, r.verdict) for r in rows] == [(Rating.GOOD, "pass")]


async def test_predict_wrong_names_the_mistake_and_suggests_again(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Code")
        assert screen.item is not None
        card_id = screen.item.card_id
        await predict(pilot, screen, "(32, 2, 20)")
        assert screen.verdict == "wrong"
        assert screen.suggested is Rating.AGAIN
        text = panel_text(screen)
        assert "✗ wrong" in text
        assert "Named mistake: batch_first does not apply to h_n and c_n" in text
        assert "Your answer:  (32, 2, 20)" in text
        await pilot.press("2")  # the learner overrides the suggestion
        await wait_until(pilot, lambda: screen.done == 1, what="the answer")
    rows = history(db_url, decks, card_id)
    assert [(r.rating, r.verdict) for r in rows] == [(Rating.HARD, "wrong")]


async def test_an_unreadable_answer_is_shown_to_fix_and_never_recorded(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Code")
        assert screen.item is not None and screen.item.card.key == "ui-lstm-hn"
        card_id = screen.item.card_id
        field = screen.query_one("#predict", Input)
        await pilot.press(*"h_n.shape", "enter")
        await wait_until(
            pilot,
            lambda: "Not read" in panel_text(screen),
            CHECK_TIMEOUT,
            "the unreadable verdict",
        )
        assert panel_text(screen) == (
            "? Not read: nothing was run or recorded\n"
            "'h_n.shape' is an expression: type the value it has, such as (2, 3) at column 1\n"
            "  h_n.shape\n"
            "  ^\n"
            "fix it and press Enter"
        )
        assert screen.phase is Phase.FRONT and screen.verdict is None
        await wait_until(pilot, lambda: screen.focused is field, what="the answer box again")
        assert not field.disabled
        assert field.value == "h_n.shape"  # kept, to be fixed
        field.value = ""
        await predict(pilot, screen, "(2, 32, 20)")
        assert screen.verdict == "pass"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.done == 1, what="the answer")
    rows = history(db_url, decks, card_id)
    assert [(r.rating, r.verdict) for r in rows] == [(Rating.GOOD, "pass")]


async def test_esc_leaves_the_answer_box_then_the_keys_work(
    make_app: Callable[..., StudyApp],
) -> None:
    """While the predict box has the keyboard, letters are the answer and the footer's Esc
    says "Leave answer box"; after Esc, b buries the card and Esc means Back again."""
    from textual.widgets import Static

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Code")
        assert screen.item is not None and screen.item.card.key == "ui-lstm-hn"
        field = screen.query_one("#predict", Input)
        await wait_until(pilot, lambda: screen.focused is field, what="the answer box")
        hint = screen.query_one("#hint", Static)
        assert "Esc leaves the answer box (then u s b e work)" in str(hint.render())
        actions = {b.binding.action for b in screen.active_bindings.values()}
        assert "confirm" not in actions  # Enter is the box's: it checks the answer
        assert screen.active_bindings["escape"].binding.description == "Leave answer box"
        await pilot.press("b")  # a letter of the answer, not bury
        assert field.value == "b" and screen.item.card.key == "ui-lstm-hn"
        await pilot.press("escape")
        assert screen.focused is None and screen.phase is Phase.FRONT
        assert screen.active_bindings["escape"].binding.description == "Back"
        assert str(hint.render()).startswith(
            "i types the answer again · e in $EDITOR · u undo · s suspend"
        )
        await pilot.press("b")  # now it buries
        await wait_until(
            pilot,
            lambda: screen.phase is Phase.FRONT and screen.item.card.key != "ui-lstm-hn",  # type: ignore[union-attr]
            what="the next card after the bury",
        )
        assert isinstance(screen.focused, CodeEditor)  # the write card's editor has the keys
        await pilot.press("escape", "escape")  # leave the editor, then the screen
        assert not isinstance(app.screen, ReviewScreen)


async def test_write_card_passes_after_one_failed_try(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Code")
        await pilot.press("escape", "b")  # leave the input, bury the predict card
        await wait_until(
            pilot,
            lambda: (
                screen.item is not None
                and screen.item.card.key == "ui-double"
                and screen.phase is Phase.FRONT
            ),
            what="the write card",
        )
        card_id = screen.item.card_id  # type: ignore[union-attr]
        editor = screen.query_one(CodeEditor)
        assert editor.text == "def double(x):\n    return x\n"
        assert screen.focused is editor

        await pilot.press("ctrl+r")  # the starter is wrong
        await wait_until(
            pilot,
            lambda: screen.tries == 1 and screen.phase is Phase.FRONT,
            CHECK_TIMEOUT,
            "the first verdict",
        )
        assert screen.verdict == "wrong"
        assert "✗ wrong" in panel_text(screen)
        assert screen.focused is editor and not editor.read_only

        await pilot.press("down", "end", *" * 2")
        assert editor.text == "def double(x):\n    return x * 2\n"
        await pilot.press("ctrl+r")
        await wait_until(
            pilot, lambda: screen.phase is Phase.ANSWER, CHECK_TIMEOUT, "the second verdict"
        )
        assert screen.verdict == "pass" and screen.tries == 2
        assert screen.suggested is Rating.HARD  # passed, but not on the first try
        assert "try 2" in panel_text(screen)
        back = screen.query_one("#back", Markdown)
        assert "return x * 2" in back.source  # the solution is shown after the pass
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.done == 1, what="the answer")
    rows = history(db_url, decks, card_id)
    assert [(r.rating, r.verdict) for r in rows] == [(Rating.HARD, "pass")]


async def test_parametric_card_draws_a_new_variant_each_review(
    make_app: Callable[..., StudyApp], db_url: str, decks: Path
) -> None:
    """Each review shows the drawn values in the front and is judged for its own variant.
    The engine picks the seeds; a repeat of the same values (about 1 in 120) just means one
    more review before two different variants have been seen."""
    now = [NOW]

    def clock() -> datetime:
        return now[0]

    app = make_app(clock=clock)
    seen: list[tuple[int, int]] = []
    card_id = -1
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_deck(pilot, app, "Params")
        for _ in range(6):
            assert screen.item is not None and screen.item.card.key == "ui-conv-len"
            card_id = screen.item.card_id
            k, n = int(str(screen.item.params["k"])), int(str(screen.item.params["n"]))
            front = screen.query_one("#front", Markdown).source
            assert f"kernel_size={k})` on a sequence of {n}?" in front
            assert f"k = {k}\nn = {n}" in front
            await predict(pilot, screen, str(n - k + 1))
            assert screen.verdict == "pass", panel_text(screen)
            seen.append((k, n))
            target = screen.done + 1
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda s=screen, t=target: s.done == t and s.phase in (Phase.FRONT, Phase.DONE),
                what="the next review",
            )
            if len(set(seen)) >= 2:
                break
            if screen.phase is Phase.DONE:  # not due again yet: come back a month later
                now[0] += timedelta(days=30)
                await pilot.press("escape")
                screen = await open_deck(pilot, app, "Params")
    assert len(set(seen)) >= 2, seen
    rows = history(db_url, decks, card_id)
    assert len(rows) == len(seen)
    assert all(r.verdict == Verdict.PASS.value for r in rows)
    assert len({r.seed for r in rows}) == len(rows)


async def test_undo_names_the_drawn_variant_not_the_template(
    make_app: Callable[..., StudyApp],
) -> None:
    """The undo notice names the card as bury's does: the values drawn, the whole line (it was
    the raw front cut at 60 characters: ``kernel_size={{=k}}`` and ``…time ste``)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deck(pilot, app, "Params")
        assert screen.item is not None and screen.item.card.key == "ui-conv-len"
        k, n = screen.item.params["k"], screen.item.params["n"]
        await predict(pilot, screen, "1")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.done == 1 and screen.phase is Phase.FRONT)
        await pilot.press("escape", "u")  # the card is back early, the answer box has the keys
        await wait_until(pilot, lambda: screen.done == 0, what="the undo")
        notes = [n.message for n in app._notifications if n.message.startswith("Undid")]
        assert notes == [
            f"Undid the last answer: Output length of `nn.Conv1d(1, 1, kernel_size={k})` on a "
            f"sequence of {n}?"
        ]
